/** An alert as Alertmanager's API v2 answers it, for unit tests of the alerts services. */
import type { AlertmanagerAlert } from "../../src/backends/alertmanager/client.js";
import { labelsFingerprint } from "../../src/alerts/alert.js";

export function managedAlert(labels: Record<string, string>, state = "active"): AlertmanagerAlert {
  return {
    fingerprint: labelsFingerprint(labels),
    labels,
    annotations: {},
    startsAt: "2026-12-06T10:00:00Z",
    updatedAt: "2026-12-06T10:00:00Z",
    state,
    silencedBy: state === "suppressed" ? ["silence-1"] : [],
    inhibitedBy: [],
    receivers: ["null"],
  };
}
