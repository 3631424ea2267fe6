/**
 * What a mutation acts on. Most mutations name objects by the global ids queries hand out: an id
 * that is not of a kind the mutation acts on is a user error with its field path; an id outside
 * the caller's Scope resolves exactly like a deleted object (NOT_FOUND), as Query.node does.
 * Others (objectDelete, manifestApply) name objects as a manifest does: cluster, apiVersion,
 * kind, namespace and name, found through the cluster's discovery.
 */
import { resourceOf } from "../../auth/access/resource-request.js";
import type { CacheEntry } from "../cache/entry.js";
import type { Scope } from "../cache/scope.js";
import type { ResourcePath } from "../fleet/resources.js";
import type { AnyKind } from "../kinds/index.js";
import { decodeGlobalId, objectId } from "../query-service/global-id.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { MutationStatus, UserErrorRecord } from "./outcome.js";

/** How many objects one mutation may touch unless the config says otherwise (`mutations.maxTargets`). */
export const MAX_MUTATION_TARGETS = 100;

export interface MutationTarget {
  cluster: string;
  /** As in a manifest: "apps/v1", "v1". */
  apiVersion: string;
  kind: string;
  /** Where it lives in the REST API. */
  path: ResourcePath;
  /** Its API group ("" for core), for access questions. */
  group: string;
  /** "" for cluster-scoped objects, and for an id that names nothing readable. */
  namespace: string;
  name: string;
  /** Its global id: as given, or (a cached kind) once the API server's answer names its uid. */
  id: string | null;
  /** The gateway's descriptor when it caches the kind: typed payload objects, read-your-writes. */
  cached: AnyKind | undefined;
  /** The cache's entry when an id was resolved. */
  entry: CacheEntry | undefined;
  /**
   * Why the target cannot be acted on, known before any call: an id that named nothing readable
   * (NOT_FOUND), a kind the cluster does not serve (INVALID), discovery that could not ask.
   */
  problem: TargetProblem | undefined;
}

export interface TargetProblem {
  status: MutationStatus;
  message: string;
}

export interface ResolvedTargets {
  targets: MutationTarget[];
  userErrors: UserErrorRecord[];
}

/** "/apis/apps/v1" -> "apps/v1"; "/api/v1" -> "v1". */
export function apiVersionOfPath(path: ResourcePath): string {
  return path.prefix.replace(/^\/apis?\//, "");
}

/** A target named by its kind's descriptor and (from the cache) its entry. */
export function cachedTarget(
  kind: AnyKind,
  cluster: string,
  entry: CacheEntry | undefined,
  id: string | null,
): MutationTarget {
  return {
    cluster,
    apiVersion: apiVersionOfPath(kind.path),
    kind: kind.kind,
    path: kind.path,
    group: resourceOf(kind.path).group,
    namespace: entry?.namespace ?? "",
    name: entry?.name ?? "",
    id,
    cached: kind,
    entry,
    problem: entry
      ? undefined
      : { status: "NOT_FOUND", message: "no such object (deleted, or not yours to see)" },
  };
}

/** A user error when more targets are asked for than one mutation may touch. */
export function targetLimitError(
  count: number,
  limit: number,
  field: string[],
  what = "objects",
): UserErrorRecord | undefined {
  if (count <= limit) return undefined;
  return {
    field,
    message: `at most ${limit} ${what} per mutation (${count} asked for): split it, or narrow the selection`,
    code: "LIMIT_EXCEEDED",
  };
}

export function resolveTargets(
  ids: readonly string[],
  kinds: readonly AnyKind[],
  reader: ObjectReader,
  scope: Scope,
  what: string,
  limit = MAX_MUTATION_TARGETS,
): ResolvedTargets {
  if (ids.length === 0) {
    return {
      targets: [],
      userErrors: [{ field: ["input", "ids"], message: "no id given", code: "BAD_USER_INPUT" }],
    };
  }
  const tooMany = targetLimitError(ids.length, limit, ["input", "ids"]);
  if (tooMany) return { targets: [], userErrors: [tooMany] };
  const userErrors: UserErrorRecord[] = [];
  const accepted = kinds.map((k) => k.kind).join(", ");
  const targets: MutationTarget[] = [];
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    const field = ["input", "ids", String(index)];
    let ref;
    try {
      ref = decodeGlobalId(id);
    } catch {
      userErrors.push({
        field,
        message: `not an id returned by this API: "${id.slice(0, 80)}"`,
        code: "BAD_USER_INPUT",
      });
      return;
    }
    const kind = "uid" in ref ? kinds.find((k) => k.kind === ref.kind) : undefined;
    if (!kind || !("uid" in ref)) {
      userErrors.push({
        field,
        message: `${what} acts on ${accepted} ids; this is a ${ref.kind}'s`,
        code: "BAD_USER_INPUT",
      });
      return;
    }
    if (seen.has(id)) return;
    seen.add(id);
    targets.push(cachedTarget(kind, ref.cluster, reader.get(ref.cluster, ref.kind, ref.uid, scope), id));
  });
  // Nothing is changed when part of the input is wrong: the caller fixes it and asks again.
  return userErrors.length > 0 ? { targets: [], userErrors } : { targets, userErrors };
}

/** The objects a list filter selects now, in the caller's Scope (the cache's list read). */
export type SelectObjects = (
  kinds: readonly AnyKind[],
  filter: Record<string, unknown>,
  first: number,
) => Promise<{ items: CacheEntry[]; totalCount: number | null }>;

/**
 * The targets of a mutation given `ids` or a `filter` (exactly one, and no fleet workload
 * `groups`: groupTargets expands those): a filter selects what a `workloads(filter:)` query would
 * list now, and selecting more than the limit is refused whole rather than cut at an arbitrary point.
 */
export async function selectTargets(
  input: {
    ids?: readonly string[] | null;
    filter?: Record<string, unknown> | null;
    groups?: readonly string[] | null;
  },
  kinds: readonly AnyKind[],
  caller: { reader: ObjectReader; scope: Scope; select: SelectObjects },
  what: string,
  limit: number,
): Promise<ResolvedTargets> {
  const byIds = input.ids !== undefined && input.ids !== null;
  const byFilter = input.filter !== undefined && input.filter !== null;
  const byGroups = input.groups !== undefined && input.groups !== null;
  if (Number(byIds) + Number(byFilter) + Number(byGroups) !== 1) {
    return {
      targets: [],
      userErrors: [
        { field: ["input"], message: "give one of ids, filter or groups", code: "BAD_USER_INPUT" },
      ],
    };
  }
  // Groups are expanded by group-targets.ts; given with ids or a filter they are refused above.
  if (byGroups) throw new TypeError("selectTargets: groups are expanded by groupTargets");
  if (byIds) return resolveTargets(input.ids!, kinds, caller.reader, caller.scope, what, limit);
  const asked = input.filter!.kinds as readonly string[] | null | undefined;
  const selected = asked ? kinds.filter((k) => asked.includes(k.kind)) : kinds;
  if (selected.length === 0) {
    const accepted = kinds.map((k) => k.kind).join(", ");
    return {
      targets: [],
      userErrors: [
        {
          field: ["input", "filter", "kinds"],
          message: `${what} acts on ${accepted} only`,
          code: "BAD_USER_INPUT",
        },
      ],
    };
  }
  const page = await caller.select(selected, input.filter!, limit + 1);
  const tooMany = targetLimitError(
    page.totalCount ?? page.items.length,
    limit,
    ["input", "filter"],
    "objects",
  );
  if (tooMany) return { targets: [], userErrors: [tooMany] };
  return {
    targets: page.items.map((entry) => {
      const kind = kinds.find((k) => k.kind === entry.kind)!;
      return cachedTarget(kind, entry.cluster, entry, objectId(entry.kind, entry.cluster, entry.uid));
    }),
    userErrors: [],
  };
}
