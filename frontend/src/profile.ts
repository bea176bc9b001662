/** Which entities belong to the configured entity's profile (from the registries). */

import type { DeviceRegistryEntry, EntityRegistryEntry } from "./types.js";

export const DOMAIN = "magnesium_sleep";

export interface Profile {
  entryId: string;
  deviceId: string;
  /**
   * Entity id by domain and translation key, e.g. sensor.bedtime -> sensor.anna_bedtime
   * (the time entity time.bedtime shares the translation key).
   */
  entities: Record<string, string>;
}

/**
 * The profile of `entityId`, or null when it is no entity of a profile. The registry's
 * display entries carry no config entry: a profile is its device (one per profile).
 */
export function findProfile(
  entities: Record<string, EntityRegistryEntry | undefined>,
  devices: Record<string, DeviceRegistryEntry | undefined>,
  entityId: string,
): Profile | null {
  const entry = entities[entityId];
  const device = entry?.platform === DOMAIN && entry.device_id ? devices[entry.device_id] : undefined;
  const entryId = device?.primary_config_entry ?? device?.config_entries[0];
  if (device === undefined || entryId === undefined) {
    return null;
  }
  const found: Record<string, string> = {};
  for (const candidate of Object.values(entities)) {
    if (candidate?.device_id === device.id && candidate.platform === DOMAIN && candidate.translation_key) {
      found[`${candidate.entity_id.split(".")[0]}.${candidate.translation_key}`] = candidate.entity_id;
    }
  }
  return { entryId, deviceId: device.id, entities: found };
}

/** The first profile's magnesium_today sensor: what a new card starts with. */
export function firstProfileEntity(
  entities: Record<string, EntityRegistryEntry | undefined>,
): string | undefined {
  return Object.values(entities)
    .filter((entry) => entry?.platform === DOMAIN && entry.translation_key === "magnesium_today")
    .map((entry) => entry!.entity_id)
    .sort()[0];
}
