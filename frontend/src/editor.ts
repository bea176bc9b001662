/**
 * The card's visual editor: Home Assistant's own ha-form with the profile picker and the
 * options, showing the defaults the card uses (all parts ticked when `show` is not set).
 */

import { LitElement, html, nothing, type TemplateResult } from "lit";

import { localize, type TextKey } from "./localize.js";
import { DOMAIN } from "./profile.js";
import { PARTS, type CardConfig, type HomeAssistant, type Part } from "./types.js";

export const DEFAULT_DAYS = 14;
export const EDITOR_TAG = "magnesium-sleep-card-editor";

interface FieldSchema {
  name: string;
}

/** The profile picker (any entity of the integration) and the options. */
export function configForm(language: string) {
  return {
    schema: [
      { name: "entity", required: true, selector: { entity: { filter: { integration: DOMAIN } } } },
      { name: "days", selector: { number: { min: 3, max: 90, mode: "box" } } },
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

/** What the form shows: the values the card uses, defaults included. */
export function formData(config: CardConfig): CardConfig {
  return { ...config, days: config.days ?? DEFAULT_DAYS, show: config.show ?? [...PARTS] };
}

/**
 * The config to save from the form: the parts in the card's order, and the defaults left
 * out, so a card showing everything also shows parts added in later versions.
 */
export function configFromForm(data: CardConfig): CardConfig {
  const { show, days, ...config } = data;
  const chosen: Part[] = PARTS.filter((part) => show?.includes(part));
  return {
    ...config,
    ...(days === undefined || days === DEFAULT_DAYS ? {} : { days }),
    ...(show === undefined || chosen.length === PARTS.length ? {} : { show: chosen }),
  };
}

export class MagnesiumSleepCardEditor extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
  };

  declare hass: HomeAssistant | undefined;
  declare _config: CardConfig | undefined;

  setConfig(config: CardConfig): void {
    this._config = config;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!customElements.get("ha-form")) {
      void loadHaForm().then(() => this.requestUpdate());
    }
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.hass || !this._config || !customElements.get("ha-form")) {
      return nothing;
    }
    const form = configForm(this.hass.locale.language);
    return html`<ha-form
      .hass=${this.hass}
      .data=${formData(this._config)}
      .schema=${form.schema}
      .computeLabel=${form.computeLabel}
      @value-changed=${this._changed}
    ></ha-form>`;
  }

  private _changed(event: CustomEvent<{ value: CardConfig }>): void {
    event.stopPropagation();
    const config = configFromForm(event.detail.value);
    this._config = config;
    this.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
  }
}

interface CardHelpers {
  createCardElement(config: Record<string, unknown>): Promise<{ constructor: { getConfigElement?(): Promise<unknown> } }>;
}

declare global {
  interface Window {
    loadCardHelpers?: () => Promise<CardHelpers>;
  }
}

/** ha-form is loaded on demand by the frontend: an entities card's editor brings it. */
async function loadHaForm(): Promise<void> {
  const helpers = await window.loadCardHelpers?.();
  const card = await helpers?.createCardElement({ type: "entities", entities: [] });
  await card?.constructor.getConfigElement?.();
  await customElements.whenDefined("ha-form");
}
