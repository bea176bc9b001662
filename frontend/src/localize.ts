/** The card's texts in English and Dutch; anything else falls back to English. */

const EN = {
  card_name: "Magnesium & Sleep",
  card_description: "Tonight's magnesium, last night's sleep and the trend of your last weeks.",
  profile_not_found: "Profile not found. Pick a Magnesium & Sleep entity in the card's settings.",
  no_entity: "Pick a Magnesium & Sleep entity in the card's settings.",
  tonight: "Tonight",
  dose_taken: "Taken",
  dose_not_taken: "Not taken yet",
  of_target: "{mg} of {target}",
  above_limit:
    "Today's {mg} is above the {limit} upper limit for supplements. That limit is set to avoid an upset stomach; one day over it is rarely a problem. If it happens often, talk to your doctor or pharmacist.",
  took_it: "Took it",
  logging: "Logging…",
  logged: "Logged {servings}: {mg}",
  serving: "1 serving",
  undo: "Undo",
  undone: "Removed again",
  failed: "That did not work: {error}",
  last_night: "Last night",
  no_night: "No night yet",
  score: "Sleep score",
  duration: "Sleep",
  latency: "Time to fall asleep",
  bedtime: "Bedtime",
  wake_time: "Wake time",
  component_duration: "Duration",
  component_efficiency: "Efficiency",
  component_latency: "Falling asleep",
  component_waso: "Time awake",
  component_awakenings: "Awakenings",
  component_regularity: "Regularity",
  points: "{points} pts",
  points_of: "{points} of {max}",
  effect_title: "Does magnesium change your sleep?",
  effect_headline: "{outcome}: {effect} {unit}",
  effect_interval: "95 % interval {low} to {high}",
  effect_no_difference: "no difference",
  effect_stars: "{stars} of 5 stars: how much your nights tell, not how big the effect is",
  effect_evidence: "About the evidence",
  experiment_title: "Experiment",
  experiment_take: "Tonight: take your magnesium",
  experiment_skip: "Tonight: no magnesium",
  experiment_night: "Night {night} of {nights}, until the night of {last}",
  experiment_washout: "A wash-out night: it does not count in the result.",
  trend: "Last {days} nights",
  trend_legend_mg: "Magnesium (mg)",
  trend_legend_score: "Sleep score",
  trend_hint: "Tap a night to see its values.",
  trend_empty: "No nights in this period yet.",
  night_values: "{night}: {mg}, score {score}",
  unknown: "—",
  next_wind_down: "Next wind-down",
  option_entity: "Profile (any of its entities)",
  option_days: "Nights in the trend",
  option_show: "Parts to show",
  part_tonight: "Tonight",
  part_took_it: "“Took it” button",
  part_last_night: "Last night",
  part_trend: "Trend",
  part_effect: "Effect of magnesium",
  part_experiment: "Experiment: tonight's plan",
  part_wind_down: "Next wind-down",
} as const;

export type TextKey = keyof typeof EN;

const NL: Record<TextKey, string> = {
  card_name: "Magnesium & Slaap",
  card_description: "Het magnesium van vanavond, de slaap van afgelopen nacht en het verloop van de laatste weken.",
  profile_not_found: "Profiel niet gevonden. Kies een entiteit van Magnesium & Slaap in de instellingen van de kaart.",
  no_entity: "Kies een entiteit van Magnesium & Slaap in de instellingen van de kaart.",
  tonight: "Vanavond",
  dose_taken: "Al ingenomen",
  dose_not_taken: "Nog niet ingenomen",
  of_target: "{mg} van {target}",
  above_limit:
    "De {mg} van vandaag ligt boven de bovengrens van {limit} voor supplementen. Die grens is er om maagklachten te voorkomen; één dag erboven is zelden een probleem. Gebeurt het vaak, overleg dan met je arts of apotheker.",
  took_it: "Ingenomen",
  logging: "Bezig…",
  logged: "Geregistreerd {servings}: {mg}",
  serving: "1 portie",
  undo: "Ongedaan maken",
  undone: "Weer verwijderd",
  failed: "Dat lukte niet: {error}",
  last_night: "Afgelopen nacht",
  no_night: "Nog geen nacht",
  score: "Slaapscore",
  duration: "Slaap",
  latency: "Tijd om in slaap te vallen",
  bedtime: "Bedtijd",
  wake_time: "Wektijd",
  component_duration: "Duur",
  component_efficiency: "Efficiëntie",
  component_latency: "In slaap vallen",
  component_waso: "Tijd wakker",
  component_awakenings: "Keren wakker",
  component_regularity: "Regelmaat",
  points: "{points} ptn",
  points_of: "{points} van {max}",
  effect_title: "Verandert magnesium je slaap?",
  effect_headline: "{outcome}: {effect} {unit}",
  effect_interval: "95%-interval {low} tot {high}",
  effect_no_difference: "geen verschil",
  effect_stars: "{stars} van 5 sterren: hoeveel je nachten zeggen, niet hoe groot het effect is",
  effect_evidence: "Over het bewijs",
  experiment_title: "Experiment",
  experiment_take: "Vanavond: neem je magnesium",
  experiment_skip: "Vanavond: geen magnesium",
  experiment_night: "Nacht {night} van {nights}, tot en met de nacht van {last}",
  experiment_washout: "Een uitwasnacht: die telt niet mee in de uitkomst.",
  trend: "Laatste {days} nachten",
  trend_legend_mg: "Magnesium (mg)",
  trend_legend_score: "Slaapscore",
  trend_hint: "Tik op een nacht voor de waarden.",
  trend_empty: "Nog geen nachten in deze periode.",
  night_values: "{night}: {mg}, score {score}",
  unknown: "—",
  next_wind_down: "Volgende wind-down",
  option_entity: "Profiel (een van de entiteiten)",
  option_days: "Nachten in het verloop",
  option_show: "Te tonen onderdelen",
  part_tonight: "Vanavond",
  part_took_it: "Knop “Ingenomen”",
  part_last_night: "Afgelopen nacht",
  part_trend: "Verloop",
  part_effect: "Effect van magnesium",
  part_experiment: "Experiment: plan voor vanavond",
  part_wind_down: "Volgende wind-down",
};

const TEXTS: Record<string, Record<TextKey, string>> = { en: EN, nl: NL };

/** A text in `language` (e.g. "nl", "nl-BE", "en-GB") with its {placeholders} filled. */
export function localize(
  language: string,
  key: TextKey,
  values: Record<string, string | number> = {},
): string {
  const texts = TEXTS[language.split("-")[0].toLowerCase()] ?? EN;
  return texts[key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}

/** A text split at its placeholders: odd places hold a placeholder's name (to render as markup). */
export function textParts(language: string, key: TextKey): string[] {
  return localize(language, key).split(/\{(\w+)\}/);
}

/** Every language the card speaks has every text (checked by the unit tests). */
export const LANGUAGES = Object.keys(TEXTS);
export function textKeys(language: string): string[] {
  return Object.keys(TEXTS[language]);
}
