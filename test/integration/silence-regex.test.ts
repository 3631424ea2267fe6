/**
 * The gateway's reading of RE2 (src/alerts/re2-syntax.ts) against the real engine: each pattern
 * is a silence in Debian's `prometheus-alertmanager` (Go's regexp), each candidate value an alert;
 * the alerts Alertmanager tells suppressed must be exactly those the JavaScript reading matches.
 * That is what the gateway's checks of a silence's regexes (the empty value, compiling) rest on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { re2AsJavaScript } from "../../src/alerts/re2-syntax.js";
import { AlertmanagerClient, equalityMatcher } from "../../src/backends/alertmanager/client.js";
import { startAlertmanager, type RunningAlertmanager } from "../support/alertmanager.js";
import { eventually } from "../support/eventually.js";

/** Patterns where the two syntaxes part, and values on either side of each. */
const CASES: readonly [pattern: string, values: readonly string[]][] = [
  ["(?i)kube.*", ["KubePodCrashLooping", "kube", "Kube", "xkube"]],
  ["x(?i)b|c", ["xB", "Xb", "c", "C", "xb"]],
  ["(x(?i)y)z", ["xYz", "xYZ", "XYz"]],
  ["(?i:a)b", ["Ab", "AB", "ab"]],
  ["(?s)a.b", ["a\nb", "axb", "ab"]],
  ["(?m)a$", ["a", "ba"]],
  ["(?P<app>web)-(?i)API", ["web-api", "web-API", "WEB-api"]],
  ["[]a]+", ["]a", "a]]", "b"]],
  ["[^]a]", ["b", "]", "a"]],
  ["\\101|\\(?=", ["A", "=", "(=", "101"]],
];

let am: RunningAlertmanager;
let client: AlertmanagerClient;

beforeAll(async () => {
  am = await startAlertmanager();
  client = new AlertmanagerClient({
    url: am.url,
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 3000,
    maxConcurrentRequests: 4,
  });
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  const alerts = CASES.flatMap(([, values], i) =>
    values.map((value) => ({ labels: { alertname: "Regex", case: String(i), value }, endsAt })),
  );
  const posted = await fetch(`${am.url}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alerts),
  });
  expect(posted.status).toBe(200);
  for (const [i, [pattern]] of CASES.entries())
    await client.createSilence({
      matchers: [
        { name: "case", value: String(i), isRegex: false, isEqual: true },
        { name: "value", value: pattern, isRegex: true, isEqual: true },
      ],
      startsAt,
      endsAt,
      createdBy: "test",
      comment: pattern,
    });
}, 60_000);

afterAll(async () => {
  client?.close();
  await am?.stop();
});

describe("RE2 as the gateway reads it, and as Alertmanager matches it", () => {
  it.each(CASES.map(([pattern, values], i) => [pattern, values, i] as const))(
    "%s",
    async (pattern, values, i) => {
      const reading = re2AsJavaScript(pattern);
      if (!("source" in reading)) throw new Error(`not read: ${JSON.stringify(reading)}`);
      const js = new RegExp(`^(?:${reading.source})$`);
      const suppressed = await eventually(async () => {
        const alerts = await client.alerts({ matchers: [equalityMatcher("case", String(i))] });
        return alerts.length === values.length && !alerts.some((a) => a.state === "unprocessed")
          ? new Map(alerts.map((a) => [a.labels.value!, a.state === "suppressed"]))
          : undefined;
      });
      const expected = new Map(values.map((v) => [v, js.test(v)]));
      expect(suppressed).toEqual(expected);
      // Each case tells both sides apart: some value muted, some not.
      expect(new Set(expected.values())).toEqual(new Set([true, false]));
    },
  );
});
