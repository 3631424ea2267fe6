/**
 * What the silence operations share: a cluster's Alertmanager as a mutation target (a silence
 * is no Kubernetes object, but its outcome, audit and idempotency are every mutation's), and an
 * Alertmanager's failure as the outcome it means.
 */
import { AlertmanagerError } from "../backends/alertmanager/errors.js";
import type { ResourcePath } from "../fleet/resources.js";
import { matcherText, pinnedNamespaces } from "../alerts/silence-matchers.js";
import type { SilenceMatcher } from "../alerts/silence.js";
import type { MutationOutcome } from "./outcome.js";
import type { AuditedAs } from "./run.js";
import type { MutationTarget } from "./targets.js";

/** Alertmanager's API v2 collection, for the audit trail's `silences/<id>`. */
const SILENCES: ResourcePath = { prefix: "/api/v2", plural: "silences", namespaced: false };

/** The silence `id` ("" for one to create) on `cluster`; `namespace` when its matchers pin exactly one. */
export function silenceTarget(cluster: string, id: string, namespace = ""): MutationTarget {
  return {
    cluster,
    apiVersion: "alertmanager/v2",
    kind: "Silence",
    path: SILENCES,
    group: "",
    namespace,
    name: id,
    id: null,
    cached: undefined,
    entry: undefined,
    problem: undefined,
  };
}

/**
 * A silence's audit record: `silences/<id>` (`new` for a create that made none), the namespace
 * when the matchers pin exactly one, and what it mutes until when — for a refusal too, since a
 * denied attempt is what an audit is read for. `matchers`: the caller's, for a create; an
 * expiry knows them once Alertmanager answered (not for one the caller may not see).
 */
export function auditedSilence(outcome: MutationOutcome, matchers?: readonly SilenceMatcher[]): AuditedAs {
  const silence = outcome.details?.silence;
  const muted = silence?.matchers ?? matchers;
  const pinned = muted && pinnedNamespaces(muted);
  const detail = muted && `matchers {${muted.map(matcherText).join(", ")}}`;
  return {
    resource: `silences/${silence?.id || outcome.target.name || "new"}`,
    ...(pinned?.size === 1 ? { namespace: [...pinned][0]! } : {}),
    ...(detail ? { detail: silence ? `${detail} until ${silence.endsAt}` : detail } : {}),
  };
}

export function noAlertmanager(target: MutationTarget): MutationOutcome {
  return {
    target,
    status: "FAILED",
    object: null,
    error: {
      code: "NO_ALERT_SOURCE",
      message: `cluster ${target.cluster} has no Alertmanager configured: its silences cannot be managed here`,
    },
  };
}

/**
 * Alertmanager down or slow: CLUSTER_UNAVAILABLE (a retry with the same idempotency key sends it
 * again); refused as malformed: INVALID. The code says which (ALERTMANAGER_UNAVAILABLE, ...).
 */
export function alertmanagerOutcome(target: MutationTarget, error: unknown): MutationOutcome {
  if (!(error instanceof AlertmanagerError)) throw error;
  const status = error.code === "ALERTMANAGER_BAD_QUERY" ? "INVALID" : "CLUSTER_UNAVAILABLE";
  return { target, status, object: null, error: { code: error.code, message: error.message } };
}
