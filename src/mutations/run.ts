/**
 * The pipeline every mutation shares, per target: authorised by the gateway (the caller's
 * access), then sent to the cluster impersonated as the caller (so its RBAC decides too),
 * audited, and for an applied change, read-your-writes (bounded) in the cache. Around it, an
 * optional idempotency key (src/mutations/idempotency.ts) replays the first outcomes.
 */
import { impersonationOf } from "../../auth/impersonation.js";
import { subjectKey, type Subject } from "../../auth/subject.js";
import type { RequestAudit } from "../audit/recorder.js";
import { entryUid, versionText } from "../cache/entry.js";
import { compareVersions } from "../cache/resource-version.js";
import { Scope } from "../cache/scope.js";
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import type { KubeObject } from "../kube/object.js";
import { withheldValues } from "../live-read/secret-values.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { AccessAnswer, AccessQuestion, RequestAccess } from "../request/access.js";
import type { GroupInstances } from "./group-targets.js";
import { targetKey, type IdempotencyKeys, type KeyClaim } from "./idempotency.js";
import { failed, outcomeOfError, type MutationOutcome, type MutationResult } from "./outcome.js";
import { MAX_MUTATION_TARGETS, type MutationTarget, type SelectObjects } from "./targets.js";

/** Who asks: the parts of the request context a mutation uses. */
export interface MutationCaller {
  subject: Subject;
  scope: Scope;
  access: RequestAccess;
  audit: RequestAudit;
  reader: ObjectReader;
  /** What a list filter selects now, for mutations given a filter instead of ids. */
  select: SelectObjects;
  /** A fleet workload's instances the caller reads now, for mutations given groups. */
  groupInstances: GroupInstances;
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
  /**
   * What the gateway checks first, for one target: every question must be allowed. None: the
   * operation asks in `apply`, through `gateway`, once it knows what to ask (a silence's expiry
   * learns its matchers from Alertmanager).
   */
  question(target: MutationTarget): AccessQuestion | readonly AccessQuestion[];
  /**
   * False for a write to a backend that knows no Kubernetes users (Alertmanager's silences): no
   * cluster decides it again, so the gateway's copy of the cluster's RBAC is asked with its grants.
   * Default true: the write goes to the cluster impersonated, whose RBAC decides it for real.
   */
  impersonated?: boolean;
  /**
   * How an outcome is told in the audit record when its target does not say it all (a silence:
   * its id is learnt from Alertmanager, what it mutes from its matchers); default the target's
   * `<plural>/<name>` and namespace.
   */
  audited?: (outcome: MutationOutcome) => AuditedAs;
  /**
   * The cluster call(s); throws ClusterErrors for refusals and failures. `gateway` answers any
   * further question an operation has for the gateway (a drain's evictions, an apply that
   * creates), as the pipeline asks its own.
   */
  apply(
    connection: ClusterConnection,
    target: MutationTarget,
    as: RequestOptions,
    gateway: GatewayAccess,
  ): Promise<MutationOutcome>;
  /**
   * What the cache must show before the answer goes back: the written version (default), or
   * for a deletion the object gone (or, still finalising, at the answered version).
   */
  readBack?: "written" | "deleted";
  /**
   * Targets with the same key are sent one after another, in the order given (a manifest's
   * documents on one cluster: a Namespace before what goes in it); all others in parallel.
   */
  sequence?: (target: MutationTarget) => string;
}

export interface MutationRequest {
  operation: Operation;
  targets: readonly MutationTarget[];
  /** The input as given, which an idempotency key is bound to. */
  input: unknown;
  idempotencyKey?: string | null | undefined;
}

const EVERYTHING = Scope.everything();

/** The gateway's part of a decision for a request that will be sent to the cluster impersonated. */
export type GatewayAccess = (question: AccessQuestion) => Promise<AccessAnswer>;

/**
 * The gateway's grants (and OPA) for a write; the cluster's RBAC is the cluster's, which gets the
 * call impersonated and answers for itself (a denial there is FORBIDDEN too, and in its audit log).
 */
export function gatewayAccess(access: Pick<RequestAccess, "can">, impersonated = true): GatewayAccess {
  return impersonated
    ? (question) => access.can({ ...question, decidedByCluster: true })
    : (question) => access.can(question);
}

/** The gateway's question for `verb` on a target itself (or its subresource), in the API server's terms. */
export function verbOn(verb: string, subresource?: string): (target: MutationTarget) => AccessQuestion {
  return (t) => ({
    verb,
    group: t.group,
    resource: t.path.plural,
    ...(subresource ? { subresource } : {}),
    cluster: t.cluster,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    name: t.name,
  });
}

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
      // Keyed by the whole subject (user, groups, an API token's narrower roles): a credential
      // with less access does not get the outcomes of one with more.
      const claimed = await this.keys.claim(
        subjectKey(caller.subject),
        operation.name,
        idempotencyKey,
        request.input,
      );
      if ("userError" in claimed) return { outcomes: [], userErrors: [claimed.userError] };
      claim = claimed.claim;
    }
    const impersonate = impersonationOf(caller.subject);
    const as: RequestOptions = impersonate ? { impersonate } : {};
    const outcomes = await inSequences(targets, operation.sequence, async (target) => {
      const first = claim?.previous.get(targetKey(target));
      if (first) return { ...first, target, replayed: true };
      const outcome = await runOne(caller, this.connections, target, operation, as);
      await audit(caller, operation, outcome);
      return outcome;
    });
    // Read-your-writes once every write is sent: a manifest's documents do not wait for each other.
    await Promise.all(
      outcomes
        .filter((o) => o.status === "APPLIED" && o.object && !o.replayed)
        .map((o) => readYourWrites(caller.reader, o, operation.readBack ?? "written")),
    );
    // The writes are done whatever happens to the record: a store that fails now costs the next
    // retry its replay, never this answer.
    await claim?.finish(outcomes).catch(() => undefined);
    return { outcomes, userErrors: [] };
  }
}

/** An outcome as its audit record names it. */
export interface AuditedAs {
  resource: string;
  /** Default the target's. */
  namespace?: string;
  /** What the status does not say (a silence's matchers and end), appended to the reason. */
  detail?: string;
}

/** One audit event per attempted target; a trail that cannot take it does not unmake the write. */
async function audit(caller: MutationCaller, operation: Operation, outcome: MutationOutcome): Promise<void> {
  const { target } = outcome;
  const as = operation.audited?.(outcome);
  const namespace = as?.namespace ?? target.namespace;
  const status = outcome.error ? `${outcome.status}: ${outcome.error.message}` : outcome.status;
  await caller.audit
    .record({
      operation: operation.name,
      outcome: outcome.status === "FORBIDDEN" ? "denied" : outcome.error === null ? "success" : "failure",
      cluster: target.cluster,
      ...(namespace ? { namespace } : {}),
      resource: as?.resource ?? `${target.path.plural}/${target.name || target.id || "?"}`,
      reason: as?.detail ? `${status}; ${as.detail}` : status,
    })
    .catch(() => undefined);
}

/** `run` over every target, the outcomes in the targets' order; one key's targets one at a time. */
async function inSequences(
  targets: readonly MutationTarget[],
  sequence: ((target: MutationTarget) => string) | undefined,
  run: (target: MutationTarget) => Promise<MutationOutcome>,
): Promise<MutationOutcome[]> {
  if (!sequence) return Promise.all(targets.map(run));
  const tails = new Map<string, Promise<unknown>>();
  return Promise.all(
    targets.map((target) => {
      const key = sequence(target);
      const outcome = (tails.get(key) ?? Promise.resolve()).then(() => run(target));
      tails.set(
        key,
        outcome.catch(() => undefined),
      );
      return outcome;
    }),
  );
}

/** One target's outcome; whatever goes wrong becomes that target's outcome, never the mutation's. */
async function runOne(
  caller: MutationCaller,
  connections: Connections,
  target: MutationTarget,
  operation: Operation,
  as: RequestOptions,
): Promise<MutationOutcome> {
  try {
    return withoutSecretValues(await attempt(caller, connections, target, operation, as));
  } catch (error) {
    return outcomeOfError(target, error);
  }
}

/**
 * A mutation never answers a Secret's values: deleting or patching one does not grant reading
 * it (values leave only through the reads that check `get`; docs/security.md "Secrets").
 */
function withoutSecretValues(outcome: MutationOutcome): MutationOutcome {
  const { object, target } = outcome;
  if (!object || target.apiVersion !== "v1" || target.kind !== "Secret") return outcome;
  return { ...outcome, object: withheldValues(object) as unknown as KubeObject };
}

async function attempt(
  caller: MutationCaller,
  connections: Connections,
  target: MutationTarget,
  operation: Operation,
  as: RequestOptions,
): Promise<MutationOutcome> {
  if (target.problem) return failed(target, target.problem.status, target.problem.message);
  const gateway = gatewayAccess(caller.access, operation.impersonated ?? true);
  const asked = operation.question(target);
  const questions: readonly AccessQuestion[] = "verb" in asked ? [asked] : asked;
  for (const question of questions) {
    const decided = await gateway(question);
    if (!decided.allowed) {
      return failed(target, "FORBIDDEN", decided.reason ?? "the gateway's access rules refuse this");
    }
  }
  const connection = connections.get(target.cluster);
  if (!connection) return failed(target, "CLUSTER_UNAVAILABLE", `cluster ${target.cluster} is not served`);
  return operation.apply(connection, target, as, gateway);
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
