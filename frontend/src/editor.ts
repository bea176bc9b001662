/** The card's visual editor: an ha-form schema that Home Assistant renders itself. */

import { localize, type TextKey } from "./localize.js";
import { DOMAIN } from "./profile.js";
import { PARTS } from "./types.js";

export const DEFAULT_DAYS = 14;

interface FieldSchema {
  name: string;
}

/** The profile picker (any entity of the integration) and the options. */
export function configForm(language: string) {
  return {
    schema: [
      { name: "entity", required: true, selector: { entity: { filter: { integration: DOMAIN } } } },
      { name: "days", default: DEFAULT_DAYS, selector: { number: { min: 3, max: 90, mode: "box" } } },
      {
        name: "show",
        selector: {
          select: {
            multiple: true,
            mode: "list",
            options: PARTS.map((part) => ({
              value: part,
              label: localize(language, `part_${part}` as TextKey),
            })),
          },
        },
      },
    ],
    computeLabel: (field: FieldSchema) => localize(language, `option_${field.name}` as TextKey),
  };
}
