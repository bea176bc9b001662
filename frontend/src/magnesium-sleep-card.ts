/**
 * The Magnesium & Sleep card: tonight, the experiment's plan, the "took it" button, last
 * night, the trend, the effect and the next wind-down.
 */

import { LitElement, css, html, nothing, svg, type PropertyValues, type TemplateResult } from "lit";

import { DEFAULT_DAYS, EDITOR_TAG, MagnesiumSleepCardEditor } from "./editor.js";
import {
  effectSentence,
  evidenceNote,
  experimentTonight,
  formatSigned,
  hasInterval,
  intervalGeometry,
  outcomeName,
  readEffect,
  unitName,
  type BackendLocalize,
} from "./effect.js";
import {
  formatClock,
  formatMg,
  formatMinutes,
  formatNight,
  formatNumber,
  hasValue,
  numberLocale,
  progress,
  stateMinutes,
  stateNumber,
} from "./format.js";
import { localize, textParts, type TextKey } from "./localize.js";
import { DOMAIN, findProfile, firstProfileEntity, type Profile } from "./profile.js";
import { shapeTrend, trendGeometry, type NightRow, type TrendPoint } from "./trend.js";
import { PARTS, type CardConfig, type HassEntityState, type HomeAssistant, type Part } from "./types.js";

const TAG = "magnesium-sleep-card";
const UNDO_MS = 10_000;
const CHART_WIDTH = 300;
const CHART_HEIGHT = 90;
const SCORE_COMPONENTS = ["duration", "efficiency", "latency", "waso", "awakenings", "regularity"];

interface ServiceResult<T> {
  response: T;
}

interface LoggedDose {
  dose_id: string;
  elemental_mg: number;
}

type Action =
  | { kind: "idle" }
  | { kind: "busy" }
  | { kind: "logged"; dose: LoggedDose }
  | { kind: "undone" }
  | { kind: "failed"; error: string };

export class MagnesiumSleepCard extends LitElement {
  static override properties = {
    _config: { state: true },
    _nights: { state: true },
    _selected: { state: true },
    _action: { state: true },
    _backend: { state: true },
  };

  declare _config: CardConfig | undefined;
  declare _nights: NightRow[] | undefined;
  declare _selected: number | undefined;
  declare _action: Action;
  /** The integration's own translations (the effect's sentences) in the viewer's language. */
  declare _backend: BackendLocalize | undefined;
  private _backendLanguage = "";
  private _hass: HomeAssistant | undefined;
  private _profile: Profile | null = null;
  private _shown: unknown[] = [];
  private _trendKey = "";
  private _undoTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this._action = { kind: "idle" };
  }

  static getConfigElement(): HTMLElement {
    return document.createElement(EDITOR_TAG);
  }

  static getStubConfig(hass: HomeAssistant): Omit<CardConfig, "type"> {
    return { entity: firstProfileEntity(hass.entities) ?? "" };
  }

  setConfig(config: CardConfig): void {
    if (typeof config.entity !== "string") {
      throw new Error("entity: give an entity of a Magnesium & Sleep profile");
    }
    if (config.days !== undefined && !(Number.isInteger(config.days) && config.days >= 1 && config.days <= 365)) {
      throw new Error("days: a whole number from 1 to 365");
    }
    if (config.show !== undefined && !(Array.isArray(config.show) && config.show.every((part) => PARTS.includes(part)))) {
      throw new Error(`show: a list of ${PARTS.join(", ")}`);
    }
    this._config = config;
    this._trendKey = "";
  }

  /** Home Assistant sets this on every state change anywhere: render only when ours change. */
  set hass(hass: HomeAssistant) {
    this._hass = hass;
    this._loadBackendTranslations(hass);
    const profile = this._config ? findProfile(hass.entities, hass.devices, this._config.entity) : null;
    const shown = [
      hass.locale,
      hass.themes?.darkMode,
      hass.services[DOMAIN]?.get_nights !== undefined,
      profile?.entryId,
      ...Object.values(profile?.entities ?? {}).map((entityId) => hass.states[entityId]),
    ];
    if (shown.length !== this._shown.length || shown.some((value, index) => value !== this._shown[index])) {
      this._shown = shown;
      this._profile = profile;
      this.requestUpdate();
    }
  }

  get hass(): HomeAssistant | undefined {
    return this._hass;
  }

  private _loadBackendTranslations(hass: HomeAssistant): void {
    const language = hass.locale.language ?? hass.language;
    if (language === this._backendLanguage || hass.loadBackendTranslation === undefined) {
      return;
    }
    this._backendLanguage = language;
    hass
      .loadBackendTranslation("exceptions", DOMAIN)
      .then((localize) => {
        if (this._backendLanguage === language) {
          this._backend = localize;
        }
      })
      .catch(() => {
        // The server's own sentence is shown instead.
        this._backend = undefined;
      });
  }

  getCardSize(): number {
    return 2 + this._parts().size * 2;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, min_rows: 3 };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._undoTimer);
  }

  private _parts(): Set<Part> {
    return new Set(this._config?.show ?? PARTS);
  }

  private get _language(): string {
    return this._hass?.locale.language ?? this._hass?.language ?? "en";
  }

  private _t(key: TextKey, values?: Record<string, string | number>): string {
    return localize(this._language, key, values);
  }

  private _state(key: string): HassEntityState | undefined {
    const entityId = this._profile?.entities[key];
    return entityId === undefined ? undefined : this._hass?.states[entityId];
  }

  private get _numbers(): string | undefined {
    return this._hass ? numberLocale(this._hass.locale) : undefined;
  }

  /** The profile counts as loaded while its always-available total has a state. */
  private _loaded(): boolean {
    return hasValue(this._state("sensor.magnesium_today"));
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    this._refreshTrend();
  }

  /** Fetch the nights again when the period or a night's inputs (score, today's total) change. */
  private _refreshTrend(): void {
    const hass = this._hass;
    const today = this._state("sensor.magnesium_today");
    if (!hass || !this._profile || !this._parts().has("trend") || !hasValue(today)) {
      return;
    }
    if (hass.services[DOMAIN]?.get_nights === undefined) {
      this._nights = undefined;
      return;
    }
    const last = String(today.attributes.day ?? "");
    const days = this._config?.days ?? DEFAULT_DAYS;
    const key = [this._profile.entryId, last, days, today.last_updated, this._state("sensor.sleep_score")?.last_updated].join("|");
    if (key === this._trendKey || !last) {
      return;
    }
    this._trendKey = key;
    const start = new Date(Date.parse(`${last}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    this._call<{ nights: NightRow[] }>("get_nights", { start, end: last })
      .then((response) => {
        if (this._trendKey === key) {
          this._nights = response.nights;
        }
      })
      .catch(() => {
        // A failed fetch hides the trend; the next change tries again.
        this._trendKey = "";
        this._nights = undefined;
      });
  }

  private async _call<T>(service: string, data: Record<string, unknown>): Promise<T> {
    const result = await this._hass!.callWS<ServiceResult<T>>({
      type: "call_service",
      domain: DOMAIN,
      service,
      service_data: { config_entry_id: this._profile!.entryId, ...data },
      return_response: true,
    });
    return result.response;
  }

  private async _tookIt(): Promise<void> {
    this._action = { kind: "busy" };
    clearTimeout(this._undoTimer);
    try {
      const dose = await this._call<LoggedDose>("log_dose", { servings: 1 });
      this._action = { kind: "logged", dose };
      this._undoTimer = setTimeout(() => {
        this._action = { kind: "idle" };
      }, UNDO_MS);
    } catch (err) {
      this._action = { kind: "failed", error: (err as { message?: string }).message ?? String(err) };
    }
  }

  private async _undo(doseId: string): Promise<void> {
    clearTimeout(this._undoTimer);
    this._action = { kind: "busy" };
    try {
      await this._call("remove_dose", { dose_id: doseId });
      this._action = { kind: "undone" };
      this._undoTimer = setTimeout(() => {
        this._action = { kind: "idle" };
      }, UNDO_MS / 2);
    } catch (err) {
      this._action = { kind: "failed", error: (err as { message?: string }).message ?? String(err) };
    }
  }

  override render(): TemplateResult {
    if (!this._config || !this._hass) {
      return html``;
    }
    if (!this._config.entity) {
      return html`<ha-card><div class="message">${this._t("no_entity")}</div></ha-card>`;
    }
    if (!this._profile || !this._loaded()) {
      return html`<ha-card><div class="message not-found">${this._t("profile_not_found")}</div></ha-card>`;
    }
    const parts = this._parts();
    const device = this._hass.devices[this._profile.deviceId];
    return html`<ha-card>
      <div class="title">${device?.name_by_user || device?.name || this._t("card_name")}</div>
      ${parts.has("tonight") ? this._renderTonight() : nothing}
      ${parts.has("experiment") ? this._renderExperiment() : nothing}
      ${parts.has("took_it") ? this._renderTookIt() : nothing}
      ${parts.has("last_night") ? this._renderLastNight() : nothing}
      ${parts.has("trend") ? this._renderTrend() : nothing}
      ${parts.has("effect") ? this._renderEffect() : nothing}
      ${parts.has("wind_down") ? this._renderWindDown() : nothing}
    </ha-card>`;
  }

  private _renderTonight(): TemplateResult {
    const today = this._state("sensor.magnesium_today");
    const mg = stateNumber(today) ?? 0;
    const target = typeof today?.attributes.target_mg === "number" ? today.attributes.target_mg : null;
    const limit = today?.attributes.upper_limit_mg;
    const taken = this._state("binary_sensor.dose_taken_today")?.state === "on";
    const over = this._state("binary_sensor.above_upper_limit")?.state === "on";
    const numbers = this._numbers;
    const share = progress(mg, target);
    return html`<section class="tonight">
      <div class="row">
        <h2>${this._t("tonight")}</h2>
        <span class="status ${taken ? "taken" : ""}">${this._t(taken ? "dose_taken" : "dose_not_taken")}</span>
      </div>
      <div class="amount">
        ${textParts(this._language, "of_target").map((piece, index) =>
          index % 2 === 0
            ? piece
            : piece === "mg"
              ? html`<span class="mg">${formatMg(mg, numbers)}</span>`
              : html`<span class="target">${target === null ? this._t("unknown") : formatMg(target, numbers)}</span>`,
        )}
      </div>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(share * 100)}>
        <div class="fill ${over ? "over" : ""}" style="width: ${share * 100}%"></div>
      </div>
      ${over && typeof limit === "number"
        ? html`<p class="limit">${this._t("above_limit", { mg: formatMg(mg, numbers), limit: formatMg(limit, numbers) })}</p>`
        : nothing}
    </section>`;
  }

  private _renderTookIt(): TemplateResult {
    const action = this._action;
    let feedback: TemplateResult | typeof nothing = nothing;
    if (action.kind === "logged") {
      feedback = html`<span class="feedback"
          >${this._t("logged", { servings: this._t("serving"), mg: formatMg(action.dose.elemental_mg, this._numbers) })}</span
        >
        <button class="undo" @click=${() => this._undo(action.dose.dose_id)}>${this._t("undo")}</button>`;
    } else if (action.kind === "undone") {
      feedback = html`<span class="feedback">${this._t("undone")}</span>`;
    } else if (action.kind === "failed") {
      feedback = html`<span class="feedback error">${this._t("failed", { error: action.error })}</span>`;
    }
    return html`<section class="took-it">
      <button class="primary took-it-button" ?disabled=${action.kind === "busy"} @click=${this._tookIt}>
        ${action.kind === "busy" ? this._t("logging") : this._t("took_it")}
      </button>
      <div class="action-feedback" aria-live="polite">${feedback}</div>
    </section>`;
  }

  private _renderLastNight(): TemplateResult {
    const hass = this._hass!;
    const score = this._state("sensor.sleep_score");
    const rows: [TextKey, string][] = [];
    const duration = this._state("sensor.sleep_duration");
    const minutes = stateMinutes(duration);
    if (minutes !== null) {
      rows.push(["duration", hass.formatEntityState ? hass.formatEntityState(duration!) : formatMinutes(minutes, this._numbers)]);
    }
    const latency = this._state("sensor.sleep_latency");
    const latencyMinutes = stateMinutes(latency);
    if (latencyMinutes !== null) {
      rows.push(["latency", hass.formatEntityState ? hass.formatEntityState(latency!) : formatMinutes(latencyMinutes, this._numbers)]);
    }
    const timeZone = hass.locale.time_zone === "local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : hass.config.time_zone;
    for (const key of ["bedtime", "wake_time"] as const) {
      const moment = this._state(`sensor.${key}`);
      if (hasValue(moment)) {
        rows.push([key, formatClock(moment.state, hass.locale, timeZone)]);
      }
    }
    if (!hasValue(score) && rows.length === 0) {
      return html`<section class="last-night">
        <h2>${this._t("last_night")}</h2>
        <p class="no-night">${this._t("no_night")}</p>
      </section>`;
    }
    const components = (score?.attributes.components ?? {}) as Record<string, number>;
    const maxPoints = (score?.attributes.max_points ?? {}) as Record<string, number>;
    const night = score?.attributes.night;
    return html`<section class="last-night">
      <div class="row">
        <h2>${this._t("last_night")}</h2>
        ${typeof night === "string" ? html`<span class="secondary">${formatNight(night, hass.locale.language)}</span>` : nothing}
      </div>
      <div class="night">
        ${hasValue(score)
          ? html`<div class="score-box">
              <span class="score">${formatNumber(Number(score.state), this._numbers)}</span>
              <span class="secondary">${this._t("score")}</span>
            </div>`
          : nothing}
        <dl class="facts">
          ${rows.map(([key, value]) => html`<div><dt>${this._t(key)}</dt><dd class=${key}>${value}</dd></div>`)}
        </dl>
      </div>
      ${Object.keys(components).length
        ? html`<ul class="components">
            ${SCORE_COMPONENTS.filter((key) => key in components).map(
              (key) => html`<li>
                <span>${this._t(`component_${key}` as TextKey)}</span>
                <span class="secondary"
                  >${key in maxPoints
                    ? this._t("points_of", {
                        points: formatNumber(components[key], this._numbers, 1),
                        max: formatNumber(maxPoints[key], this._numbers),
                      })
                    : this._t("points", { points: formatNumber(components[key], this._numbers, 1) })}</span
                >
              </li>`,
            )}
          </ul>`
        : nothing}
    </section>`;
  }

  private _renderTrend(): TemplateResult | typeof nothing {
    const today = this._state("sensor.magnesium_today");
    if (this._nights === undefined || !hasValue(today)) {
      return nothing;
    }
    const days = this._config?.days ?? DEFAULT_DAYS;
    const target = typeof today.attributes.target_mg === "number" ? today.attributes.target_mg : null;
    const points = shapeTrend(this._nights, String(today.attributes.day), days, stateNumber(today));
    const geometry = trendGeometry(points, CHART_WIDTH, CHART_HEIGHT, target);
    const language = this._hass!.locale.language;
    const selected = this._selected === undefined ? undefined : points[this._selected];
    return html`<section class="trend">
      <div class="row">
        <h2>${this._t("trend", { days })}</h2>
        <span class="legend"
          ><i class="key mg"></i>${this._t("trend_legend_mg")} <i class="key score-key"></i>${this._t("trend_legend_score")}</span
        >
      </div>
      <svg viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" preserveAspectRatio="none" role="img" aria-label=${this._t("trend", { days })}>
        ${geometry.bars.map(
          (bar) => svg`<rect class="bar-mg ${bar.index === this._selected ? "selected" : ""}" x=${bar.x} y=${bar.y} width=${bar.width} height=${bar.height}></rect>`,
        )}
        <path class="line-score" d=${geometry.scorePath}></path>
        ${geometry.dots.map((dot) => svg`<circle class="dot-score" cx=${dot.x} cy=${dot.y} r="2"></circle>`)}
        ${points.map(
          (_, index) =>
            svg`<rect class="slot" x=${index * geometry.slot} y="0" width=${geometry.slot} height=${CHART_HEIGHT} @click=${() => {
              this._selected = index;
            }}></rect>`,
        )}
      </svg>
      <div class="axis secondary">
        <span>${formatNight(points[0].night, language)}</span><span>${formatNight(points[points.length - 1].night, language)}</span>
      </div>
      <p class="secondary selected-night">${selected ? this._nightText(selected) : this._t("trend_hint")}</p>
    </section>`;
  }

  private _nightText(point: TrendPoint): string {
    return this._t("night_values", {
      night: formatNight(point.night, this._hass!.locale.language),
      mg: point.mg === null ? this._t("unknown") : formatMg(point.mg, this._numbers),
      score: point.score === null ? this._t("unknown") : formatNumber(point.score, this._numbers),
    });
  }

  private _renderEffect(): TemplateResult | typeof nothing {
    const state = this._state("sensor.magnesium_effect");
    const effect = state && state.state !== "unavailable" ? readEffect(state.state, state.attributes.unit_of_measurement, state.attributes) : null;
    if (effect === null) {
      return nothing;
    }
    const numbers = this._numbers;
    const backend = this._backend;
    const note = evidenceNote(backend);
    let figure: TemplateResult | typeof nothing = nothing;
    if (hasInterval(effect)) {
      const geometry = intervalGeometry(effect.effect, effect.ciLow, effect.ciHigh);
      const headline = this._t("effect_headline", {
        outcome: capitalize(outcomeName(effect, backend), this._language),
        effect: formatSigned(effect.effect, numbers),
        unit: unitName(effect, backend),
      });
      const interval = this._t("effect_interval", {
        low: formatSigned(effect.ciLow, numbers),
        high: formatSigned(effect.ciHigh, numbers),
      });
      figure = html`<div class="effect-headline">${headline}</div>
        <div class="interval" role="img" aria-label=${interval}>
          <div class="interval-zero" style="left: ${geometry.zero}%"></div>
          <div class="interval-range" style="left: ${geometry.low}%; width: ${geometry.high - geometry.low}%"></div>
          <div class="interval-point" style="left: ${geometry.point}%"></div>
        </div>
        <div class="interval-labels secondary">
          <span class="interval-text">${interval}</span><span>0 = ${this._t("effect_no_difference")}</span>
        </div>`;
    }
    const stars = effect.stars;
    return html`<section class="effect">
      <div class="row">
        <h2>${this._t("effect_title")}</h2>
        ${stars === null
          ? nothing
          : html`<span class="stars" role="img" title=${this._t("effect_stars", { stars })} aria-label=${this._t("effect_stars", { stars })}
              >${"★".repeat(stars)}<span class="stars-off">${"★".repeat(Math.max(0, 5 - stars))}</span></span
            >`}
      </div>
      ${figure}
      <p class="effect-sentence">${effectSentence(effect, backend, numbers)}</p>
      ${note ? html`<details class="secondary"><summary>${this._t("effect_evidence")}</summary>${note}</details>` : nothing}
    </section>`;
  }

  private _renderExperiment(): TemplateResult | typeof nothing {
    const plan = this._state("sensor.tonight_plan");
    const today = this._state("sensor.magnesium_today");
    const tonight = plan && today ? experimentTonight(plan.state, plan.attributes, String(today.attributes.day ?? "")) : null;
    if (tonight === null) {
      return nothing;
    }
    return html`<section class="experiment ${tonight.take ? "take" : "skip"}">
      <div class="row">
        <h2>${this._t("experiment_title")}</h2>
        <span class="secondary"
          >${this._t("experiment_night", {
            night: tonight.night,
            nights: tonight.nights,
            last: formatNight(tonight.lastNight, this._hass!.locale.language),
          })}</span
        >
      </div>
      <div class="plan">${this._t(tonight.take ? "experiment_take" : "experiment_skip")}</div>
      ${tonight.washout ? html`<p class="secondary washout">${this._t("experiment_washout")}</p>` : nothing}
    </section>`;
  }

  private _renderWindDown(): TemplateResult | typeof nothing {
    const next = this._state("sensor.next_wind_down");
    if (!hasValue(next)) {
      return nothing;
    }
    const hass = this._hass!;
    const timeZone = hass.locale.time_zone === "local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : hass.config.time_zone;
    return html`<section class="wind-down row">
      <h2>${this._t("next_wind_down")}</h2>
      <span class="wind-down-time">${formatClock(next.state, hass.locale, timeZone)}</span>
    </section>`;
  }

  static override styles = css`
    :host {
      display: block;
    }
    ha-card {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 16px;
      overflow: hidden;
      box-sizing: border-box;
    }
    .title {
      font-size: var(--ha-font-size-l, 20px);
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    h2 {
      margin: 0;
      font-size: var(--ha-font-size-m, 14px);
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    section {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: baseline;
      gap: 4px 12px;
    }
    .secondary,
    .status {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .status.taken {
      color: var(--success-color, #43a047);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .amount {
      color: var(--primary-text-color);
    }
    .amount .mg {
      font-size: var(--ha-font-size-xl, 24px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .bar {
      height: 8px;
      border-radius: 4px;
      background: var(--divider-color, rgba(127, 127, 127, 0.3));
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--primary-color);
      border-radius: 4px;
      transition: width 0.3s ease;
    }
    .fill.over {
      background: var(--warning-color, #ffa600);
    }
    .limit {
      margin: 0;
      padding: 8px 12px;
      border-radius: 8px;
      font-size: var(--ha-font-size-s, 12px);
      color: var(--primary-text-color);
      background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.12);
    }
    .message {
      color: var(--secondary-text-color);
    }
    .took-it {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: center;
    }
    .action-feedback {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      min-width: 0;
      color: var(--primary-text-color);
    }
    .error {
      color: var(--error-color, #db4437);
    }
    button {
      font: inherit;
      cursor: pointer;
      border-radius: 18px;
      min-height: 36px;
      padding: 0 16px;
      border: 1px solid var(--primary-color);
      background: none;
      color: var(--primary-color);
    }
    button.primary {
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .night {
      display: flex;
      flex-wrap: wrap;
      gap: 12px 24px;
      align-items: center;
    }
    .score-box {
      display: flex;
      flex-direction: column;
      align-items: center;
    }
    .score {
      font-size: 36px;
      line-height: 1;
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    .facts {
      margin: 0;
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 4px 16px;
      flex: 1;
      min-width: 180px;
    }
    dt {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    dd {
      margin: 0;
      color: var(--primary-text-color);
    }
    .components {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
      gap: 2px 16px;
      color: var(--primary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .components li {
      display: flex;
      justify-content: space-between;
      gap: 8px;
    }
    svg {
      width: 100%;
      height: 96px;
      display: block;
    }
    .bar-mg {
      fill: var(--primary-color);
      opacity: 0.45;
    }
    .bar-mg.selected {
      opacity: 0.9;
    }
    .line-score {
      fill: none;
      stroke: var(--accent-color, #ff9800);
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    .dot-score {
      fill: var(--accent-color, #ff9800);
    }
    .slot {
      fill: transparent;
      cursor: pointer;
    }
    .axis {
      display: flex;
      justify-content: space-between;
    }
    .selected-night {
      margin: 0;
    }
    .legend {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .key {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin: 0 4px 0 8px;
      border-radius: 2px;
      vertical-align: middle;
    }
    .key.mg {
      background: var(--primary-color);
      opacity: 0.45;
    }
    .key.score-key {
      height: 2px;
      background: var(--accent-color, #ff9800);
    }
    .effect-headline,
    .plan {
      color: var(--primary-text-color);
      font-size: var(--ha-font-size-l, 16px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .interval {
      position: relative;
      height: 16px;
    }
    .interval::before {
      content: "";
      position: absolute;
      left: 0;
      right: 0;
      top: 7px;
      height: 2px;
      background: var(--divider-color, rgba(127, 127, 127, 0.3));
    }
    .interval-zero {
      position: absolute;
      top: 0;
      width: 2px;
      height: 16px;
      margin-left: -1px;
      background: var(--secondary-text-color);
    }
    .interval-range {
      position: absolute;
      top: 4px;
      height: 8px;
      border-radius: 4px;
      background: var(--primary-color);
      opacity: 0.45;
    }
    .interval-point {
      position: absolute;
      top: 2px;
      width: 12px;
      height: 12px;
      margin-left: -6px;
      border-radius: 50%;
      background: var(--primary-color);
    }
    .interval-labels {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0 12px;
    }
    .effect-sentence,
    .washout {
      margin: 0;
      color: var(--primary-text-color);
    }
    .washout {
      color: var(--secondary-text-color);
    }
    .stars {
      color: var(--warning-color, #ffa600);
      letter-spacing: 2px;
    }
    .stars-off {
      color: var(--divider-color, rgba(127, 127, 127, 0.3));
    }
    details summary {
      cursor: pointer;
    }
    .experiment {
      padding: 12px;
      border-radius: 12px;
      background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.08);
    }
    .wind-down-time {
      color: var(--primary-text-color);
      font-weight: var(--ha-font-weight-medium, 500);
    }
  `;
}

/** "sleep score" as a heading: "Sleep score" (the phrase is written for mid-sentence). */
function capitalize(text: string, language: string): string {
  return text.charAt(0).toLocaleUpperCase(language) + text.slice(1);
}

declare global {
  interface Window {
    customCards?: { type: string; name: string; description: string; preview: boolean; documentationURL: string }[];
  }
}

function define(): void {
  if (!customElements.get(TAG)) {
    customElements.define(TAG, MagnesiumSleepCard);
  }
  if (!customElements.get(EDITOR_TAG)) {
    customElements.define(EDITOR_TAG, MagnesiumSleepCardEditor);
  }
}

/**
 * Define the card once Home Assistant's app has set up its custom-element registry: the app
 * replaces window.customElements while it starts, and a card defined in the browser's own
 * registry before that is unknown to the one the dashboards ask (a cold first load).
 */
function defineWhenReady(): void {
  if (customElements.get("home-assistant")) {
    define();
  } else {
    setTimeout(defineWhenReady, 50);
  }
}

defineWhenReady();

const language = document.documentElement.lang || navigator.language;
window.customCards = window.customCards ?? [];
if (!window.customCards.some((card) => card.type === TAG)) {
  window.customCards.push({
    type: TAG,
    name: localize(language, "card_name"),
    description: localize(language, "card_description"),
    preview: true,
    documentationURL: "https://github.com/magnesium-sleep/magnesium_sleep#dashboard-card",
  });
}
