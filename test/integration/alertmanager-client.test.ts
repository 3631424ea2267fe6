/**
 * The Alertmanager client against Debian's real `prometheus-alertmanager`: its status, alerts
 * narrowed by matchers (the cluster label of a shared one), silenced ones told SUPPRESSED with the
 * silence's id, silences created, listed, read and expired, and the typed errors — a malformed matcher is ALERTMANAGER_BAD_QUERY with
 * Alertmanager's own message, a stopped one ALERTMANAGER_UNAVAILABLE, a hung one
 * ALERTMANAGER_TIMEOUT at the deadline.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertmanagerClient, equalityMatcher } from "../../src/backends/alertmanager/client.js";
import { AlertmanagerError } from "../../src/backends/alertmanager/errors.js";
import { freeLoopbackPort } from "../../src/free-port.js";
import { startAlertmanager, type RunningAlertmanager } from "../support/alertmanager.js";
import { eventually } from "../support/eventually.js";

let am: RunningAlertmanager;
let client: AlertmanagerClient;

const endpoint = (url: string, timeoutMs = 3000) => ({
  url,
  tls: { insecureSkipVerify: false },
  auth: {},
  timeoutMs,
  maxConcurrentRequests: 4,
});

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${am.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json().catch(() => undefined);
}

async function failure(promise: Promise<unknown>): Promise<AlertmanagerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AlertmanagerError);
  return error as AlertmanagerError;
}

beforeAll(async () => {
  am = await startAlertmanager();
  client = new AlertmanagerClient(endpoint(am.url));
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  await post("/api/v2/alerts", [
    {
      labels: { alertname: "KubePodCrashLooping", cluster: "east", namespace: "shop", pod: "web-1" },
      endsAt,
    },
    {
      labels: { alertname: "KubePodCrashLooping", cluster: "west", namespace: "shop", pod: "web-2" },
      endsAt,
    },
  ]);
}, 60_000);

afterAll(async () => {
  client?.close();
  await am?.stop();
});

describe("AlertmanagerClient", () => {
  it("reads the status", async () => {
    const status = await client.status();
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.uptime).not.toBe("");
  });

  it("reads the alerts a cluster label pins, fingerprinted, and a silenced one as suppressed", async () => {
    const east = await eventually(async () => {
      const alerts = await client.alerts({ matchers: [equalityMatcher("cluster", "east")] });
      return alerts.length === 1 ? alerts : undefined;
    });
    expect(east[0]).toMatchObject({
      labels: { alertname: "KubePodCrashLooping", cluster: "east", pod: "web-1" },
      state: "active",
      silencedBy: [],
    });
    expect(east[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const { silenceID } = (await post("/api/v2/silences", {
      matchers: [{ name: "pod", value: "web-2", isRegex: false, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: "test",
      comment: "maintenance",
    })) as { silenceID: string };
    const west = await eventually(async () => {
      const [alert] = await client.alerts({ matchers: [equalityMatcher("cluster", "west")] });
      return alert?.state === "suppressed" ? alert : undefined;
    });
    expect(west.silencedBy).toEqual([silenceID]);
    expect(
      await client.alerts({ matchers: [equalityMatcher("cluster", "west")], suppressed: false }),
    ).toEqual([]);
  });

  it("creates, lists, reads and expires a silence; an unknown id is absent, a bad one refused", async () => {
    const startsAt = new Date().toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const id = await client.createSilence({
      matchers: [
        { name: "pod", value: "web-1", isRegex: false, isEqual: true },
        { name: "cluster", value: "east", isRegex: false, isEqual: true },
      ],
      startsAt,
      endsAt,
      createdBy: "alice",
      comment: "a fix is rolling out",
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await client.silence(id);
    expect(read).toMatchObject({
      id,
      createdBy: "alice",
      comment: "a fix is rolling out",
      state: "active",
      matchers: [
        { name: "pod", value: "web-1", isRegex: false, isEqual: true },
        { name: "cluster", value: "east", isRegex: false, isEqual: true },
      ],
    });
    // Alertmanager's filter compares the silences' matchers with the one given.
    expect((await client.silences([equalityMatcher("cluster", "east")])).map((s) => s.id)).toEqual([id]);
    expect(await client.silences([equalityMatcher("cluster", "nowhere")])).toEqual([]);
    const muted = await eventually(async () => {
      const [alert] = await client.alerts({ matchers: [equalityMatcher("cluster", "east")] });
      return alert?.state === "suppressed" ? alert : undefined;
    });
    expect(muted.silencedBy).toEqual([id]);

    expect(await client.expireSilence(id)).toBe(true);
    expect((await client.silence(id))?.state).toBe("expired");
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await client.silence(unknown)).toBeUndefined();
    expect(await client.expireSilence(unknown)).toBe(false);

    // Every matcher matching an empty value: Alertmanager refuses it, as the gateway's checks do.
    const refused = await failure(
      client.createSilence({
        matchers: [{ name: "pod", value: "", isRegex: false, isEqual: true }],
        startsAt,
        endsAt,
        createdBy: "alice",
        comment: "too wide",
      }),
    );
    expect(refused.code).toBe("ALERTMANAGER_BAD_QUERY");
    expect(refused.message).toContain("at least one matcher must not match the empty string");
  });

  it("answers a malformed matcher ALERTMANAGER_BAD_QUERY with Alertmanager's message", async () => {
    const error = await failure(client.alerts({ matchers: ["cluster=~("] }));
    expect(error.code).toBe("ALERTMANAGER_BAD_QUERY");
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
  });

  it("answers a stopped Alertmanager ALERTMANAGER_UNAVAILABLE and a hung one ALERTMANAGER_TIMEOUT", async () => {
    const closed = new AlertmanagerClient(endpoint(`http://127.0.0.1:${await freeLoopbackPort()}`));
    const down = await failure(closed.status());
    expect(down.code).toBe("ALERTMANAGER_UNAVAILABLE");
    expect(down.message).toContain("ECONNREFUSED");
    closed.close();
    const hung: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    const port = (hung.address() as { port: number }).port;
    const slow = new AlertmanagerClient(endpoint(`http://127.0.0.1:${port}`, 200));
    try {
      const timeout = await failure(slow.alerts({ matchers: [] }));
      expect(timeout.code).toBe("ALERTMANAGER_TIMEOUT");
      expect(timeout.message).toContain("did not answer within 200 ms");
    } finally {
      slow.close();
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});
