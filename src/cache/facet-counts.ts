/**
 * How many entries each (label set, namespace) holds, and of those how many have each key of the
 * kind's facets (low-cardinality keys such as a pod's phase): what a count filtered by namespaces,
 * a label selector and one facet needs, read from a few hundred groups instead of a scan of every
 * match. A label selector is decided once per label set, since every entry of a set has the same
 * labels. Costs one small record per group, nothing per entry; a label set of one namespace
 * (most are) holds its group directly, without a map of namespaces.
 *
 * A kind without facets (most: ReplicaSets and ConfigMaps, whose label sets are often their own)
 * keeps no record for a label set of one namespace at all: the store's entries of the set say how
 * many there are and which namespace, and only sets spread over several namespaces are counted here.
 */
import type { CacheEntry } from "./entry.js";
import type { FacetFunc } from "./kind-spec.js";

export type LabelSet = Readonly<Record<string, string>>;

interface Group {
  readonly namespace: string;
  size: number;
  /** Per facet (in the kind's order): key -> entries of the group with that key. */
  /**
   * Per facet (in the kind's order): its keys and how many entries of the group have each, as
   * [key, count, key, count, ...]. A group holds one or two keys (a workload's pods are mostly in
   * one phase), and groups of one pod are common (StatefulSet and Job pods carry labels of their
   * own): a flat array costs a fraction of a Map.
   */
  readonly keys: (string | number)[][];
}

/**
 * Entries in `namespaces` ("*": any) whose label set is among `sets` (undefined: any) and
 * satisfies `labels`, with one of the condition's keys when a condition is given. `memoKey`,
 * when given, names all of it.
 */
export interface CountQuery {
  namespaces: "*" | ReadonlySet<string>;
  sets: (() => Iterable<LabelSet> | undefined) | undefined;
  labels: ((set: LabelSet) => boolean) | undefined;
  condition: FacetCondition | undefined;
  memoKey?: string;
}

/** One facet and the keys a filter accepts. */
export interface FacetCondition {
  readonly facet: number;
  readonly keys: ReadonlySet<string>;
}

/** Counts remembered per store until its next write; a few shapes of query repeat (dashboards). */
const MEMO_LIMIT = 16;

/** A label set's groups: one, or one per namespace once it spans several. */
type Groups = Group | Map<string, Group>;

const NO_KEYS: (string | number)[][] = [];

/** Adds `delta` to `key`'s count in a flat [key, count, ...] tally; a key that reaches 0 goes. */
function tally(counts: (string | number)[], key: string, delta: number): void {
  for (let i = 0; i < counts.length; i += 2) {
    if (counts[i] !== key) continue;
    const left = (counts[i + 1] as number) + delta;
    if (left > 0) counts[i + 1] = left;
    else counts.splice(i, 2);
    return;
  }
  if (delta > 0) counts.push(key, delta);
}

/** The store's entries per label set (written before `add`, after `remove`). */
export type LabelSetMembers = ReadonlyMap<LabelSet, ReadonlySet<CacheEntry>>;

export class FacetCounts {
  private readonly groups = new Map<LabelSet, Groups>();
  /** Without facets: label set -> namespace -> entries, for sets in more than one namespace. */
  private spread: Map<LabelSet, Map<string, number>> | undefined;
  private memo: Map<string, number> | undefined;

  constructor(
    private readonly facets: readonly FacetFunc[],
    private readonly members: LabelSetMembers,
  ) {}

  add(entry: CacheEntry): void {
    if (this.memo?.size) this.memo.clear();
    if (this.facets.length === 0) return this.addUnfaceted(entry);
    const group = this.groupOf(entry);
    group.size++;
    this.facets.forEach((keyOf, i) => {
      const key = keyOf(entry);
      if (key !== undefined) tally(group.keys[i]!, key, 1);
    });
  }

  remove(entry: CacheEntry): void {
    if (this.memo?.size) this.memo.clear();
    if (this.facets.length === 0) return this.removeUnfaceted(entry);
    const held = this.groups.get(entry.labels);
    const group = held instanceof Map ? held.get(entry.namespace) : held;
    if (!held || !group || group.namespace !== entry.namespace) return;
    this.facets.forEach((keyOf, i) => {
      const key = keyOf(entry);
      if (key === undefined) return;
      tally(group.keys[i]!, key, -1);
    });
    if (--group.size > 0) return;
    if (held instanceof Map) {
      held.delete(entry.namespace);
      if (held.size > 0) return;
    }
    this.groups.delete(entry.labels);
  }

  private addUnfaceted(entry: CacheEntry): void {
    const { labels, namespace } = entry;
    const counted = this.spread?.get(labels);
    if (counted) {
      counted.set(namespace, (counted.get(namespace) ?? 0) + 1);
      return;
    }
    const members = this.members.get(labels);
    if (!members || members.size < 2 || firstOf(members).namespace === namespace) return;
    // The set's second namespace: count what it holds per namespace from now on.
    const byNamespace = new Map<string, number>();
    for (const member of members)
      byNamespace.set(member.namespace, (byNamespace.get(member.namespace) ?? 0) + 1);
    (this.spread ??= new Map<LabelSet, Map<string, number>>()).set(labels, byNamespace);
  }

  private removeUnfaceted(entry: CacheEntry): void {
    const counted = this.spread?.get(entry.labels);
    if (!counted) return;
    const left = (counted.get(entry.namespace) ?? 0) - 1;
    if (left > 0) counted.set(entry.namespace, left);
    else counted.delete(entry.namespace);
    // Back in one namespace (or none): the store's entries say it again.
    if (counted.size <= 1) this.spread?.delete(entry.labels);
  }

  /** The entry's group, made if new (a label set's second namespace turns its group into a map). */
  private groupOf(entry: CacheEntry): Group {
    const { labels, namespace } = entry;
    const held = this.groups.get(labels);
    if (held instanceof Map) {
      let group = held.get(namespace);
      if (!group) held.set(namespace, (group = this.newGroup(namespace)));
      return group;
    }
    if (held?.namespace === namespace) return held;
    const group = this.newGroup(namespace);
    this.groups.set(
      labels,
      held
        ? new Map([
            [held.namespace, held],
            [namespace, group],
          ])
        : group,
    );
    return group;
  }

  private newGroup(namespace: string): Group {
    const keys = this.facets.length === 0 ? NO_KEYS : this.facets.map((): (string | number)[] => []);
    return { namespace, size: 0, keys };
  }

  /** What `query` asks, remembered under its memoKey (when given) until the next write. */
  count(query: CountQuery): number {
    const { memoKey } = query;
    if (memoKey !== undefined) {
      const known = this.memo?.get(memoKey);
      if (known !== undefined) return known;
    }
    const total = this.countGroups(query.namespaces, query.sets?.(), query.labels, query.condition);
    if (memoKey !== undefined) {
      const memo = (this.memo ??= new Map<string, number>());
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(memoKey, total);
    }
    return total;
  }

  private countGroups(
    namespaces: "*" | ReadonlySet<string>,
    sets: Iterable<LabelSet> | undefined,
    labels: ((set: LabelSet) => boolean) | undefined,
    condition: FacetCondition | undefined,
  ): number {
    if (this.facets.length === 0) return this.countUnfaceted(namespaces, sets, labels);
    let total = 0;
    for (const set of sets ?? this.groups.keys()) {
      const byNamespace = this.groups.get(set);
      if (!byNamespace || (labels !== undefined && !labels(set))) continue;
      if (!(byNamespace instanceof Map)) {
        if (namespaces === "*" || namespaces.has(byNamespace.namespace))
          total += sizeOf(byNamespace, condition);
      } else if (namespaces === "*") {
        for (const group of byNamespace.values()) total += sizeOf(group, condition);
      } else if (namespaces.size < byNamespace.size) {
        for (const ns of namespaces) {
          const group = byNamespace.get(ns);
          if (group) total += sizeOf(group, condition);
        }
      } else {
        for (const [ns, group] of byNamespace) if (namespaces.has(ns)) total += sizeOf(group, condition);
      }
    }
    return total;
  }

  private countUnfaceted(
    namespaces: "*" | ReadonlySet<string>,
    sets: Iterable<LabelSet> | undefined,
    labels: ((set: LabelSet) => boolean) | undefined,
  ): number {
    let total = 0;
    for (const set of sets ?? this.members.keys()) {
      const members = this.members.get(set);
      if (!members || members.size === 0 || (labels !== undefined && !labels(set))) continue;
      const counted = this.spread?.get(set);
      if (!counted) {
        if (namespaces === "*" || namespaces.has(firstOf(members).namespace)) total += members.size;
      } else if (namespaces === "*") {
        total += members.size;
      } else {
        for (const [ns, size] of counted) if (namespaces.has(ns)) total += size;
      }
    }
    return total;
  }
}

function firstOf(members: ReadonlySet<CacheEntry>): CacheEntry {
  for (const member of members) return member;
  throw new Error("a label set's entries are never empty while it is held");
}

function sizeOf(group: Group, condition: FacetCondition | undefined): number {
  if (condition === undefined) return group.size;
  const counts = group.keys[condition.facet]!;
  let total = 0;
  for (let i = 0; i < counts.length; i += 2)
    if (condition.keys.has(counts[i] as string)) total += counts[i + 1] as number;
  return total;
}
