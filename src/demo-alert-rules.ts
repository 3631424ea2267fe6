/**
 * The default alert rules (deploy/prometheus/alert-rules.yml) as the demo's Prometheus evaluates
 * them: the same rules, each `for:` shortened so a fault of the demo fires within a minute rather
 * than after the quarter of an hour a real fleet waits out; the file under deploy/ keeps the
 * realistic durations.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";

/** Where the repository keeps the rules, from its root. */
export const ALERT_RULES_PATH = "deploy/prometheus/alert-rules.yml";

/** How long a demo rule's condition must hold before it fires (the deployed rules say 15m). */
export const DEMO_RULE_FOR = "30s";

/**
 * The rule file of this checkout, found from this module: one folder up when it runs from src/
 * (tests), two when built into dist/src/ (`npm start`); undefined where neither has it (an image
 * or package that ships dist/ only). The nearer one is tried first, so a run from source never
 * looks outside the checkout.
 */
export function defaultAlertRulesFile(): string | undefined {
  const candidates = [`../${ALERT_RULES_PATH}`, `../../${ALERT_RULES_PATH}`].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path));
}

/**
 * Every rule's `for:` in a Prometheus rule file set to `duration` (a Prometheus duration); rules
 * without one still fire at once. Read as YAML, not as lines: a `for:` inside an annotation's
 * block text, one followed by a comment or a rule written in flow style are what they are.
 */
export function withRuleFor(rules: string, duration: string): string {
  const document = parseDocument(rules);
  if (document.errors.length > 0)
    throw new Error(`the alert rule file is not valid YAML: ${document.errors[0]!.message}`);
  const groups = document.get("groups");
  if (!isSeq(groups)) return rules;
  for (const group of groups.items) {
    const groupRules = isMap(group) ? group.get("rules") : undefined;
    if (!isSeq(groupRules)) continue;
    for (const rule of groupRules.items) {
      if (!isMap(rule) || !rule.has("for")) continue;
      const current = rule.get("for", true);
      // Keeps the scalar (and the comment beside it); only its value changes.
      if (isScalar(current)) current.value = duration;
      else rule.set("for", duration);
    }
  }
  return document.toString({ lineWidth: 0 });
}

/** The demo's rules, or undefined when this build has no rule file. */
export async function demoAlertRules(
  file: string | undefined = defaultAlertRulesFile(),
  duration: string = DEMO_RULE_FOR,
): Promise<string | undefined> {
  return file === undefined ? undefined : withRuleFor(await readFile(file, "utf8"), duration);
}
