/** Every scenario by name. Later capabilities add theirs here. */
import { churnScenario } from "./churn.js";
import { churnQueryScenario } from "./churn-query.js";
import { federationScenario } from "./federation.js";
import { entityObjects } from "./entity-objects.js";
import { logsScenario } from "./logs.js";
import { metricsScenario } from "./metrics.js";
import { dashboard, nodeLookup, podsQuery, throughput } from "./queries.js";
import { scale } from "./scale.js";
import type { Scenario } from "./scenario.js";
import { soak } from "./soak.js";
import { subscriptionsScenario } from "./subscriptions.js";
import { sync } from "./sync.js";

export interface ScenarioFlags {
  churnRates?: number[] | undefined;
  /** subscriptions: subscriber counts; subscriptions and churn-query: the churn while measuring. */
  subscribers?: number[] | undefined;
  churn?: number | undefined;
  /** churn-query: pods-queries per second asked. */
  queryRate?: number | undefined;
  /** metrics: seconds of scraped history before measuring. */
  historyS?: number | undefined;
}

export function scenarios(options: ScenarioFlags = {}): Map<string, Scenario> {
  const all = [
    podsQuery,
    nodeLookup,
    dashboard,
    sync,
    scale,
    churnScenario(options.churnRates),
    churnQueryScenario({ churn: options.churn, queryRate: options.queryRate }),
    throughput,
    subscriptionsScenario({ subscribers: options.subscribers, churn: options.churn }),
    metricsScenario({ historyS: options.historyS }),
    logsScenario,
    federationScenario,
    entityObjects,
    soak,
  ];
  return new Map(all.map((s) => [s.name, s]));
}

export type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";
