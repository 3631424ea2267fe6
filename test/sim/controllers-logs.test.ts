import { afterEach, describe, expect, it } from "vitest";
import type { Readable } from "node:stream";
import { StatusError } from "../../sim/errors.js";
import { restartContainer, startControllers, type Controllers } from "../../sim/controllers/index.js";
import type { PodLogRequest } from "../../sim/apiserver/context.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import { K, newCluster } from "./controllers-fixtures.js";

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

interface Clock {
  offsetMs: number;
  /** When set, the clock stands still at this instant (epoch ms). */
  stoppedAt?: number;
}

/**
 * A clock an hour ahead of the pods' start, so each container has a log history. A container
 * keeps logging while a test reads: a test that compares two reads stops the clock first.
 */
function setUp(): { store: ClusterStore; c: Controllers; clock: Clock } {
  const store = newCluster();
  const clock: Clock = { offsetMs: 0 };
  const c = startControllers(store, {
    podStartDelayMs: 10,
    now: () => new Date(clock.stoppedAt ?? Date.now() + clock.offsetMs),
  });
  controllers = c;
  store.create(K.pod, {
    metadata: { name: "web", namespace: "shop" },
    spec: {
      containers: [
        { name: "nginx", image: "nginx:1.25" },
        { name: "app", image: "ghcr.io/acme/orders:3.2" },
      ],
    },
  });
  c.runUntilIdle();
  clock.offsetMs = 3600_000;
  return { store, c, clock };
}

function request(overrides: Partial<PodLogRequest>): PodLogRequest {
  return {
    namespace: "shop",
    pod: "web",
    container: "nginx",
    timestamps: false,
    follow: false,
    previous: false,
    ...overrides,
  };
}

async function readAll(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

function catchStatus(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  throw new Error("expected a StatusError");
}

describe("pod logs", () => {
  it("serves a deterministic history, with tailLines and kubelet-style timestamps", async () => {
    const { c, clock } = setUp();
    // Three reads of one moment: with the clock running, a line written between two reads
    // shifted the tail by one against the full history (a flake of about 1 run in 100).
    clock.stoppedAt = Date.now() + clock.offsetMs;
    const all = (await readAll(c.logs.open(request({})))).split("\n").filter(Boolean);
    expect(all.length).toBeGreaterThan(500);
    expect(all.length).toBeLessThanOrEqual(1000);
    expect(
      all.some((l) =>
        /^10\.244\.\d+\.\d+ - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "(GET|POST|PUT|DELETE) \S+ HTTP\/1\.1" \d{3} \d+ /.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(await readAll(c.logs.open(request({})))).toBe(`${all.join("\n")}\n`);

    const tail = (await readAll(c.logs.open(request({ tailLines: 5, timestamps: true }))))
      .split("\n")
      .filter(Boolean);
    expect(tail).toHaveLength(5);
    for (const [i, line] of tail.entries()) {
      expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /);
      expect(line.slice(31)).toBe(all[all.length - 5 + i]);
    }
    const stamps = tail.map((l) => l.slice(0, 30));
    expect([...stamps].sort()).toEqual(stamps);

    const other = await readAll(c.logs.open(request({ container: "app", tailLines: 3 })));
    expect(other.split("\n").filter(Boolean)).toHaveLength(3);
    expect(other).not.toBe(tail.join("\n"));
  });

  it("serves the lines written since on a later read: the tail moves with the clock", async () => {
    const { c, clock } = setUp();
    clock.stoppedAt = Date.now() + clock.offsetMs;
    const read = async (tailLines?: number) =>
      (await readAll(c.logs.open(request({ timestamps: true, ...(tailLines ? { tailLines } : {}) }))))
        .split("\n")
        .filter(Boolean);
    const before = await read(5);
    // Lines come every 1-5 s: ten seconds later there are at least two more.
    clock.stoppedAt += 10_000;
    const after = await read(5);
    const all = await read();
    expect(after).toEqual(all.slice(-5));
    const shift = all.indexOf(before[0]!) - all.indexOf(after[0]!);
    expect(shift).toBeLessThanOrEqual(-2);
    expect(all.slice(shift - 5, shift)).toEqual(before);
    expect(Date.parse(after.at(-1)!.slice(0, 23) + "Z")).toBeLessThanOrEqual(clock.stoppedAt);
  });

  it("honours sinceSeconds", async () => {
    const { c } = setUp();
    const lines = (await readAll(c.logs.open(request({ sinceSeconds: 60, timestamps: true }))))
      .split("\n")
      .filter(Boolean);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.length).toBeLessThan(70);
    const cutoff = Date.now() + 3600_000 - 61_000;
    for (const l of lines) expect(Date.parse(l.slice(0, 23) + "Z")).toBeGreaterThanOrEqual(cutoff);
  });

  it("answers the errors a kubelet would", () => {
    const { c, store } = setUp();
    expect(catchStatus(() => c.logs.open(request({ container: "" }))).message).toBe(
      "a container name must be specified for pod web, choose one of: [nginx app]",
    );
    expect(catchStatus(() => c.logs.open(request({ container: "db" }))).message).toBe(
      "container db is not valid for pod web",
    );
    expect(catchStatus(() => c.logs.open(request({ pod: "ghost" })))).toMatchObject({
      code: 404,
      message: 'pods "ghost" not found',
    });
    const previous = catchStatus(() => c.logs.open(request({ previous: true })));
    expect(previous).toMatchObject({
      code: 400,
      reason: "BadRequest",
      message: 'previous terminated container "nginx" in pod "web" not found',
    });
    store.create(K.pod, {
      metadata: { name: "pending", namespace: "shop" },
      spec: { nodeName: "nowhere", containers: [{ name: "x", image: "busybox" }] },
    });
    expect(catchStatus(() => c.logs.open(request({ pod: "pending", container: "x" }))).message).toBe(
      'container "x" in pod "pending" is waiting to start: ContainerCreating',
    );
  });

  it("serves the previous instance after a restart, ending in its crash", async () => {
    const { c, store } = setUp();
    const before = await readAll(c.logs.open(request({ container: "app", tailLines: 20 })));
    restartContainer(store, "shop", "web", "app");
    const previous = (await readAll(c.logs.open(request({ container: "app", previous: true }))))
      .split("\n")
      .filter(Boolean);
    expect(previous.at(-1)).toMatch(/level=fatal|"level":"fatal"/);
    // The previous instance's log is the one served before the restart, up to its end.
    expect(previous.slice(-21, -1).join("\n")).toBe(before.trimEnd().split("\n").slice(-20).join("\n"));
    const current = await readAll(c.logs.open(request({ container: "app" })));
    expect(current.split("\n").filter(Boolean).length).toBeLessThan(10);
  });

  it("follows: new lines every ~200 ms until the pod is deleted", async () => {
    const { c, store } = setUp();
    const stream = c.logs.open(request({ follow: true, tailLines: 2, timestamps: true }));
    const lines: string[] = [];
    let ended = false;
    stream.on("data", (chunk) => lines.push(...String(chunk).split("\n").filter(Boolean)));
    stream.on("end", () => (ended = true));
    await new Promise((r) => setTimeout(r, 700));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(ended).toBe(false);
    store.delete(K.pod, "shop", "web");
    await new Promise((r) => setTimeout(r, 300));
    expect(ended).toBe(true);
  });

  it("leaves no follow stream open after stop()", async () => {
    const { c } = setUp();
    const stream = c.logs.open(request({ follow: true, tailLines: 0 }));
    let closed = false;
    stream.on("close", () => (closed = true));
    stream.resume();
    c.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
    expect(stream.destroyed).toBe(true);
  });
});
