/**
 * What every mutation resolver shares: the caller from the request context, the mutation
 * services, and the service's result as the schema's payload (objects typed by their kind).
 */
import { toEntry } from "../src/cache/entry.js";
import type { MutationContext } from "../src/mutations/context.js";
import type { MutationCaller, MutationResult, MutationServices } from "../src/mutations/index.js";
import { objectId } from "../src/query-service/global-id.js";
import type { RequestContext } from "../src/request/context.js";
import type { MutationPayloadShape, MutationStatus } from "../schema/mutations.js";
import type { DrainedPod, DrainedPodResult } from "../schema/node-drain.js";
import { anyView } from "./views/index.js";

export type MutationRequestContext = RequestContext & MutationContext;

export function callerOf(ctx: MutationRequestContext): MutationCaller {
  return {
    subject: ctx.subject,
    scope: ctx.scope,
    access: ctx.access,
    audit: ctx.audit,
    reader: ctx.services.reader,
    select: (kinds, filter, first) =>
      ctx.services.objects.list(
        kinds,
        { filter, orderBy: null, page: { first }, consistency: null },
        ctx.scope,
        ctx.subject,
        ctx.outcomes,
      ),
    groupInstances: (key) => ctx.services.fleetWorkloads.get(key, ctx.scope, true)?.instances,
  };
}

export function mutationsOf(ctx: MutationRequestContext): MutationServices {
  if (!ctx.mutations) throw new Error("mutations are not served by this server");
  return ctx.mutations;
}

/** Each target is a write, a read back and a wait for the cache: priced like 10 objects. */
export const WRITE_PER_TARGET = { perMutationTarget: 10 };

/**
 * The payload of a result. `object` is the answer as the schema's type of its kind (T is the
 * field's declared type: the caller names it, the view makes it).
 */
export function payloadOf<T>(
  result: MutationResult,
  ctx: MutationRequestContext,
): MutationPayloadShape<{
  cluster: string;
  target: { id: string | null; apiVersion: string; kind: string; name: string; namespace: string };
  status: MutationStatus;
  object: T | null;
  /** The answer as JSON (ObjectMutationOutcome.manifest; other outcome types leave it out). */
  manifest: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  replayed: boolean;
  /** What became of each pod (ClusterNodeDrainOutcome.pods; other outcome types leave it out). */
  pods: DrainedPod[];
}> {
  return {
    outcomes: result.outcomes.map((o) => {
      const { target } = o;
      const entry = o.object && target.cached ? toEntry(target.cluster, target.cached, o.object) : undefined;
      return {
        cluster: target.cluster,
        target: {
          id:
            target.id ??
            (entry && target.cached ? objectId(target.cached.kind, target.cluster, entry.uid) : null),
          apiVersion: target.apiVersion,
          kind: target.kind,
          name: target.name || (o.object?.metadata.name ?? ""),
          namespace: target.namespace || (o.object?.metadata.namespace ?? ""),
        },
        status: o.status as MutationStatus,
        object: entry ? (anyView(entry, ctx.services.workspaceLabel) as unknown as T) : null,
        manifest: o.object ? o.object : null,
        error: o.error,
        replayed: o.replayed === true,
        pods: (o.details?.pods ?? []).map((p) => ({ ...p, result: p.result as DrainedPodResult })),
      };
    }),
    userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message, code: e.code })),
  };
}
