/** Which entities belong to the configured entity's profile (from the entity registry). */

import type { EntityRegistryEntry } from "./types.js";

export const DOMAIN = "magnesium_sleep";

export interface Profile {
  entryId: string;
  /** Entity id by translation key, e.g. magnesium_today -> sensor.anna_magnesium_today. */
  entities: Record<string, string>;
}

/** The profile of `entityId`, or null when it is no entity of a loaded profile. */
export function findProfile(
  registry: Record<string, EntityRegistryEntry | undefined>,
  entityId: string,
): Profile | null {
  const entryId = registry[entityId]?.platform === DOMAIN ? registry[entityId]?.config_entry_id : undefined;
  if (entryId === undefined) {
    return null;
  }
  const entities: Record<string, string> = {};
  for (const entry of Object.values(registry)) {
    if (entry?.config_entry_id === entryId && entry.platform === DOMAIN && entry.translation_key) {
      entities[entry.translation_key] = entry.entity_id;
    }
  }
  return { entryId, entities };
}

/** The first profile's magnesium_today sensor: what a new card starts with. */
export function firstProfileEntity(
  registry: Record<string, EntityRegistryEntry | undefined>,
): string | undefined {
  return Object.values(registry)
    .filter((entry) => entry?.platform === DOMAIN && entry.translation_key === "magnesium_today")
    .map((entry) => entry!.entity_id)
    .sort()[0];
}
