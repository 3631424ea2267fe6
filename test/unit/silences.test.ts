/**
 * Silences without GraphQL: the matchers checked (label names, RE2-compatible regexes, one
 * matcher that cannot match an absent label), the namespaces they pin, the window (Go and
 * ISO 8601 durations, bounded), who may make, expire and see a silence, and the silence
 * mutations over the pipeline every mutation shares — per-cluster outcomes, the cluster label's
 * matcher added in a shared Alertmanager, one audit record per cluster, an Alertmanager down.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AccessQuestion } from "../../src/request/access.js";
import { MemoryAuditRecorder, requestAudit } from "../../src/audit/recorder.js";
import { AlertmanagerError } from "../../src/backends/alertmanager/errors.js";
import type { AlertmanagerSilence, PostableSilence } from "../../src/backends/alertmanager/client.js";
import { Scope } from "../../src/cache/scope.js";
import { maySeeSilence, silenceAuthorityProblem } from "../../src/alerts/silence-access.js";
import { matcherProblems, pinnedNamespaces, silenceMatchers } from "../../src/alerts/silence-matchers.js";
import { re2AsJavaScript } from "../../src/alerts/re2-syntax.js";
import {
  MAX_SILENCE_MS,
  MIN_SILENCE_MS,
  parseDuration,
  silenceWindow,
  SilenceWindowError,
} from "../../src/alerts/silence-window.js";
import { silenceOfCluster, type SilenceBackend, type SilenceMatcher } from "../../src/alerts/silence.js";
import { IdempotencyKeys, MutationPipeline, type MutationCaller } from "../../src/mutations/index.js";
import { SilenceMutations } from "../../src/mutations/silences.js";
import { SilenceReads } from "../../src/alerts/silence-reads.js";
import { ClusterOutcomes } from "../../src/query-service/outcomes.js";
import { QueryInputError } from "../../src/cache/query/errors.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { ClusterConnection } from "../../src/fleet/cluster-connection.js";

const eq = (name: string, value: string): SilenceMatcher => ({ name, value, isRegex: false, isEqual: true });
const re = (name: string, value: string, isEqual = true): SilenceMatcher => ({
  name,
  value,
  isRegex: true,
  isEqual,
});
const ne = (name: string, value: string): SilenceMatcher => ({ name, value, isRegex: false, isEqual: false });

describe("silence matchers", () => {
  it("accepts label matchers Alertmanager accepts", () => {
    expect(matcherProblems([eq("alertname", "KubePodCrashLooping"), re("namespace", "shop|web")])).toEqual(
      [],
    );
    expect(matcherProblems([re("pod", "web-.+"), ne("severity", "info")])).toEqual([]);
  });

  it("names a bad label name, a bad regex and an RE2-less construct by index and field", () => {
    const problems = matcherProblems([
      eq("1pod", "x"),
      re("pod", "web-("),
      re("pod", "(?=a)b"),
      eq("alertname", "A"),
    ]);
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [0, "name"],
      [1, "value"],
      [2, "value"],
    ]);
    expect(problems[0]!.message).toContain("not a label name");
    expect(problems[1]!.message).toContain("not a regular expression");
    expect(problems[2]!.message).toContain("RE2");
  });

  it("reads RE2's flag and named groups as Alertmanager does, and leaves what JavaScript cannot read to it", () => {
    // Case-insensitive to the end of the group, across its alternatives too.
    expect(matcherProblems([re("alertname", "(?i)kube.*"), re("pod", "(?P<app>web)-.+")])).toEqual([]);
    expect(matcherProblems([re("alertname", "(?i)")])[0]!.message).toContain("at least one must not");
    // RE2's syntax JavaScript cannot match alike: sent as given, Alertmanager judges.
    expect(matcherProblems([re("alertname", "\\pL+"), re("pod", "(?U)a+")])).toEqual([]);
    // An escaped paren or backslash is no group nor backreference.
    expect(matcherProblems([re("pod", "\\(?=x"), re("path", "a\\\\1")])).toEqual([]);
  });

  it("rewrites RE2 into JavaScript token by token", () => {
    const js = (p: string) => {
      const reading = re2AsJavaScript(p);
      return "source" in reading ? new RegExp(`^(?:${reading.source})$`) : reading;
    };
    const matches = (p: string, text: string) => (js(p) as RegExp).test(text);
    expect(matches("a(?i)b|c", "aB")).toBe(true);
    expect(matches("a(?i)b|c", "C")).toBe(true);
    expect(matches("a(?i)b|c", "Ab")).toBe(false);
    expect(matches("(x(?i)y)z", "xYz")).toBe(true);
    expect(matches("(x(?i)y)z", "xYZ")).toBe(false);
    expect(matches("(?i:a)b", "Ab")).toBe(true);
    expect(matches("(?i:a)b", "AB")).toBe(false);
    expect(matches("(?s).", "\n")).toBe(true);
    // RE2 reads a leading ] in a class as itself.
    expect(matches("[]a]+", "]a")).toBe(true);
    expect(matches("[^]a]", "b")).toBe(true);
    expect(matches("[^]a]", "]")).toBe(false);
    expect(js("(?<=a)b")).toEqual({ notRe2: "lookahead or lookbehind" });
    expect(js("(a)\\1")).toEqual({ notRe2: "backreferences" });
    expect(matches("\\101", "A")).toBe(true);
    expect(js("[[:alpha:]]")).toEqual({ untranslatable: "[:class:]" });
    expect(js("\\Qa.b\\E")).toEqual({ untranslatable: "\\Q" });
  });

  it("refuses matchers that all match an absent label, and none at all", () => {
    expect(matcherProblems([eq("namespace", "")])[0]!.message).toContain("at least one must not");
    expect(matcherProblems([re("pod", ".*"), ne("severity", "info")])[0]!.message).toContain(
      "at least one must not",
    );
    expect(matcherProblems([ne("severity", "")])).toEqual([]);
    expect(matcherProblems([])[0]!.message).toContain("at least one matcher");
    expect(matcherProblems(Array.from({ length: 21 }, () => eq("a", "b")))[0]!.message).toContain(
      "at most 20",
    );
  });

  it("defaults isRegex to false and isEqual to true", () => {
    expect(silenceMatchers([{ name: "a", value: "b" }])).toEqual([eq("a", "b")]);
  });
});

describe("the namespaces a silence pins", () => {
  it("reads an equality matcher or a plain alternation of names", () => {
    expect(pinnedNamespaces([eq("namespace", "shop"), eq("alertname", "X")])).toEqual(new Set(["shop"]));
    expect(pinnedNamespaces([re("namespace", "shop|web")])).toEqual(new Set(["shop", "web"]));
  });

  it("pins nothing with a pattern, a negative matcher, or no namespace matcher", () => {
    expect(pinnedNamespaces([re("namespace", "shop-.*")])).toBeUndefined();
    expect(pinnedNamespaces([re("namespace", "(shop|web)")])).toBeUndefined();
    expect(pinnedNamespaces([ne("namespace", "shop")])).toBeUndefined();
    expect(pinnedNamespaces([eq("alertname", "X")])).toBeUndefined();
    expect(pinnedNamespaces([eq("namespace", "")])).toBeUndefined();
  });

  it("pins nothing with a tenant's tricks: open alternatives, groups, escapes, flags, look-alike letters, case", () => {
    for (const value of [
      "shop|web.*",
      "shop|",
      "|shop",
      "(shop|web)",
      "shop\\|web",
      "sho[p]",
      "(?i)shop",
      "Shop",
      "sh\u043ep",
      "shop\n",
      "shop|web|.*",
    ])
      expect(pinnedNamespaces([re("namespace", value)]), value).toBeUndefined();
    // A literal value is compared as such: "a|b" names no namespace.
    expect(pinnedNamespaces([eq("namespace", "shop|web")])).toBeUndefined();
    // A negative matcher beside a pinning one neither widens nor unpins it.
    expect(
      pinnedNamespaces([
        eq("namespace", "shop"),
        ne("namespace", "shop"),
        re("namespace", "web|shop", false),
      ]),
    ).toEqual(new Set(["shop"]));
    // Matchers on other labels only narrow: they never unpin.
    expect(
      pinnedNamespaces([eq("namespace", "shop"), re("exported_namespace", ".*"), re("cluster", ".*")]),
    ).toEqual(new Set(["shop"]));
  });

  it("pins what several pinning matchers share; disjoint ones pin nothing", () => {
    expect(pinnedNamespaces([re("namespace", "a|b|c"), re("namespace", "b|c|d")])).toEqual(
      new Set(["b", "c"]),
    );
    expect(pinnedNamespaces([eq("namespace", "a"), eq("namespace", "b")])).toBeUndefined();
    // A further pattern narrows without unpinning.
    expect(pinnedNamespaces([eq("namespace", "a"), re("namespace", ".*")])).toEqual(new Set(["a"]));
  });
});

describe("a silence's window", () => {
  const now = Date.parse("2026-12-06T12:00:00Z");
  it("reads Go's and ISO 8601's durations", () => {
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(parseDuration("PT2H")).toBe(7_200_000);
    expect(parseDuration("P1DT12H")).toBe(36 * 3_600_000);
    expect(parseDuration("P")).toBeUndefined();
    expect(parseDuration("PT")).toBeUndefined();
    expect(parseDuration("P1M")).toBeUndefined();
    expect(parseDuration("2 hours")).toBeUndefined();
    expect(parseDuration("h")).toBeUndefined();
  });

  it("runs from now for the duration, or to endsAt", () => {
    expect(silenceWindow({ duration: "2h" }, now)).toEqual({
      startsAt: new Date(now),
      endsAt: new Date(now + 7_200_000),
    });
    const endsAt = new Date(now + 60_000);
    expect(silenceWindow({ endsAt }, now).endsAt).toEqual(endsAt);
  });

  it("refuses zero, negative, under a minute, too long, unreadable, both and neither", () => {
    const refusal = (input: Parameters<typeof silenceWindow>[0]) => {
      try {
        silenceWindow(input, now);
      } catch (error) {
        expect(error).toBeInstanceOf(SilenceWindowError);
        return (error as SilenceWindowError).message;
      }
      throw new Error("accepted");
    };
    expect(refusal({ duration: "0s" })).toContain("positive");
    expect(refusal({ duration: "-1h" })).toContain("positive");
    expect(refusal({ duration: "31d" })).toContain("30 days");
    expect(refusal({ duration: "soon" })).toContain("not a duration");
    expect(refusal({ duration: "1h", endsAt: new Date(now + 1) })).toContain("not both");
    expect(refusal({})).toContain("not both");
    expect(refusal({ endsAt: new Date(now - 1) })).toContain("future");
    expect(refusal({ endsAt: new Date(now + MAX_SILENCE_MS + 1) })).toContain("30 days");
    expect(silenceWindow({ duration: "30d" }, now).endsAt.getTime()).toBe(now + MAX_SILENCE_MS);
    // Alertmanager would refuse a window already over when it arrives: said here, as input.
    expect(refusal({ duration: "1ms" })).toContain("at least a minute");
    expect(refusal({ duration: "0.5s" })).toContain("at least a minute");
    expect(refusal({ duration: "PT59S" })).toContain("at least a minute");
    expect(refusal({ endsAt: new Date(now + 1) })).toContain("at least a minute");
    expect(silenceWindow({ duration: "1m" }, now).endsAt.getTime()).toBe(now + MIN_SILENCE_MS);
    // Go's exponents are no duration; numbers too big for 30 days are refused, not overflowed.
    expect(refusal({ duration: "1e9h" })).toContain("not a duration");
    expect(refusal({ duration: "9".repeat(40) + "h" })).toContain("30 days");
  });
});

/** A caller who may delete pods in `namespaces` of cluster "east" and, with clusterRole, patch its nodes. */
function rights(namespaces: string[], clusterRole = false) {
  const asked: AccessQuestion[] = [];
  const ask = (q: AccessQuestion) => {
    asked.push(q);
    const allowed =
      q.cluster === "east" &&
      (q.resource === "nodes"
        ? clusterRole && q.verb === "patch"
        : clusterRole || namespaces.includes(q.namespace ?? ""));
    return Promise.resolve({ allowed, reason: allowed ? "granted" : "no role grants it" });
  };
  return { ask, asked };
}

describe("who may silence", () => {
  it("lets a namespace's writer silence its alerts, and only its", async () => {
    const { ask, asked } = rights(["shop"]);
    expect(
      await silenceAuthorityProblem(ask, "east", [eq("namespace", "shop"), eq("alertname", "X")]),
    ).toBeUndefined();
    expect(asked).toEqual([
      { verb: "delete", group: "", resource: "pods", cluster: "east", namespace: "shop" },
    ]);
    const refused = await silenceAuthorityProblem(ask, "east", [re("namespace", "shop|web")]);
    expect(refused).toContain("namespace web on cluster east");
    expect(refused).not.toContain("shop,");
  });

  it("takes a cluster role for a silence that pins no namespace, and says how to pin", async () => {
    const refused = await silenceAuthorityProblem(rights(["shop"]).ask, "east", [eq("alertname", "X")]);
    expect(refused).toContain("pins no namespace");
    expect(refused).toContain('namespace="<namespace>"');
    expect(
      await silenceAuthorityProblem(rights([], true).ask, "east", [eq("alertname", "X")]),
    ).toBeUndefined();
    expect(await silenceAuthorityProblem(rights([], true).ask, "west", [eq("alertname", "X")])).toContain(
      "cluster west",
    );
  });

  it("shows a silence to readers of every namespace it pins; an unpinned one to cluster roles", () => {
    const reader = Scope.of([{ cluster: "east", namespaces: ["shop"] }]);
    const clusterRole = Scope.of([{ cluster: "east", namespaces: "*", clusterKinds: "*" }]);
    expect(maySeeSilence(reader, "east", [eq("namespace", "shop")])).toBe(true);
    expect(maySeeSilence(reader, "east", [re("namespace", "shop|web")])).toBe(false);
    expect(maySeeSilence(reader, "east", [eq("alertname", "X")])).toBe(false);
    expect(maySeeSilence(reader, "west", [eq("namespace", "shop")])).toBe(false);
    expect(maySeeSilence(clusterRole, "east", [eq("alertname", "X")])).toBe(true);
  });
});

/** An Alertmanager's silences in memory, or one that is down. */
class FakeAlertmanager {
  readonly silences = new Map<string, AlertmanagerSilence>();
  posted: PostableSilence[] = [];
  down = false;

  private check(): void {
    if (this.down)
      throw new AlertmanagerError(
        "ALERTMANAGER_UNAVAILABLE",
        "http://am",
        "Alertmanager at http://am is unreachable",
        true,
      );
  }

  readonly client: SilenceBackend["client"] = {
    silences: () => Promise.resolve([...this.silences.values()]),
    silence: (id) => Promise.resolve(this.silences.get(id)),
    createSilence: (s) => {
      this.check();
      this.posted.push(s);
      const id = randomUUID();
      this.silences.set(id, { ...s, id, updatedAt: s.startsAt, state: "active" });
      return Promise.resolve(id);
    },
    expireSilence: (id) => {
      this.check();
      const found = this.silences.get(id);
      if (found) this.silences.set(id, { ...found, state: "expired" });
      return Promise.resolve(found !== undefined);
    },
  };
}

function silenceWorld(callerRights: ReturnType<typeof rights>) {
  const east = new FakeAlertmanager();
  const west = new FakeAlertmanager();
  const backends: Record<string, SilenceBackend> = {
    east: { client: east.client },
    // west's Alertmanager holds several clusters' alerts.
    west: { client: west.client, clusterLabel: { name: "cluster", value: "west" } },
  };
  const connections = { get: (c: string) => (c in backends ? ({} as ClusterConnection) : undefined) };
  const pipeline = new MutationPipeline(connections, new IdempotencyKeys(new MemoryStore()));
  const mutations = new SilenceMutations(pipeline, { forCluster: (c) => backends[c] });
  const recorder = new MemoryAuditRecorder();
  const caller = {
    subject: { user: "alice", groups: [] },
    scope: Scope.of([
      { cluster: "east", namespaces: ["shop"] },
      { cluster: "west", namespaces: ["shop"] },
    ]),
    access: {
      can: callerRights.ask,
      clusterAllows: () => true,
      roles: () => [],
      workspaceRole: () => undefined,
      members: () => [],
    },
    audit: requestAudit(recorder, { user: "alice", groups: [] }),
  } as unknown as MutationCaller;
  return { east, west, mutations, recorder, caller };
}

describe("silence mutations", () => {
  const input = {
    clusters: ["east", "west"],
    matchers: [
      { name: "namespace", value: "shop" },
      { name: "alertname", value: "KubePodCrashLooping" },
    ],
    duration: "2h",
    comment: "deploying a fix",
  };

  it("creates one silence per cluster as the caller, the cluster label added in a shared Alertmanager, audited", async () => {
    const world = silenceWorld(rights(["shop"]));
    // west's rights are not alice's in this fake: she may delete pods in shop on east only.
    const result = await world.mutations.create(input, world.caller);
    expect(result.userErrors).toEqual([]);
    const [east, west] = result.outcomes;
    expect(east).toMatchObject({
      status: "APPLIED",
      error: null,
      target: { cluster: "east", namespace: "shop" },
    });
    expect(east!.details!.silence).toMatchObject({
      cluster: "east",
      createdBy: "alice",
      comment: "deploying a fix",
      state: "ACTIVE",
    });
    expect(world.east.posted[0]!.matchers).toEqual([
      eq("namespace", "shop"),
      eq("alertname", "KubePodCrashLooping"),
    ]);
    expect(Date.parse(world.east.posted[0]!.endsAt) - Date.parse(world.east.posted[0]!.startsAt)).toBe(
      7_200_000,
    );
    expect(west).toMatchObject({ status: "FORBIDDEN" });
    expect(west!.error!.message).toContain("namespace shop on cluster west");
    expect(world.west.posted).toEqual([]);
    // The clusters are asked in parallel: their records come in either order.
    const audited = world.recorder.of("silence.create").sort((a, b) => a.cluster!.localeCompare(b.cluster!));
    expect(audited.map((e) => [e.cluster, e.outcome, e.namespace, e.resource])).toEqual([
      ["east", "success", "shop", `silences/${east!.details!.silence!.id}`],
      ["west", "denied", "shop", "silences/new"],
    ]);
  });

  it("adds the cluster label's matcher in a shared Alertmanager, and refuses one given", async () => {
    const world = silenceWorld(rights([], true));
    const west = { ...input, clusters: null, cluster: "west" };
    // rights(..., true) grants east only; give west too.
    world.caller.access.can = (q) => Promise.resolve({ allowed: true, reason: q.cluster });
    expect((await world.mutations.create(west, world.caller)).outcomes[0]!.status).toBe("APPLIED");
    expect(world.west.posted[0]!.matchers.at(-1)).toEqual(eq("cluster", "west"));
    // Refused as input, naming the matcher, before any cluster is asked: with east beside west too.
    const named = {
      ...input,
      matchers: [...input.matchers, { name: "cluster", value: "east" }],
    };
    const refused = await world.mutations.create(named, world.caller);
    expect(refused.outcomes).toEqual([]);
    expect(refused.userErrors).toEqual([
      {
        field: ["input", "matchers", "2", "name"],
        code: "BAD_USER_INPUT",
        message: expect.stringContaining('sets the "cluster" matcher itself (cluster west'),
      },
    ]);
    expect(world.west.posted).toHaveLength(1);
    expect(world.east.posted).toEqual([]);
  });

  it("answers an Alertmanager that is down with its typed outcome, the other cluster's silence made", async () => {
    const world = silenceWorld(rights([], true));
    world.caller.access.can = () => Promise.resolve({ allowed: true });
    world.west.down = true;
    const { outcomes } = await world.mutations.create(input, world.caller);
    expect(outcomes.map((o) => [o.target.cluster, o.status, o.error?.code ?? null])).toEqual([
      ["east", "APPLIED", null],
      ["west", "CLUSTER_UNAVAILABLE", "ALERTMANAGER_UNAVAILABLE"],
    ]);
  });

  it("answers Alertmanager's refusal INVALID with its code and message", async () => {
    const world = silenceWorld(rights(["shop"]));
    world.east.client.createSilence = () =>
      Promise.reject(
        new AlertmanagerError(
          "ALERTMANAGER_BAD_QUERY",
          "http://am",
          "Alertmanager refused the request: bad",
          false,
          400,
        ),
      );
    const [outcome] = (
      await world.mutations.create({ ...input, clusters: null, cluster: "east" }, world.caller)
    ).outcomes;
    expect(outcome).toMatchObject({
      status: "INVALID",
      error: { code: "ALERTMANAGER_BAD_QUERY", message: "Alertmanager refused the request: bad" },
    });
  });

  it("refuses bad input as user errors with their fields, sending nothing", async () => {
    const world = silenceWorld(rights(["shop"]));
    const { outcomes, userErrors } = await world.mutations.create(
      {
        cluster: "east",
        clusters: ["west"],
        matchers: [
          { name: "bad-name", value: "x" },
          { name: "pod", value: "(", isRegex: true },
        ],
        duration: "0s",
        comment: " ",
      },
      world.caller,
    );
    expect(outcomes).toEqual([]);
    expect(userErrors.map((e) => [e.field.join("."), e.code])).toEqual([
      ["input", "BAD_USER_INPUT"],
      ["input.matchers.0.name", "BAD_USER_INPUT"],
      ["input.matchers.1.value", "BAD_USER_INPUT"],
      ["input.comment", "BAD_USER_INPUT"],
      ["input.duration", "BAD_USER_INPUT"],
    ]);
    expect(world.east.posted).toEqual([]);
  });

  it("expires only what the caller could have made; an absent one is NOT_FOUND, an expired one UNCHANGED", async () => {
    const world = silenceWorld(rights(["shop"]));
    const admin = silenceWorld(rights([], true));
    // The same Alertmanager: a cluster-wide silence made by a cluster admin, one of shop by alice.
    const wide = await admin.mutations.create(
      {
        cluster: "east",
        matchers: [{ name: "alertname", value: "KubeNodeNotReady" }],
        duration: "1h",
        comment: "maintenance",
      },
      admin.caller,
    );
    const wideId = wide.outcomes[0]!.details!.silence!.id;
    world.east.silences.set(wideId, admin.east.silences.get(wideId)!);
    const mine = await world.mutations.create({ ...input, clusters: null, cluster: "east" }, world.caller);
    const mineId = mine.outcomes[0]!.details!.silence!.id;

    // alice may not see the cluster-wide one (no cluster role): FORBIDDEN, its matchers untold.
    const hidden = (await world.mutations.expire({ cluster: "east", id: wideId }, world.caller)).outcomes[0]!;
    expect(hidden.status).toBe("FORBIDDEN");
    expect(hidden.error!.message).not.toContain("KubeNodeNotReady");
    expect(hidden.details).toBeUndefined();
    const absent = randomUUID();
    expect(
      (await world.mutations.expire({ cluster: "east", id: absent }, world.caller)).outcomes[0]!.status,
    ).toBe("NOT_FOUND");
    expect(world.east.silences.get(wideId)!.state).toBe("active");
    // One she sees but may not have made: FORBIDDEN, named why.
    world.caller.scope = Scope.of([{ cluster: "east", namespaces: "*", clusterKinds: "*" }]);
    const refused = (await world.mutations.expire({ cluster: "east", id: wideId }, world.caller))
      .outcomes[0]!;
    expect(refused.status).toBe("FORBIDDEN");
    expect(refused.error!.message).toContain("pins no namespace");
    expect(world.east.silences.get(wideId)!.state).toBe("active");

    const expired = (await world.mutations.expire({ cluster: "east", id: mineId }, world.caller))
      .outcomes[0]!;
    expect(expired).toMatchObject({
      status: "APPLIED",
      details: { silence: { id: mineId, state: "EXPIRED" } },
    });
    expect(world.east.silences.get(mineId)!.state).toBe("expired");
    const again = (await world.mutations.expire({ cluster: "east", id: mineId }, world.caller)).outcomes[0]!;
    expect(again.status).toBe("UNCHANGED");
    expect(world.recorder.of("silence.expire").map((e) => [e.outcome, e.resource])).toEqual([
      ["denied", `silences/${wideId}`],
      ["failure", `silences/${absent}`],
      ["denied", `silences/${wideId}`],
      ["success", `silences/${mineId}`],
      ["success", `silences/${mineId}`],
    ]);
    const badId = await world.mutations.expire({ cluster: "east", id: "../status" }, world.caller);
    expect(badId.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "BAD_USER_INPUT" });
  });

  it("audits what a silence mutes and until when, a denied attempt's matchers too", async () => {
    const world = silenceWorld(rights(["shop"]));
    const made = await world.mutations.create(input, world.caller);
    const east = made.outcomes[0]!.details!.silence!;
    const created = world.recorder.of("silence.create").sort((a, b) => a.cluster!.localeCompare(b.cluster!));
    expect(created.map((e) => e.reason)).toEqual([
      `APPLIED; matchers {namespace="shop", alertname="KubePodCrashLooping"} until ${east.endsAt}`,
      expect.stringMatching(
        /^FORBIDDEN: .*; matchers \{namespace="shop", alertname="KubePodCrashLooping"\}$/,
      ),
    ]);
    await world.mutations.expire({ cluster: "east", id: east.id }, world.caller);
    const [expired] = world.recorder.of("silence.expire");
    // The target named no namespace: the silence read from Alertmanager pins one.
    expect(expired).toMatchObject({ namespace: "shop", resource: `silences/${east.id}` });
    expect(expired!.reason).toMatch(
      /^APPLIED; matchers \{namespace="shop", alertname="KubePodCrashLooping"\} until /,
    );
    const wide = silenceWorld(rights([], true));
    await wide.mutations.create(
      {
        cluster: "east",
        matchers: [
          { name: "alertname", value: "Kube.*", isRegex: true },
          { name: "severity", value: "info", isEqual: false },
          { name: "pod", value: "db-.*", isRegex: true, isEqual: false },
        ],
        duration: "1h",
        comment: "maintenance",
      },
      wide.caller,
    );
    expect(wide.recorder.of("silence.create")[0]!.reason).toContain(
      'matchers {alertname=~"Kube.*", severity!="info", pod!~"db-.*"}',
    );
  });

  it("expires in a shared Alertmanager only the cluster's own silences: another cluster's id is NOT_FOUND", async () => {
    const world = silenceWorld(rights([], true));
    world.caller.access.can = () => Promise.resolve({ allowed: true });
    world.caller.scope = Scope.everything();
    const id = randomUUID();
    const north: AlertmanagerSilence = {
      id,
      matchers: [eq("namespace", "shop"), eq("cluster", "north")],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      updatedAt: new Date().toISOString(),
      createdBy: "someone",
      comment: "north's",
      state: "active",
    };
    // Neither by a regex on the label nor by a second cluster matcher beside it.
    world.west.silences.set(id, north);
    const other = randomUUID();
    world.west.silences.set(other, {
      ...north,
      id: other,
      matchers: [eq("namespace", "shop"), re("cluster", "west|north")],
    });
    for (const silence of [id, other]) {
      const [outcome] = (await world.mutations.expire({ cluster: "west", id: silence }, world.caller))
        .outcomes;
      expect(outcome!.status).toBe("NOT_FOUND");
      expect(world.west.silences.get(silence)!.state).toBe("active");
    }
  });

  it("replays the first outcome for the same idempotency key: one silence, not two", async () => {
    const world = silenceWorld(rights(["shop"]));
    const keyed = { ...input, clusters: null, cluster: "east", idempotencyKey: "k1" };
    const first = await world.mutations.create(keyed, world.caller);
    const second = await world.mutations.create(keyed, world.caller);
    expect(second.outcomes[0]).toMatchObject({ status: "APPLIED", replayed: true });
    expect(second.outcomes[0]!.details!.silence!.id).toBe(first.outcomes[0]!.details!.silence!.id);
    expect(world.east.posted).toHaveLength(1);
  });
});

describe("silence reads", () => {
  const silence = (
    id: string,
    matchers: SilenceMatcher[],
    startsAt: string,
    state = "active",
  ): AlertmanagerSilence => ({
    id,
    matchers,
    startsAt,
    endsAt: "2027-01-01T00:00:00Z",
    updatedAt: startsAt,
    createdBy: "admin",
    comment: "why",
    state,
  });
  const eastSilences = [
    silence("e-shop", [eq("namespace", "shop")], "2026-12-06T10:00:00Z"),
    silence("e-wide", [eq("alertname", "KubeNodeNotReady")], "2026-12-06T11:00:00Z"),
    silence("e-old", [eq("namespace", "shop"), eq("pod", "web-1")], "2026-12-06T09:00:00Z", "expired"),
  ];
  // west's Alertmanager is shared: only the silences carrying cluster="west" are west's.
  const westSilences = [
    silence("w-shop", [eq("namespace", "shop"), eq("cluster", "west")], "2026-12-06T12:00:00Z"),
    silence("w-other", [eq("namespace", "shop"), eq("cluster", "north")], "2026-12-06T12:30:00Z"),
  ];
  const asked: string[][] = [];
  const client = (list: AlertmanagerSilence[]): SilenceBackend["client"] => ({
    silences: (matchers = []) => {
      asked.push([...matchers]);
      return Promise.resolve(list);
    },
    silence: () => Promise.resolve(undefined),
    createSilence: () => Promise.reject(new Error("not here")),
    expireSilence: () => Promise.reject(new Error("not here")),
  });
  function reads(scope: Scope, westDown = false) {
    const outcomes = new ClusterOutcomes();
    const down: SilenceBackend["client"] = {
      ...client([]),
      silences: () =>
        Promise.reject(
          new AlertmanagerError("ALERTMANAGER_TIMEOUT", "http://west", "did not answer within 3000 ms", true),
        ),
    };
    const backends: Record<string, SilenceBackend> = {
      east: { client: client(eastSilences) },
      west: {
        client: westDown ? down : client(westSilences),
        clusterLabel: { name: "cluster", value: "west" },
      },
    };
    const services = {
      clusters: { select: (f: { clusters: string[] | null }) => f.clusters ?? ["east", "west"] },
    } as unknown as ConstructorParameters<typeof SilenceReads>[0]["services"];
    return {
      outcomes,
      reads: new SilenceReads({ services, scope, outcomes, sources: { forCluster: (c) => backends[c] } }),
    };
  }

  it("lists what the caller may see, newest first, a shared Alertmanager's narrowed to the cluster", async () => {
    const { reads: admin } = reads(Scope.everything());
    const page = await admin.list({}, {});
    expect(page.items.map((i) => i.silence.id)).toEqual(["w-shop", "e-wide", "e-shop", "e-old"]);
    expect(page.items.map((i) => i.silence.state)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "EXPIRED"]);
    // Every silence is asked for, a shared Alertmanager's split here by the cluster label's matcher.
    expect(asked).toEqual([[], []]);
    expect(page.outcomes.map((o) => [o.cluster, o.synced, o.error])).toEqual([
      ["east", true, null],
      ["west", true, null],
    ]);
    const { reads: reader } = reads(Scope.of([{ cluster: "east", namespaces: ["shop"] }]));
    expect((await reader.list({}, {})).items.map((i) => i.silence.id)).toEqual(["e-shop", "e-old"]);
    expect((await reader.list({ states: ["ACTIVE"] }, {})).items.map((i) => i.silence.id)).toEqual([
      "e-shop",
    ]);
  });

  it("pages with keyset cursors and refuses a foreign one", async () => {
    const { reads: admin } = reads(Scope.everything());
    const first = await admin.list({}, { first: 2 });
    expect(first).toMatchObject({ totalCount: 4, hasNextPage: true });
    const next = await admin.list({}, { first: 2, after: first.items[1]!.cursor });
    expect(next.items.map((i) => i.silence.id)).toEqual(["e-shop", "e-old"]);
    expect(next.hasNextPage).toBe(false);
    await expect(admin.list({}, { after: "bm90LWEtY3Vyc29y" })).rejects.toBeInstanceOf(QueryInputError);
    await expect(admin.list({}, { first: 501 })).rejects.toBeInstanceOf(QueryInputError);
  });

  it("answers an Alertmanager that fails as the cluster's outcome, the others' silences listed", async () => {
    const { reads: admin, outcomes } = reads(Scope.everything(), true);
    const page = await admin.list({}, {});
    expect(page.items.map((i) => i.silence.cluster)).toEqual(["east", "east", "east"]);
    expect(page.outcomes[1]).toMatchObject({
      cluster: "west",
      synced: false,
      source: "ALERTMANAGER",
      error: { code: "ALERTMANAGER_TIMEOUT" },
    });
    expect(outcomes.errorFor("west", "ALERTMANAGER")?.retryable).toBe(true);
  });

  it("finds an alert's silences by id among those the caller may see", async () => {
    const { reads: reader } = reads(Scope.of([{ cluster: "east", namespaces: ["shop"] }]));
    expect((await reader.byIds("east", ["e-shop", "e-wide"])).map((s) => s.id)).toEqual(["e-shop"]);
    expect(await reader.byIds("west", ["w-shop"])).toEqual([]);
  });
});

describe("which cluster a shared Alertmanager's silence belongs to", () => {
  const eq = (name: string, value: string, isRegex = false, isEqual = true): SilenceMatcher => ({
    name,
    value,
    isRegex,
    isEqual,
  });
  const east = { name: "cluster", value: "east" };
  it("is the cluster every cluster-label matcher names exactly; none for patterns, negations or two clusters", () => {
    expect(silenceOfCluster([eq("cluster", "east"), eq("namespace", "shop")], east)).toBe(true);
    expect(silenceOfCluster([eq("namespace", "shop")], east)).toBe(false);
    // Two clusters named: the matchers are ANDed, it mutes nothing and is neither one's to show.
    expect(silenceOfCluster([eq("cluster", "east"), eq("cluster", "west")], east)).toBe(false);
    expect(silenceOfCluster([eq("cluster", "east"), eq("cluster", "ea.*", true)], east)).toBe(false);
    expect(silenceOfCluster([eq("cluster", "east"), eq("cluster", "west", false, false)], east)).toBe(false);
    expect(silenceOfCluster([eq("cluster", "east|west", true)], east)).toBe(false);
    expect(silenceOfCluster([eq("namespace", "shop")], undefined)).toBe(true);
  });
});

describe("silence reads of an Alertmanager shared by several clusters", () => {
  const CLUSTERS = ["eu-1", "us-1", "ap-1"];
  const silence = (id: string, matchers: SilenceMatcher[]): AlertmanagerSilence => ({
    id,
    matchers,
    startsAt: `2026-12-06T1${id.length % 10}:00:00Z`,
    endsAt: "2027-01-01T00:00:00Z",
    updatedAt: "2026-12-06T10:00:00Z",
    createdBy: "admin",
    comment: "why",
    state: "active",
  });
  const kept = [
    ...CLUSTERS.map((c) => silence(`${c}-shop`, [eq("namespace", "shop"), eq("cluster", c)])),
    ...CLUSTERS.map((c) => silence(`${c}-bank`, [eq("namespace", "bank"), eq("cluster", c)])),
    // Made in Alertmanager directly: for no cluster in particular, so no cluster's.
    silence("fleet-wide", [eq("alertname", "Watchdog")]),
    silence("north-shop", [eq("namespace", "shop"), eq("cluster", "north")]),
  ];

  /** One Alertmanager serving every cluster, counting the requests it is sent. */
  function sharedAlertmanager(down = false) {
    const asked: (readonly string[])[] = [];
    const client: SilenceBackend["client"] = {
      silences: (matchers = []) => {
        asked.push(matchers);
        return down
          ? Promise.reject(
              new AlertmanagerError(
                "ALERTMANAGER_UNAVAILABLE",
                "http://am",
                "Alertmanager at http://am is unreachable",
                true,
              ),
            )
          : Promise.resolve(kept);
      },
      silence: () => Promise.reject(new Error("not asked by reads")),
      createSilence: () => Promise.reject(new Error("not asked by reads")),
      expireSilence: () => Promise.reject(new Error("not asked by reads")),
    };
    const services = {
      clusters: {
        select: (f: { clusters: string[] | null }, scope: Scope) =>
          (f.clusters ?? CLUSTERS).filter((c) => scope.allowsCluster(c)),
      },
    } as unknown as ConstructorParameters<typeof SilenceReads>[0]["services"];
    const readsAs = (scope: Scope) => {
      const outcomes = new ClusterOutcomes();
      const reads = new SilenceReads({
        services,
        scope,
        outcomes,
        // A new source object per cluster, as the config's backends give: the client is what is shared.
        sources: { forCluster: (c) => ({ client, clusterLabel: { name: "cluster", value: c } }) },
      });
      return { reads, outcomes };
    };
    return { asked, readsAs };
  }

  // A cluster role on eu-1 and us-1; on ap-1 the pods of shop only.
  const scope = Scope.of([
    { cluster: "eu-1", namespaces: "*", clusterKinds: ["Node"] },
    { cluster: "us-1", namespaces: "*", clusterKinds: ["Node"] },
    { cluster: "ap-1", namespaces: ["shop"] },
  ]);

  it("asks it once per request for every cluster's silences, each cluster keeping its own, the Scope applied", async () => {
    const { asked, readsAs } = sharedAlertmanager();
    const { reads } = readsAs(scope);
    const page = await reads.list({}, {});
    expect(asked).toHaveLength(1);
    expect(page.items.map((i) => `${i.silence.cluster}:${i.silence.id}`).sort()).toEqual([
      "ap-1:ap-1-shop",
      "eu-1:eu-1-bank",
      "eu-1:eu-1-shop",
      "us-1:us-1-bank",
      "us-1:us-1-shop",
    ]);
    expect(page.outcomes.map((o) => [o.cluster, o.synced, o.error])).toEqual(
      CLUSTERS.map((c) => [c, true, null]),
    );
    // Alert.silences of alerts on each cluster, and another list: the same request, no new read.
    expect((await reads.byIds("us-1", ["us-1-bank", "eu-1-bank"])).map((s) => s.id)).toEqual(["us-1-bank"]);
    expect(await reads.byIds("ap-1", ["ap-1-bank"])).toEqual([]);
    expect((await reads.byIds("eu-1", ["eu-1-shop"])).map((s) => s.cluster)).toEqual(["eu-1"]);
    expect((await reads.list({ clusters: ["ap-1", "us-1"] }, {})).totalCount).toBe(3);
    expect(asked).toHaveLength(1);
    // A new request asks again: nothing is kept beyond it.
    await readsAs(scope).reads.list({}, {});
    expect(asked).toHaveLength(2);
  });

  it("gives every cluster it serves the typed outcome when it fails, asked once", async () => {
    const { asked, readsAs } = sharedAlertmanager(true);
    const { reads, outcomes } = readsAs(scope);
    const page = await reads.list({}, {});
    expect(asked).toHaveLength(1);
    expect(page.items).toEqual([]);
    expect(page.outcomes.map((o) => [o.cluster, o.synced, o.source, o.error?.code])).toEqual(
      CLUSTERS.map((cluster) => [cluster, false, "ALERTMANAGER", "ALERTMANAGER_UNAVAILABLE"]),
    );
    for (const cluster of CLUSTERS) expect(outcomes.errorFor(cluster, "ALERTMANAGER")?.retryable).toBe(true);
    expect(await reads.byIds("eu-1", ["eu-1-shop"])).toEqual([]);
    expect(asked).toHaveLength(1);
  });
});
