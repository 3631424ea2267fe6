/**
 * The dependency audit of `npm test`: `npm audit` over the whole tree, failing on any high or
 * critical advisory that `.audit-allowlist.json` does not explain (docs/security.md, "Dependency
 * advisories"). When npm's advisory service cannot answer (offline, or a registry mirror without
 * the bulk endpoint) it warns and passes, unless FLEETGRAPH_AUDIT=required; CI reaches the
 * registry, so there it audits for real. Node runs this file as TypeScript (no build step).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FAILING_SEVERITIES = new Set(["high", "critical"]);

/** One advisory as npm reports it in a vulnerability's `via`. */
export interface Advisory {
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
  range: string;
}

export interface AllowedAdvisory {
  id: string;
  package: string;
  /** Why it does not apply to this project: read by whoever reviews the list. */
  reason: string;
  /** YYYY-MM-DD after which the entry no longer excuses the advisory: it must be looked at again. */
  expires: string;
}

export type Verdict =
  | { kind: "unavailable"; why: string }
  | { kind: "checked"; failing: Advisory[]; excused: Advisory[]; stale: AllowedAdvisory[] };

interface ViaObject {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: string;
  range?: string;
}

/** The GitHub advisory id (GHSA-...) from its URL, else npm's number. */
function advisoryId(via: ViaObject): string {
  const ghsa = /GHSA-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/i.exec(via.url ?? "");
  return ghsa ? ghsa[0] : String(via.source ?? via.title ?? "unknown");
}

/** Every advisory of an `npm audit --json` report (npm 7+), once each. */
export function advisoriesOf(report: unknown): Advisory[] | undefined {
  const vulnerabilities = (report as { vulnerabilities?: unknown } | null)?.vulnerabilities;
  if (vulnerabilities === null || typeof vulnerabilities !== "object") return undefined;
  const found = new Map<string, Advisory>();
  for (const vulnerability of Object.values(vulnerabilities as Record<string, { via?: unknown[] }>))
    for (const via of vulnerability.via ?? []) {
      // A string names another vulnerable package: its own entry carries the advisory.
      if (via === null || typeof via !== "object") continue;
      const v = via as ViaObject;
      const id = advisoryId(v);
      found.set(`${id} ${v.name ?? ""}`, {
        id,
        package: v.name ?? "",
        severity: v.severity ?? "unknown",
        title: v.title ?? "",
        url: v.url ?? "",
        range: v.range ?? "",
      });
    }
  return [...found.values()];
}

/** Failing advisories are high or critical ones no unexpired allow-list entry names. */
export function judge(report: unknown, allowed: readonly AllowedAdvisory[], today: string): Verdict {
  const advisories = advisoriesOf(report);
  if (advisories === undefined) {
    const r = report as { message?: unknown; error?: { summary?: unknown } } | null;
    const said = [r?.message, r?.error?.summary].find((m): m is string => typeof m === "string" && m !== "");
    return { kind: "unavailable", why: said ?? "the report has no vulnerabilities section" };
  }
  const live = allowed.filter((a) => a.expires >= today);
  const excuses = (adv: Advisory) => live.some((a) => a.id === adv.id && a.package === adv.package);
  const serious = advisories.filter((a) => FAILING_SEVERITIES.has(a.severity));
  return {
    kind: "checked",
    failing: serious.filter((a) => !excuses(a)),
    excused: serious.filter(excuses),
    stale: allowed.filter(
      (a) => a.expires < today || !serious.some((s) => s.id === a.id && s.package === a.package),
    ),
  };
}

export function parseAllowlist(text: string): AllowedAdvisory[] {
  const parsed = JSON.parse(text) as { advisories?: unknown };
  if (!Array.isArray(parsed.advisories)) throw new Error("`advisories` must be a list");
  return parsed.advisories.map((entry: unknown, i) => {
    const e = entry as Partial<AllowedAdvisory>;
    for (const key of ["id", "package", "reason", "expires"] as const)
      if (typeof e[key] !== "string" || e[key] === "")
        throw new Error(`advisories[${i}].${key} must be a non-empty string`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.expires!))
      throw new Error(`advisories[${i}].expires must be YYYY-MM-DD`);
    return e as AllowedAdvisory;
  });
}

function line(a: Advisory): string {
  return `  ${a.severity.padEnd(8)} ${a.package} ${a.range}: ${a.title} (${a.id}) ${a.url}`;
}

function main(): number {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const allowed = parseAllowlist(readFileSync(`${root}.audit-allowlist.json`, "utf8"));
  const run = spawnSync("npm", ["audit", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = {
      message: run.error?.message ?? (run.stderr.trim().split("\n").pop() || "npm audit printed no JSON"),
    };
  }
  const verdict = judge(report, allowed, new Date().toISOString().slice(0, 10));
  if (verdict.kind === "unavailable") {
    const required = process.env.FLEETGRAPH_AUDIT === "required";
    console.log(`${required ? "error" : "warning"}: npm's advisory service did not answer: ${verdict.why}`);
    if (!required) console.log("(the audit is skipped; FLEETGRAPH_AUDIT=required makes this fail)");
    return required ? 1 : 0;
  }
  for (const a of verdict.excused) console.log(`allowed by .audit-allowlist.json:\n${line(a)}`);
  for (const a of verdict.stale)
    console.log(
      `note: .audit-allowlist.json entry ${a.id} (${a.package}) has expired or no longer applies: remove or renew it`,
    );
  if (verdict.failing.length > 0) {
    console.log(
      `high or critical advisories (update within semver, or explain each in .audit-allowlist.json):`,
    );
    for (const a of verdict.failing) console.log(line(a));
    return 1;
  }
  console.log("no high or critical advisory unexplained");
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
