/**
 * Which orders a STRONG list can serve, and how list streams compare under them.
 *
 * An API server returns one namespace's objects in name order (etcd key order) and nothing else:
 * there is no "sort by" and no "start after key". A STRONG list is therefore a k-way merge of
 * streams, one per (cluster, kind, namespace), each already in name order. A merge is exact only
 * for orders under which every stream is itself sorted, which are the orders whose key is
 * constant within a stream (CLUSTER and NAMESPACE, either direction, since ties always ascend by
 * namespace and name) and NAME ascending. NAME descending, CREATED and RESTARTS would need every
 * object of every cluster read and sorted on every page: a STRONG page would cost the whole
 * fleet's list, which is what the caches exist to avoid, so those orders are refused with a
 * message pointing at consistency CACHED (which serves them from the indexes).
 *
 * Streams are per namespace, not per cluster, because an all-namespaces list comes back in
 * "namespace/name" string order, which differs from (namespace, name) order when one namespace
 * name is a prefix of another followed by '-' or '.' ("app-x/a" sorts before "app/a").
 */
import {
  compareKeys,
  compareTies,
  QueryInputError,
  type OrderBy,
  type SortKey,
  type TieFields,
} from "../cache/query/index.js";

/** A place in the merged order: an object's sort key and tie-breakers. */
export interface Position extends TieFields {
  readonly key: SortKey;
}

/** The fixed part of a stream: one cluster, one namespace ("" for cluster-scoped kinds). */
export interface StreamPlace {
  readonly cluster: string;
  readonly namespace: string;
}

export interface StreamOrder {
  readonly field: "CLUSTER" | "NAMESPACE" | "NAME";
  readonly direction: "ASC" | "DESC";
  /** True when the key is the same for every object of a stream (CLUSTER, NAMESPACE). */
  readonly constantPerStream: boolean;
  positionOf(fields: TieFields): Position;
  compare(a: Position, b: Position): number;
  /** A position no object of the stream comes before (its name and uid are ""). */
  lowerBound(place: StreamPlace): Position;
  /**
   * For constant-key orders: negative when every object of the stream comes before `at`'s
   * (cluster, namespace), positive when after, 0 when `at` lies in the stream's range.
   */
  comparePlace(place: StreamPlace, at: Position): number;
}

export function streamOrderFor(order: OrderBy): StreamOrder {
  const { field, direction } = order;
  if (field === "CLUSTER" || field === "NAMESPACE") return build(field, direction);
  if (field === "NAME" && direction === "ASC") return build(field, direction);
  const asked = `${field} ${direction}`;
  throw new QueryInputError(
    "orderBy",
    `orderBy ${asked} is not available with consistency STRONG: API servers return objects only in ` +
      `namespace and name order, so STRONG lists can be ordered by CLUSTER or NAMESPACE (either ` +
      `direction) or NAME ASC; use consistency CACHED for this order`,
  );
}

function build(field: StreamOrder["field"], direction: "ASC" | "DESC"): StreamOrder {
  const sign = direction === "DESC" ? -1 : 1;
  const keyOf = (f: TieFields): SortKey =>
    field === "CLUSTER" ? f.cluster : field === "NAMESPACE" ? f.namespace : f.name;
  const compare = (a: Position, b: Position): number => {
    const c = compareKeys(a.key, b.key);
    return c !== 0 ? c * sign : compareTies(a, b);
  };
  return {
    field,
    direction,
    constantPerStream: field !== "NAME",
    positionOf: (f) => ({
      key: keyOf(f),
      cluster: f.cluster,
      namespace: f.namespace,
      name: f.name,
      uid: f.uid,
    }),
    compare,
    lowerBound: (place) => {
      const fields = { cluster: place.cluster, namespace: place.namespace, name: "", uid: "" };
      return { ...fields, key: keyOf(fields) };
    },
    comparePlace: (place, at) => {
      const key = keyOf({ ...place, name: "", uid: "" });
      const c = compareKeys(key, at.key) * sign;
      if (c !== 0) return c;
      return compareKeys(place.cluster, at.cluster) || compareKeys(place.namespace, at.namespace);
    },
  };
}
