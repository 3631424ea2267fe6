/**
 * Operation names as metric label values, with bounded cardinality: operation names come from
 * callers, so after `max` distinct names every new one is counted as "other" (a client that
 * generates names cannot grow the gateway's series without end). Unnamed operations are
 * "anonymous".
 */
export const ANONYMOUS = "anonymous";
export const OTHER = "other";

export class BoundedNames {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 200) {}

  label(name: string | null | undefined): string {
    if (name === undefined || name === null || name === "") return ANONYMOUS;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(name);
    return name;
  }
}
