/** Every scenario by name. Later capabilities add theirs here. */
import { churnScenario } from "./churn.js";
import { dashboard, nodeLookup, podsQuery, throughput } from "./queries.js";
import type { Scenario } from "./scenario.js";
import { sync } from "./sync.js";

export function scenarios(options: { churnRates?: number[] } = {}): Map<string, Scenario> {
  const all = [podsQuery, nodeLookup, dashboard, sync, churnScenario(options.churnRates), throughput];
  return new Map(all.map((s) => [s.name, s]));
}

export type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";
