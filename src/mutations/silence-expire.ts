/**
 * silenceExpire: the silence read from the cluster's Alertmanager, then expired (DELETE
 * /api/v2/silence/{id}) only if the caller could have made it — its own matchers are asked
 * again (src/alerts/silence-access.ts), so a workspace admin cannot end a cluster-wide silence.
 * A silence of another cluster in a shared backend is NOT_FOUND; one the caller may not see is
 * FORBIDDEN without its matchers (its id is no secret: alerts' silencedBy name it).
 */
import type { Scope } from "../cache/scope.js";
import { maySeeSilence, silenceAuthorityProblem } from "../alerts/silence-access.js";
import {
  fromAlertmanagerSilence,
  silenceOfCluster,
  type Silence,
  type SilenceSources,
} from "../alerts/silence.js";
import type { AlertmanagerSilence } from "../backends/alertmanager/client.js";
import { failed, type MutationOutcome } from "./outcome.js";
import type { Operation } from "./run.js";
import { alertmanagerOutcome, auditedSilence, noAlertmanager } from "./silence-target.js";

export interface SilenceExpireRequest {
  scope: Scope;
  dryRun: boolean;
  backends: SilenceSources;
}

export function silenceExpireOperation(request: SilenceExpireRequest): Operation {
  return {
    name: "silence.expire",
    // Asked in apply: the questions depend on the silence's matchers, read from Alertmanager.
    question: () => [],
    impersonated: false,
    audited: (outcome) => auditedSilence(outcome),
    apply: async (_connection, target, _as, gateway): Promise<MutationOutcome> => {
      const { cluster, name: id } = target;
      const backend = request.backends.forCluster(cluster);
      if (!backend) return noAlertmanager(target);
      let found: AlertmanagerSilence | undefined;
      try {
        found = await backend.client.silence(id);
      } catch (error) {
        return alertmanagerOutcome(target, error);
      }
      if (!found || !silenceOfCluster(found.matchers, backend.clusterLabel))
        return failed(target, "NOT_FOUND", `no silence ${id} on cluster ${cluster}`);
      // Its id is known (an alert's silencedBy names it) but not what it mutes: refused without
      // telling its matchers.
      if (!maySeeSilence(request.scope, cluster, found.matchers))
        return failed(
          target,
          "FORBIDDEN",
          `silence ${id} on cluster ${cluster} mutes alerts you may not read, so it is not yours to expire: ` +
            "a silence that pins no namespace takes a cluster role there; one of namespaces, the right to delete their pods",
        );
      const silence = fromAlertmanagerSilence(cluster, found);
      const refused = await silenceAuthorityProblem(gateway, cluster, found.matchers);
      if (refused !== undefined) return { ...failed(target, "FORBIDDEN", refused), details: { silence } };
      if (silence.state === "EXPIRED")
        return { target, status: "UNCHANGED", object: null, error: null, details: { silence } };
      if (request.dryRun)
        return { target, status: "DRY_RUN", object: null, error: null, details: { silence } };
      let expired: boolean;
      try {
        expired = await backend.client.expireSilence(id);
      } catch (error) {
        return alertmanagerOutcome(target, error);
      }
      if (!expired) return failed(target, "NOT_FOUND", `silence ${id} on cluster ${cluster} is gone`);
      const now = new Date().toISOString();
      const ended: Silence = { ...silence, endsAt: now, updatedAt: now, state: "EXPIRED" };
      return { target, status: "APPLIED", object: null, error: null, details: { silence: ended } };
    },
  };
}
