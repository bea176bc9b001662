"""Sleep: one record per night, assembled from whatever a person's sources give.

What is where:

- `window`: the night window, the night key of a moment (`night_of`, None for a
  nap) and the span a night's intervals may close in (`span_of`, `window_bounds`);
- `night`: the record (`Night`, `Field`, `Provenance`, `Transition`) and its
  storage format (`to_dict` / `from_dict`);
- `signals`: what sources feed (`InBed`, `Asleep`, `Summary`, `SleepEvent`,
  `ManualEntry`), Sleep as Android's event mapping and the manual-entry rules;
- `assembler`: `NightAssembler`, which derives and merges a night's values.

Which evening a moment belongs to is the clock rule (`domain.clock`); the score and
regularity of a night are in `domain.score`. Import from the submodules directly.
"""
