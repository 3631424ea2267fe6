/**
 * silenceCreate on one cluster: the caller's authority over the namespaces the matchers pin
 * (src/alerts/silence-access.ts), then one POST /api/v2/silences to the cluster's Alertmanager,
 * created by the caller's user name. In a backend that holds several clusters' alerts the
 * cluster label's matcher is added, so the silence mutes this cluster's alerts only.
 */
import { silenceAuthorityProblem } from "../alerts/silence-access.js";
import { clusterMatcher, type Silence, type SilenceMatcher, type SilenceSources } from "../alerts/silence.js";
import type { SilenceWindow } from "../alerts/silence-window.js";
import { failed, type MutationOutcome } from "./outcome.js";
import type { Operation } from "./run.js";
import { alertmanagerOutcome, auditedSilence, noAlertmanager } from "./silence-target.js";

export interface SilenceCreateRequest {
  matchers: readonly SilenceMatcher[];
  window: SilenceWindow;
  comment: string;
  createdBy: string;
  dryRun: boolean;
  backends: SilenceSources;
}

export function silenceCreateOperation(request: SilenceCreateRequest): Operation {
  return {
    name: "silence.create",
    // Asked in apply: the questions depend on the namespaces the matchers pin.
    question: () => [],
    impersonated: false,
    audited: (outcome) => auditedSilence(outcome, request.matchers),
    apply: async (_connection, target, _as, gateway): Promise<MutationOutcome> => {
      const backend = request.backends.forCluster(target.cluster);
      if (!backend) return noAlertmanager(target);
      // A matcher on the label was refused as input (silences.ts): this one is the cluster's own.
      const label = backend.clusterLabel;
      const refused = await silenceAuthorityProblem(gateway, target.cluster, request.matchers);
      if (refused !== undefined) return failed(target, "FORBIDDEN", refused);
      const matchers = label ? [...request.matchers, clusterMatcher(label)] : [...request.matchers];
      const postable = {
        matchers,
        startsAt: request.window.startsAt.toISOString(),
        endsAt: request.window.endsAt.toISOString(),
        createdBy: request.createdBy,
        comment: request.comment,
      };
      const made = (id: string): Silence => ({
        cluster: target.cluster,
        id,
        ...postable,
        updatedAt: postable.startsAt,
        state: "ACTIVE",
      });
      if (request.dryRun)
        return { target, status: "DRY_RUN", object: null, error: null, details: { silence: made("") } };
      let id: string;
      try {
        id = await backend.client.createSilence(postable);
      } catch (error) {
        return alertmanagerOutcome(target, error);
      }
      return { target, status: "APPLIED", object: null, error: null, details: { silence: made(id) } };
    },
  };
}
