/**
 * A mutation's ids back to the workloads they name, under the caller's Scope: an id that is not
 * a workload's (or not of a kind the mutation acts on) is a user error with its field path; an id
 * outside the Scope resolves exactly like a deleted object (NOT_FOUND), as Query.node does.
 */
import type { Scope } from "../cache/scope.js";
import type { AnyKind } from "../kinds/index.js";
import { decodeGlobalId } from "../query-service/global-id.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import type { CacheEntry } from "../cache/entry.js";
import type { UserErrorRecord } from "./outcome.js";

/** How many objects one mutation may touch. */
export const MAX_MUTATION_TARGETS = 100;

export interface MutationTarget {
  id: string;
  /** The kind's descriptor: its API path and projection. */
  kind: AnyKind;
  cluster: string;
  /** From the cache; "" when the id names nothing readable (a NOT_FOUND outcome). */
  namespace: string;
  name: string;
  /** The cache's entry when the id was resolved; undefined: not found. */
  entry: CacheEntry | undefined;
}

export interface ResolvedTargets {
  targets: MutationTarget[];
  userErrors: UserErrorRecord[];
}

export function resolveTargets(
  ids: readonly string[],
  kinds: readonly AnyKind[],
  reader: ObjectReader,
  scope: Scope,
  what: string,
): ResolvedTargets {
  const userErrors: UserErrorRecord[] = [];
  if (ids.length === 0) {
    return {
      targets: [],
      userErrors: [{ field: ["input", "ids"], message: "no id given", code: "BAD_USER_INPUT" }],
    };
  }
  if (ids.length > MAX_MUTATION_TARGETS) {
    return {
      targets: [],
      userErrors: [
        {
          field: ["input", "ids"],
          message: `at most ${MAX_MUTATION_TARGETS} objects per mutation (${ids.length} given)`,
          code: "LIMIT_EXCEEDED",
        },
      ],
    };
  }
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
    const entry = reader.get(ref.cluster, ref.kind, ref.uid, scope);
    targets.push({
      id,
      kind,
      cluster: ref.cluster,
      namespace: entry?.namespace ?? "",
      name: entry?.name ?? "",
      entry,
    });
  });
  // Nothing is changed when part of the input is wrong: the caller fixes it and asks again.
  return userErrors.length > 0 ? { targets: [], userErrors } : { targets, userErrors };
}
