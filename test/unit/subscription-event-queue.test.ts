/**
 * One subscriber's bounded queue with the object subscriptions' own rules (change-event.ts):
 * order kept while the reader keeps up; past the bound, the unread events coalesce to the latest
 * per object (added+updated = added, added+deleted = nothing, updated+deleted = deleted), the
 * stretch ends with SYNCED; more distinct objects than the bound fail the reader.
 */
import { describe, expect, it } from "vitest";
import { changeKey, mergeChanges, type ObjectChange } from "../../src/subscriptions/change-event.js";
import { EventQueue, SubscriberTooSlowError } from "../../src/subscriptions/event-queue.js";
import { entry } from "./query-fixtures.js";

interface Marker {
  readonly type: "SYNCED" | "RESET";
}
type Item = ObjectChange | Marker;

let version = 0;

/** A change of pod `name` (uid "uid-<name>"), at the next resourceVersion. */
function change(type: ObjectChange["type"], name: string): ObjectChange {
  version++;
  return {
    type,
    cluster: "c1",
    kind: "Pod",
    entry: entry({ name, uid: `uid-${name}`, resourceVersion: String(version) }),
    resourceVersion: String(version),
  };
}

function queueOf(maxQueued: number, extra: { onEnd?: () => void } = {}) {
  const delivered: { type: string; coalesced: boolean }[] = [];
  const queue = new EventQueue<Item>({
    maxQueued,
    keyOf: (e) => ("entry" in e ? changeKey(e) : undefined),
    merge: (older, newer) => ("entry" in older && "entry" in newer ? mergeChanges(older, newer) : newer),
    caughtUp: () => ({ type: "SYNCED" }),
    delivered: (e, coalesced) => delivered.push({ type: e.type, coalesced }),
    ...extra,
  });
  return { queue, delivered };
}

/** What a reader gets now, without waiting: "TYPE name" per event ("SYNCED" for the marker). */
async function drain(queue: EventQueue<Item>): Promise<string[]> {
  const out: string[] = [];
  while (queue.length > 0 || queue.isCoalescing) {
    const r = await queue.next();
    if (r.done) break;
    out.push("entry" in r.value ? `${r.value.type} ${r.value.entry.name}` : r.value.type);
  }
  return out;
}

describe("EventQueue", () => {
  it("hands every event over in order while the reader keeps up", async () => {
    const { queue, delivered } = queueOf(5);
    queue.push(change("ADDED", "a"));
    queue.push(change("UPDATED", "a"));
    queue.push(change("ADDED", "b"));
    queue.push(change("DELETED", "a"));
    expect(queue.length).toBe(4);
    expect(await drain(queue)).toEqual(["ADDED a", "UPDATED a", "ADDED b", "DELETED a"]);
    expect(delivered.every((d) => !d.coalesced)).toBe(true);
    expect(queue.isCoalescing).toBe(false);
  });

  it("gives a waiting reader the next event at once", async () => {
    const { queue } = queueOf(5);
    const pending = queue.next();
    queue.push(change("ADDED", "a"));
    const r = await pending;
    expect(r.done).toBe(false);
    expect((r.value as ObjectChange).entry.name).toBe("a");
    expect(queue.length).toBe(0);
  });

  it("never holds more than maxQueued events, and coalesces past it", () => {
    const { queue } = queueOf(3);
    let most = 0;
    for (let i = 0; i < 100; i++) {
      queue.push(change("UPDATED", `p${i % 3}`));
      most = Math.max(most, queue.length);
    }
    expect(most).toBeLessThanOrEqual(3);
    expect(queue.isCoalescing).toBe(true);
    expect(queue.length).toBe(3);
  });

  it("coalesces to the latest state per object, in order of first appearance, then tells SYNCED", async () => {
    const { queue, delivered } = queueOf(2);
    queue.push(change("UPDATED", "a"));
    queue.push(change("UPDATED", "b"));
    // Past the bound: from here the unread events collapse per object.
    const lastA = change("UPDATED", "a");
    queue.push(lastA);
    queue.push(change("UPDATED", "b"));
    expect(queue.isCoalescing).toBe(true);
    expect(queue.length).toBe(2);
    const first = await queue.next();
    expect(first.value).toEqual(lastA);
    expect(await drain(queue)).toEqual(["UPDATED b", "SYNCED"]);
    expect(delivered.map((d) => [d.type, d.coalesced])).toEqual([
      ["UPDATED", true],
      ["UPDATED", true],
      ["SYNCED", false],
    ]);
    // Caught up: order and one event per change again.
    queue.push(change("UPDATED", "a"));
    queue.push(change("UPDATED", "a"));
    expect(await drain(queue)).toEqual(["UPDATED a", "UPDATED a"]);
  });

  it("merges two unread changes of one object by the rules", () => {
    const latest = change("UPDATED", "x");
    expect(mergeChanges(change("ADDED", "x"), latest)).toMatchObject({ type: "ADDED", entry: latest.entry });
    expect(mergeChanges(change("ADDED", "x"), change("DELETED", "x"))).toBeUndefined();
    expect(mergeChanges(change("UPDATED", "x"), change("DELETED", "x"))).toMatchObject({ type: "DELETED" });
    expect(mergeChanges(change("UPDATED", "x"), latest)).toMatchObject({
      type: "UPDATED",
      entry: latest.entry,
    });
    // Deleted, then back before it was read: the reader knew the object, so it is an update.
    expect(mergeChanges(change("DELETED", "x"), change("ADDED", "x"))).toMatchObject({ type: "UPDATED" });
  });

  it("tells added+updated as ADDED with the latest state, drops added+deleted, keeps updated+deleted as DELETED", async () => {
    const { queue } = queueOf(3);
    queue.push(change("UPDATED", "c"));
    queue.push(change("ADDED", "a"));
    queue.push(change("ADDED", "b"));
    // Past the bound: a, b, c coalesce.
    const latestA = change("UPDATED", "a");
    queue.push(latestA);
    queue.push(change("DELETED", "b"));
    queue.push(change("DELETED", "c"));
    expect(queue.isCoalescing).toBe(true);
    const first = await queue.next();
    expect(first.value).toMatchObject({ type: "DELETED", entry: { name: "c" } });
    const second = await queue.next();
    expect(second.value).toMatchObject({
      type: "ADDED",
      entry: latestA.entry,
      resourceVersion: latestA.resourceVersion,
    });
    expect(await drain(queue)).toEqual(["SYNCED"]);
  });

  it("fails the reader with SubscriberTooSlowError when more distinct objects than the bound wait", async () => {
    let ended = 0;
    const { queue } = queueOf(3, { onEnd: () => ended++ });
    for (let i = 0; i < 3; i++) queue.push(change("UPDATED", `p${i}`));
    queue.push(change("UPDATED", "p0")); // past the bound, but still three objects: coalesced
    expect(queue.isCoalescing).toBe(true);
    expect(queue.length).toBe(3);
    expect(ended).toBe(0);
    queue.push(change("UPDATED", "p3")); // a fourth distinct object while three wait
    expect(ended).toBe(1);
    expect(queue.length).toBe(0); // nothing is held for a reader that was failed
    const error = await queue.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubscriberTooSlowError);
    expect((error as SubscriberTooSlowError).code).toBe("SUBSCRIBER_TOO_SLOW");
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    queue.push(change("UPDATED", "p4")); // ignored once ended
    expect(queue.length).toBe(0);
  });

  it("rejects a waiting reader when failed", async () => {
    const { queue } = queueOf(3);
    const pending = queue.next();
    queue.fail(new SubscriberTooSlowError(3));
    await expect(pending).rejects.toBeInstanceOf(SubscriberTooSlowError);
  });

  it("return() unblocks a waiting next() and ends the queue", async () => {
    let ended = 0;
    const { queue } = queueOf(3, { onEnd: () => ended++ });
    const pending = queue.next();
    expect(await queue.return()).toEqual({ value: undefined, done: true });
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
    queue.push(change("ADDED", "a"));
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });
});
