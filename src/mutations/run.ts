/**
 * The pipeline every mutation shares, per target: authorised by the gateway (the caller's
 * access), then sent to the cluster impersonated as the caller (so its RBAC decides too),
 * audited, and for an applied change, read-your-writes (bounded) in the cache. Around it, an
 * optional idempotency key (src/mutations/idempotency.ts) replays the first outcomes.
 */
import { impersonationOf } from "../../auth/impersonation.js";
import type { Subject } from "../../auth/subject.js";
import type { RequestAudit } from "../audit/recorder.js";
import { entryUid, versionText } from "../cache/entry.js";
import { compareVersions } from "../cache/resource-version.js";
import { Scope } from "../cache/scope.js";
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { AccessQuestion, RequestAccess } from "../request/access.js";
import { targetKey, type IdempotencyKeys, type KeyClaim } from "./idempotency.js";
import { failed, outcomeOfError, type MutationOutcome, type MutationResult } from "./outcome.js";
import { MAX_MUTATION_TARGETS, type MutationTarget } from "./targets.js";

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

/** The config's `mutations` section. */
export interface MutationSettings {
  /** How many objects one mutation may touch. */
  maxTargets: number;
}

export const DEFAULT_MUTATION_SETTINGS: MutationSettings = { maxTargets: MAX_MUTATION_TARGETS };

/** How long an applied change waits for the cache to hold it (read-your-writes). */
export const READ_YOUR_WRITES_MS = 2_000;
const POLL_MS = 20;

export interface Operation {
  /** The audit trail's name, and the idempotency key's namespace: "workload.scale". */
  name: string;
  /** What the gateway checks first, for one target. */
  question(target: MutationTarget): AccessQuestion;
  /** The cluster call(s); throws ClusterErrors for refusals and failures. */
  apply(connection: ClusterConnection, target: MutationTarget, as: RequestOptions): Promise<MutationOutcome>;
  /**
   * What the cache must show before the answer goes back: the written version (default), or
   * for a deletion the object gone (or, still finalising, at the answered version).
   */
  readBack?: "written" | "deleted";
}

export interface MutationRequest {
  operation: Operation;
  targets: readonly MutationTarget[];
  /** The input as given, which an idempotency key is bound to. */
  input: unknown;
  idempotencyKey?: string | null | undefined;
}

const EVERYTHING = Scope.everything();

export class MutationPipeline {
  constructor(
    readonly connections: Connections,
    private readonly keys: IdempotencyKeys,
    private readonly settings: () => MutationSettings = () => DEFAULT_MUTATION_SETTINGS,
  ) {}

  /** How many objects one mutation may touch (read per request: the config can be reloaded). */
  maxTargets(): number {
    return this.settings().maxTargets;
  }

  async run(caller: MutationCaller, request: MutationRequest): Promise<MutationResult> {
    const { operation, targets, idempotencyKey } = request;
    let claim: KeyClaim | undefined;
    if (idempotencyKey !== undefined && idempotencyKey !== null) {
      const claimed = await this.keys.claim(
        caller.subject.user,
        operation.name,
        idempotencyKey,
        request.input,
      );
      if ("userError" in claimed) return { outcomes: [], userErrors: [claimed.userError] };
      claim = claimed.claim;
    }
    const impersonate = impersonationOf(caller.subject);
    const as: RequestOptions = impersonate ? { impersonate } : {};
    let outcomes: MutationOutcome[];
    try {
      outcomes = await Promise.all(
        targets.map(async (target) => {
          const first = claim?.previous.get(targetKey(target));
          if (first) return { ...first, target, replayed: true };
          const outcome = await runOne(caller, this.connections, target, operation, as);
          await caller.audit.record({
            operation: operation.name,
            outcome:
              outcome.status === "FORBIDDEN" ? "denied" : outcome.error === null ? "success" : "failure",
            cluster: target.cluster,
            ...(target.namespace ? { namespace: target.namespace } : {}),
            resource: `${target.path.plural}/${target.name || target.id || "?"}`,
            reason: outcome.error ? `${outcome.status}: ${outcome.error.message}` : outcome.status,
          });
          if (outcome.status === "APPLIED" && outcome.object)
            await readYourWrites(caller.reader, outcome, operation.readBack ?? "written");
          return outcome;
        }),
      );
    } catch (error) {
      await claim?.release();
      throw error;
    }
    await claim?.finish(outcomes);
    return { outcomes, userErrors: [] };
  }
}

async function runOne(
  caller: MutationCaller,
  connections: Connections,
  target: MutationTarget,
  operation: Operation,
  as: RequestOptions,
): Promise<MutationOutcome> {
  if (target.problem) return failed(target, target.problem.status, target.problem.message);
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

/** Waits (bounded) until the cache shows the change: the answered version or newer, or the object gone. */
async function readYourWrites(
  reader: ObjectReader,
  outcome: MutationOutcome,
  expect: "written" | "deleted",
): Promise<void> {
  const { target, object } = outcome;
  const written = object?.metadata.resourceVersion;
  if (!object || !written || !target.cached) return;
  const uid = entryUid(object);
  const finalising = object.metadata.deletionTimestamp !== undefined;
  const deadline = Date.now() + READ_YOUR_WRITES_MS;
  for (;;) {
    const cached = reader.get(target.cluster, target.cached.kind, uid, EVERYTHING);
    if (!cached && expect === "deleted") return;
    const order = cached ? compareVersions(versionText(cached.resourceVersion), written) : undefined;
    // Not comparable (not decimal): nothing to wait for. A deletion's answer can carry the
    // object's last version before it: only a finalising object is settled by reaching it.
    const reached = cached && (order === undefined || order >= 0);
    if (reached && (expect === "written" || finalising)) return;
    if (Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
