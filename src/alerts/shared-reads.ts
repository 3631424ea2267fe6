/**
 * Reads of the alert backends shared within one request or one poll round: a Prometheus or an
 * Alertmanager shared by several clusters is asked once per distinct question, not once per
 * cluster (each cluster then keeps the part its cluster label names). The memo lives as long as
 * the AlertSources it wraps, so wrap per request or per round, never for the gateway's life.
 */
import type { AlertSources, ClusterAlertSources, RulesClient } from "./sources.js";

type AlertmanagerReader = NonNullable<ClusterAlertSources["alertmanager"]>["client"];

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

function shared<C>(clients: Map<C, C>, client: C, wrap: (client: C) => C): C {
  let wrapped = clients.get(client);
  if (!wrapped) clients.set(client, (wrapped = wrap(client)));
  return wrapped;
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
  const answers = new Map<string, ReturnType<AlertmanagerReader["alerts"]>>();
  return {
    alerts(query, signal) {
      const key = JSON.stringify(query);
      let answer = answers.get(key);
      if (!answer) answers.set(key, (answer = client.alerts(query, signal)));
      return answer;
    },
  };
}
