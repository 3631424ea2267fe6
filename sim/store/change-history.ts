/**
 * The bounded change log behind watches and consistent paginated lists, like etcd's history up
 * to its compaction point: changes older than the log are gone, and asking for them is a 410.
 */
import type { StoreEvent } from "./types.js";

export class ChangeHistory {
  private events: StoreEvent[] = [];
  private start = 0;
  private compacted = 0;

  constructor(private readonly capacity: number) {}

  /** The oldest revision a watch or continue token may still start from. */
  get compactedRevision(): number {
    return this.compacted;
  }

  push(event: StoreEvent): void {
    this.events.push(event);
    if (this.events.length - this.start > this.capacity) {
      this.compacted = this.events[this.start]!.revision;
      this.start++;
      // Drop the evicted prefix in one go now and then, rather than shifting on every write.
      if (this.start >= this.capacity) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Forgets everything up to and including `revision`. */
  compactAt(revision: number): void {
    this.events = [];
    this.start = 0;
    this.compacted = revision;
  }

  /** Changes after `revision`, oldest first. */
  *after(revision: number): Generator<StoreEvent> {
    for (let i = this.start; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.revision > revision) yield event;
    }
  }

  /** Changes after `revision`, newest first (to undo them for a snapshot). */
  *newestFirstAfter(revision: number): Generator<StoreEvent> {
    for (let i = this.events.length - 1; i >= this.start; i--) {
      const event = this.events[i]!;
      if (event.revision <= revision) return;
      yield event;
    }
  }
}
