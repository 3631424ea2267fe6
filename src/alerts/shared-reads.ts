/**
 * Reads of the alert backends shared within one request or one poll round: a Prometheus or an
 * Alertmanager shared by several clusters is asked once per distinct question, not once per
 * cluster (each cluster then keeps the part its cluster label names). The memo lives as long as
 * the sources it wraps, so wrap per request or per round, never for the gateway's life.
 */
import type { SilenceBackend, SilenceSources } from "./silence.js";
import type { AlertSources, ClusterAlertSources, ClusterLabel, RulesClient } from "./sources.js";

type AlertmanagerReader = NonNullable<ClusterAlertSources["alertmanager"]>["client"];

/** What silence reads ask of a cluster's Alertmanager: its silences, nothing they would change. */
export type SilenceLister = Pick<SilenceBackend["client"], "silences">;

export interface SilenceReadSources {
  /** Undefined when the cluster has no Alertmanager configured. */
  forCluster(cluster: string): { client: SilenceLister; clusterLabel?: ClusterLabel } | undefined;
}

export function sharedAlertReads(sources: AlertSources): AlertSources {
  const prometheusClients = new Map<RulesClient, RulesClient>();
  const alertmanagerClients = new Map<AlertmanagerReader, AlertmanagerReader>();
  return {
    forCluster(cluster) {
      const { alertmanager, prometheus } = sources.forCluster(cluster);
      return {
        ...(alertmanager
          ? {
              alertmanager: {
                ...alertmanager,
                client: shared(alertmanagerClients, alertmanager.client, onceAlertmanager),
              },
            }
          : {}),
        ...(prometheus
          ? {
              prometheus: {
                ...prometheus,
                client: shared(prometheusClients, prometheus.client, oncePrometheus),
              },
            }
          : {}),
      };
    },
  };
}

/** The same for silences: an Alertmanager's silence list asked once, whatever the clusters it serves. */
export function sharedSilenceReads(sources: SilenceSources): SilenceReadSources {
  const clients = new Map<SilenceLister, SilenceLister>();
  return {
    forCluster(cluster) {
      const backend = sources.forCluster(cluster);
      return backend && { ...backend, client: shared(clients, backend.client, onceSilences) };
    },
  };
}

function shared<C>(clients: Map<C, C>, client: C, wrap: (client: C) => C): C {
  let wrapped = clients.get(client);
  if (!wrapped) clients.set(client, (wrapped = wrap(client)));
  return wrapped;
}

/** One answer per distinct question; the first asker's signal is the one sent. */
function oncePerQuestion<Q, A>(
  ask: (question: Q, signal?: AbortSignal) => Promise<A>,
): (question: Q, signal?: AbortSignal) => Promise<A> {
  const answers = new Map<string, Promise<A>>();
  return (question, signal) => {
    const key = JSON.stringify(question);
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = ask(question, signal)));
    return answer;
  };
}

function oncePrometheus(client: RulesClient): RulesClient {
  let alerts: ReturnType<RulesClient["alerts"]> | undefined;
  let rules: ReturnType<RulesClient["rules"]> | undefined;
  return {
    alerts: (signal) => (alerts ??= client.alerts(signal)),
    rules: (signal) => (rules ??= client.rules(signal)),
  };
}

function onceAlertmanager(client: AlertmanagerReader): AlertmanagerReader {
  return { alerts: oncePerQuestion((query, signal) => client.alerts(query, signal)) };
}

function onceSilences(client: SilenceLister): SilenceLister {
  const silences = oncePerQuestion((matchers: readonly string[], signal) =>
    client.silences(matchers, signal),
  );
  return { silences: (matchers = [], signal) => silences(matchers, signal) };
}
