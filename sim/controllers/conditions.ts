/**
 * A status's conditions as controllers maintain them: the previous ones, each replaced when set
 * again, with lastTransitionTime kept unless the condition's status flips, so an unchanged object
 * writes nothing.
 */
import type { Condition } from "./pods.js";

export class Conditions {
  private readonly byType = new Map<string, Condition>();

  constructor(
    private readonly previous: readonly Condition[] | undefined,
    private readonly now: string,
  ) {
    for (const c of previous ?? []) this.byType.set(c.type, c);
  }

  set(type: string, status: string, reason: string, message: string): void {
    const before = this.previous?.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : this.now;
    this.byType.set(type, { type, status, lastTransitionTime, reason, message });
  }

  list(): Condition[] {
    return [...this.byType.values()];
  }
}
