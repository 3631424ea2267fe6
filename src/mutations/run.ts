/**
 * The per-target pipeline every mutation shares: authorised by the gateway (the caller's
 * access), then sent to the cluster impersonated as the caller (so its RBAC decides too),
 * audited, and for an applied change, read-your-writes (bounded) in the cache.
 */
import { impersonationOf } from "../../auth/impersonation.js";
import type { Subject } from "../../auth/subject.js";
import type { RequestAudit } from "../audit/recorder.js";
import { versionText } from "../cache/entry.js";
import { compareVersions } from "../cache/resource-version.js";
import { Scope } from "../cache/scope.js";
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { AccessQuestion, RequestAccess } from "../request/access.js";
import { failed, outcomeOfError, type MutationOutcome } from "./outcome.js";
import type { MutationTarget } from "./targets.js";

/** Who asks: the parts of the request context a mutation uses. */
export interface MutationCaller {
  subject: Subject;
  scope: Scope;
  access: RequestAccess;
  audit: RequestAudit;
  reader: ObjectReader;
}

/** The member clusters by name (the fleet registry). */
export interface Connections {
  get(cluster: string): ClusterConnection | undefined;
}

/** How long an applied change waits for the cache to hold it (read-your-writes). */
export const READ_YOUR_WRITES_MS = 2_000;
const POLL_MS = 20;

export interface Operation {
  /** The audit trail's name: "workload.scale". */
  name: string;
  /** What the gateway checks first, for one target. */
  question(target: MutationTarget): AccessQuestion;
  /** The cluster call(s); throws ClusterErrors for refusals and failures. */
  apply(connection: ClusterConnection, target: MutationTarget, as: RequestOptions): Promise<MutationOutcome>;
}

const EVERYTHING = Scope.everything();

export async function runOperation(
  caller: MutationCaller,
  connections: Connections,
  targets: readonly MutationTarget[],
  operation: Operation,
): Promise<MutationOutcome[]> {
  const impersonate = impersonationOf(caller.subject);
  const as: RequestOptions = impersonate ? { impersonate } : {};
  return Promise.all(
    targets.map(async (target) => {
      const outcome = await runOne(caller, connections, target, operation, as);
      await caller.audit.record({
        operation: operation.name,
        outcome: outcome.status === "FORBIDDEN" ? "denied" : outcome.error === null ? "success" : "failure",
        cluster: target.cluster,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        resource: `${target.kind.path.plural}/${target.name || target.id}`,
        reason: outcome.error ? `${outcome.status}: ${outcome.error.message}` : outcome.status,
      });
      if (outcome.status === "APPLIED" && outcome.object)
        await readYourWrites(caller.reader, target, outcome);
      return outcome;
    }),
  );
}

async function runOne(
  caller: MutationCaller,
  connections: Connections,
  target: MutationTarget,
  operation: Operation,
  as: RequestOptions,
): Promise<MutationOutcome> {
  if (!target.entry) return failed(target, "NOT_FOUND", "no such object (deleted, or not yours to see)");
  const decided = await caller.access.can(operation.question(target));
  if (!decided.allowed) {
    return failed(target, "FORBIDDEN", decided.reason ?? "the gateway's access rules refuse this");
  }
  const connection = connections.get(target.cluster);
  if (!connection) return failed(target, "CLUSTER_UNAVAILABLE", `cluster ${target.cluster} is not served`);
  try {
    return await operation.apply(connection, target, as);
  } catch (error) {
    return outcomeOfError(target, error);
  }
}

/** Waits (bounded) until the cache holds the object at the answered resourceVersion or newer. */
async function readYourWrites(
  reader: ObjectReader,
  target: MutationTarget,
  outcome: MutationOutcome,
): Promise<void> {
  const written = outcome.object?.metadata.resourceVersion;
  const uid = target.entry?.uid;
  if (!written || !uid) return;
  const deadline = Date.now() + READ_YOUR_WRITES_MS;
  for (;;) {
    const cached = reader.get(target.cluster, target.kind.kind, uid, EVERYTHING);
    const order = cached ? compareVersions(versionText(cached.resourceVersion), written) : undefined;
    // Not comparable (not decimal): nothing to wait for.
    if (cached && (order === undefined || order >= 0)) return;
    if (Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
