/** The few parts of Home Assistant's frontend objects the card reads (thin local types). */

export interface HassEntityState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
}

/** An entity registry display entry (`hass.entities`). */
export interface EntityRegistryEntry {
  entity_id: string;
  platform?: string;
  translation_key?: string;
  device_id?: string;
}

/** A device registry entry (`hass.devices`): one device per profile. */
export interface DeviceRegistryEntry {
  id: string;
  name?: string | null;
  name_by_user?: string | null;
  config_entries: string[];
  primary_config_entry?: string | null;
}

export interface HassLocale {
  language: string;
  number_format?: string;
  time_format?: string;
  time_zone?: string;
}

export interface HomeAssistant {
  states: Record<string, HassEntityState | undefined>;
  entities: Record<string, EntityRegistryEntry | undefined>;
  devices: Record<string, DeviceRegistryEntry | undefined>;
  services: Record<string, Record<string, unknown> | undefined>;
  locale: HassLocale;
  language: string;
  themes?: { darkMode?: boolean };
  config: { time_zone: string };
  formatEntityState?: (state: HassEntityState, value?: string) => string;
  /** Loads a category of an integration's translations into `localize`, which it returns. */
  loadBackendTranslation?: (
    category: string,
    integration?: string,
  ) => Promise<(key: string, values?: Record<string, string | number>) => string>;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
}

/** Which parts the card shows. */
export const PARTS = ["tonight", "took_it", "last_night", "trend", "effect", "experiment", "wind_down"] as const;
export type Part = (typeof PARTS)[number];

export interface CardConfig {
  type: string;
  entity: string;
  days?: number;
  show?: Part[];
}
