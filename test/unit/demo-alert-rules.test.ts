/**
 * The demo's rules: deploy/prometheus/alert-rules.yml with each `for:` shortened, read as YAML —
 * the rest of the file (expressions, annotations that mention `for:`, comments) left as it was.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  ALERT_RULES_PATH,
  defaultAlertRulesFile,
  demoAlertRules,
  withRuleFor,
} from "../../src/demo-alert-rules.js";
import { ROOT } from "../support/built-cli.js";

interface RuleFile {
  groups: { name: string; rules: Record<string, unknown>[] }[];
}

/** What the file says with every rule's `for` (where it has one) set to `duration`. */
function expectedFor(file: RuleFile, duration: string): RuleFile {
  return {
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => ("for" in rule ? { ...rule, for: duration } : rule)),
    })),
  };
}

const TRICKY = `groups:
  - name: tricky
    rules:
      - alert: WithComment
        expr: up == 0
        for: 15m # the realistic wait
      - alert: DescribesFor
        expr: up == 0
        for: 10m
        annotations:
          description: |
            Fires when the target is down
            for: longer than ten minutes.
      - alert: AtOnce
        expr: up == 0
      - { alert: Flow, expr: "up == 0", for: 5m }
  - name: recorded
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
`;

describe("the demo's alert rules", () => {
  it("set every rule's for and nothing else: comments, block text mentioning for:, flow style, rules without one", () => {
    const rewritten = withRuleFor(TRICKY, "30s");
    expect(parse(rewritten)).toEqual(expectedFor(parse(TRICKY) as RuleFile, "30s"));
    const described = (parse(rewritten) as RuleFile).groups[0]!.rules[1]!.annotations as {
      description: string;
    };
    expect(described.description).toContain("for: longer than ten minutes.");
    expect(rewritten).toContain("# the realistic wait");
  });

  it("refuse a rule file that is not YAML with a message saying so", () => {
    expect(() => withRuleFor("groups: [\n  - name: broken", "30s")).toThrow(
      /alert rule file is not valid YAML/,
    );
  });

  it("are the checkout's rule file, every for 30s, found from src/ whatever the working directory", async () => {
    const previous = process.cwd();
    process.chdir("/");
    try {
      expect(defaultAlertRulesFile()).toBe(join(ROOT, ALERT_RULES_PATH));
      const deployed = parse(await readFile(join(ROOT, ALERT_RULES_PATH), "utf8")) as RuleFile;
      const demo = parse((await demoAlertRules())!) as RuleFile;
      expect(demo).toEqual(expectedFor(deployed, "30s"));
      expect(demo.groups.flatMap((g) => g.rules).filter((r) => r.for === "30s").length).toBeGreaterThan(0);
    } finally {
      process.chdir(previous);
    }
  });
});
