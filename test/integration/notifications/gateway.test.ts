/**
 * Notifications through a gateway with authentication on: channels managed over GraphQL by whom
 * the access layer allows (a workspace admin for their workspace only; the fleet's channels by
 * platform admins), their secrets never answered; a real Alertmanager pushing to
 * /alertmanager/webhook with bearer credentials, its alerts delivered FIRING then RESOLVED to the
 * workspace's channel and recorded; the route's refusals (wrong secret, bad payload, too large).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAlertmanager, webhookConfig, type RunningAlertmanager } from "../../support/alertmanager.js";
import { eventually } from "../../support/eventually.js";
import { startHttpReceiver, type HttpReceiver } from "../../support/http-receiver.js";
import { startAuthGateway, type AuthGateway } from "../auth-gateway-fixture.js";
import { FAST_DELIVERY, nodeNotReadyPayload } from "./fixture.js";

const SECRET = "am-webhook-secret-0123456789";
let fixture: AuthGateway;
let receiver: HttpReceiver;
let alertmanager: RunningAlertmanager;
const cluster = () => fixture.sim.clusters[0]!.name;

beforeAll(async () => {
  receiver = await startHttpReceiver("/retail/secret-path");
  fixture = await startAuthGateway({
    seed: "notifications",
    users: ["admin", "alice", "bob"],
    configFor: () =>
      Promise.resolve({
        notifications: {
          webhook: { bearerToken: SECRET, clusterLabel: "cluster", maxBodyBytes: 16 * 1024 },
          delivery: FAST_DELIVERY,
        },
      }),
  });
  alertmanager = await startAlertmanager(
    webhookConfig(`${fixture.base}/alertmanager/webhook`, SECRET, ["alertname", "namespace"]),
  );
}, 120_000);

afterAll(async () => {
  await alertmanager?.stop();
  await fixture?.stop();
  await receiver?.close();
});

interface Payload {
  channel: { id: string; workspace: string | null; endpoint: string; kind: string } | null;
  userErrors: { field: string[]; code: string; message: string }[];
}
const CREATE = `mutation ($input: NotificationChannelCreateInput!) {
  notificationChannelCreate(input: $input) { channel { id workspace kind endpoint } userErrors { field code message } } }`;

async function create(user: string, input: Record<string, unknown>): Promise<Payload> {
  const answer = await fixture.query<{ notificationChannelCreate: Payload }>(user, CREATE, { input });
  expect(answer.errors).toBeUndefined();
  return answer.data!.notificationChannelCreate;
}

let retailChannel: string;

describe("channels over GraphQL", () => {
  it("a workspace admin manages their workspace's channels only; the fleet's are a platform admin's", async () => {
    const mine = await create("alice", {
      workspace: "retail",
      kind: "WEBHOOK",
      name: "retail on-call",
      url: receiver.url,
    });
    expect(mine.userErrors).toEqual([]);
    expect(mine.channel).toMatchObject({
      workspace: "retail",
      kind: "WEBHOOK",
      endpoint: new URL(receiver.url).origin,
    });
    retailChannel = mine.channel!.id;

    const other = await create("alice", {
      workspace: "analytics",
      kind: "WEBHOOK",
      name: "x",
      url: receiver.url,
    });
    expect(other).toEqual({
      channel: null,
      userErrors: [
        {
          field: ["input", "workspace"],
          code: "FORBIDDEN",
          message:
            "only an admin of workspace analytics (or a platform admin) manages its notification channels",
        },
      ],
    });
    expect(
      (await create("alice", { kind: "SLACK", name: "fleet", url: receiver.url })).userErrors[0]?.code,
    ).toBe("FORBIDDEN");
    expect(
      (await create("bob", { workspace: "retail", kind: "WEBHOOK", name: "x", url: receiver.url }))
        .userErrors[0]?.code,
    ).toBe("FORBIDDEN");
    const fleet = await create("admin", {
      kind: "SLACK",
      name: "fleet",
      url: "https://hooks.slack.example/services/T/B/X",
    });
    expect(fleet.channel).toMatchObject({ workspace: null, endpoint: "https://hooks.slack.example" });

    // Listed for whom manages them, never with a URL's path.
    const listed = await fixture.query<{ notificationChannels: { id: string }[] }>(
      "alice",
      `{ notificationChannels(workspace: "retail") { id name endpoint } }`,
    );
    expect(listed.data!.notificationChannels.map((c) => c.id)).toEqual([retailChannel]);
    expect(JSON.stringify(listed)).not.toContain("secret-path");
    const all = await fixture.query<{ notificationChannels: { id: string }[] }>(
      "admin",
      `{ notificationChannels { id } }`,
    );
    expect(new Set(all.data!.notificationChannels.map((c) => c.id))).toEqual(
      new Set([retailChannel, fleet.channel!.id]),
    );
    const bobs = await fixture.query("bob", `{ notificationChannels(workspace: "retail") { id } }`);
    expect(bobs.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const bobsDeliveries = await fixture.query(
      "bob",
      `query ($id: ID!) { notificationDeliveries(channel: $id) { id } }`,
      {
        id: retailChannel,
      },
    );
    expect(bobsDeliveries.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const tooMany = await fixture.query(
      "alice",
      `query ($id: ID!) { notificationDeliveries(channel: $id, first: 500) { id } }`,
      { id: retailChannel },
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "first" });

    // bob cannot change or delete alice's channel, nor learn it exists.
    const update = await fixture.query<{ notificationChannelUpdate: Payload }>(
      "bob",
      `mutation ($id: ID!) { notificationChannelUpdate(input: { id: $id, enabled: false }) { channel { id } userErrors { field code message } } }`,
      { id: retailChannel },
    );
    expect(update.data!.notificationChannelUpdate.userErrors.map((e) => e.code)).toEqual(["NOT_FOUND"]);
    const removed = await fixture.query<{ notificationChannelDelete: { deletedChannelId: string | null } }>(
      "admin",
      `mutation ($id: ID!) { notificationChannelDelete(input: { id: $id }) { deletedChannelId userErrors { code } } }`,
      { id: fleet.channel!.id },
    );
    expect(removed.data!.notificationChannelDelete.deletedChannelId).toBe(fleet.channel!.id);
  }, 30_000);
});

describe("API tokens", () => {
  it("a token limited below workspace admin cannot manage its owner's channels; an unlimited one can", async () => {
    const token = async (roles: string) => {
      const made = await fixture.query<{ apiTokenCreate: { token: string } }>(
        "alice",
        `mutation { apiTokenCreate(input: { name: "t", ${roles} }) { token userErrors { code } } }`,
      );
      return made.data!.apiTokenCreate.token;
    };
    const createWith = async (secret: string) => {
      const response = await fetch(`${fixture.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        body: JSON.stringify({
          query: CREATE,
          variables: { input: { workspace: "retail", kind: "WEBHOOK", name: "by token", url: receiver.url } },
        }),
      });
      return ((await response.json()) as { data: { notificationChannelCreate: Payload } }).data
        .notificationChannelCreate;
    };
    const limited = await createWith(await token(`roles: [{ role: VIEWER, namespace: "payments" }]`));
    expect(limited.userErrors.map((e) => e.code)).toEqual(["FORBIDDEN"]);
    const full = await createWith(await token(""));
    expect(full.userErrors).toEqual([]);
    const removed = await fixture.query<{ notificationChannelDelete: { deletedChannelId: string | null } }>(
      "alice",
      `mutation ($id: ID!) { notificationChannelDelete(input: { id: $id }) { deletedChannelId userErrors { code } } }`,
      { id: full.channel!.id },
    );
    expect(removed.data!.notificationChannelDelete.deletedChannelId).toBe(full.channel!.id);
  }, 30_000);
});

describe("the Alertmanager webhook", () => {
  async function postAlert(endsAt?: string): Promise<void> {
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        {
          labels: {
            alertname: "KubePodCrashLooping",
            namespace: "payments",
            pod: "api-0",
            cluster: cluster(),
            severity: "warning",
          },
          annotations: { summary: "Pod payments/api-0 is crash looping." },
          startsAt: "2026-12-06T08:00:00Z",
          ...(endsAt ? { endsAt } : {}),
        },
      ]),
    });
    expect(response.status).toBe(200);
  }

  it("a real Alertmanager pushes with bearer credentials: FIRING then RESOLVED reach the workspace's channel, each once, recorded", async () => {
    expect(retailChannel).toBeDefined();
    await postAlert();
    await eventually(() => receiver.accepted().length === 1, 20_000);
    await postAlert(new Date(Date.now() - 1000).toISOString());
    await eventually(() => receiver.accepted().length === 2, 20_000);
    const bodies = receiver.accepted().map(
      (q) =>
        q.body as {
          workspace: string;
          alert: { status: string; cluster: string; labels: Record<string, string> };
        },
    );
    expect(
      bodies.map((b) => [b.alert.status, b.workspace, b.alert.cluster, b.alert.labels.namespace]),
    ).toEqual([
      ["firing", "retail", cluster(), "payments"],
      ["resolved", "retail", cluster(), "payments"],
    ]);
    const records = await fixture.query<{
      notificationDeliveries: {
        id: string;
        state: string;
        attempts: number;
        alert: { name: string; status: string };
      }[];
    }>(
      "alice",
      `query ($id: ID!) { notificationDeliveries(channel: $id) { id state attempts deliveredAt alert { name status cluster } } }`,
      { id: retailChannel },
    );
    expect(records.errors).toBeUndefined();
    expect(
      records.data!.notificationDeliveries.map((d) => [d.alert.name, d.alert.status, d.state, d.attempts]),
    ).toEqual([
      ["KubePodCrashLooping", "RESOLVED", "DELIVERED", 1],
      ["KubePodCrashLooping", "FIRING", "DELIVERED", 1],
    ]);
    expect(receiver.accepted().map((q) => q.headers["idempotency-key"])).toEqual(
      [...records.data!.notificationDeliveries].reverse().map((d) => d.id),
    );
  }, 60_000);

  it("refuses a wrong or missing secret (401), a payload that is not version 4 or a URL naming no known cluster (400), and an over-large body (413); skips an alert naming no cluster", async () => {
    const post = (body: unknown, secret: string | undefined = SECRET, path = "/alertmanager/webhook") =>
      fetch(`${fixture.base}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { authorization: `Bearer ${secret}` } : {}),
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const documented = nodeNotReadyPayload("n1", "00aa11bb22cc33dd");
    const wrong = await post(documented, "not-the-secret");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer realm="alertmanager-webhook"');
    expect((await post(documented, "")).status).toBe(401);

    // Alertmanager never sends a 4xx again: the alert is skipped, not its whole group refused.
    const noCluster = await post(documented);
    expect(noCluster.status).toBe(200);
    expect(await noCluster.json()).toEqual({ accepted: 0, skipped: 1 });
    const byPath = await post(documented, SECRET, `/alertmanager/webhook/${cluster()}`);
    expect(byPath.status).toBe(200);
    expect(await byPath.json()).toEqual({ accepted: 1, skipped: 0 });
    const unknown = await post(documented, SECRET, "/alertmanager/webhook/no-such-cluster");
    expect(unknown.status).toBe(400);

    const v3 = await post({ ...documented, version: "3" });
    expect(v3.status).toBe(400);
    expect(((await v3.json()) as { error: string }).error).toMatch(
      /^not an Alertmanager webhook payload \(version 4\): version: must be "4"/,
    );
    expect((await post("{not json")).status).toBe(400);
    const huge = await post({ ...documented, commonAnnotations: { text: "x".repeat(20_000) } });
    expect(huge.status).toBe(413);
  }, 30_000);
});
