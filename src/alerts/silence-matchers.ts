/**
 * A silence's matchers as a caller gives them: checked before anything is sent (label names,
 * regular expressions Alertmanager's RE2 will accept, at least one matcher that cannot match an
 * absent label), and read for the namespaces they pin — what decides who may make, see or
 * expire the silence (silence-access.ts). Knows no GraphQL.
 */
import { isDnsLabel } from "../kube/names.js";
import { ALERT_LABELS } from "./alert.js";
import { re2AsJavaScript } from "./re2-syntax.js";
import type { SilenceMatcher } from "./silence.js";

export interface SilenceMatcherInput {
  name: string;
  value: string;
  /** Default false: the value is a literal. */
  isRegex?: boolean | null;
  /** Default true: = or =~; false: != or !~. */
  isEqual?: boolean | null;
}

/** A mistake in one matcher (`index`) or in the list as a whole (no index). */
export interface MatcherProblem {
  index?: number;
  field?: "name" | "value";
  message: string;
}

export const MAX_SILENCE_MATCHERS = 20;
const MAX_VALUE_LENGTH = 1024;
/** Prometheus's label names (Alertmanager 0.25 accepts no others). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function silenceMatchers(input: readonly SilenceMatcherInput[]): SilenceMatcher[] {
  return input.map((m) => ({
    name: m.name,
    value: m.value,
    isRegex: m.isRegex ?? false,
    isEqual: m.isEqual ?? true,
  }));
}

/** A matcher as Alertmanager and amtool write it: `name="value"`, `=~`, `!=`, `!~`. */
export function matcherText(m: SilenceMatcher): string {
  return `${m.name}${m.isEqual ? "=" : "!"}${m.isRegex ? "~" : m.isEqual ? "" : "="}${JSON.stringify(m.value)}`;
}

/**
 * Alertmanager anchors a regex matcher at both ends; so does the check here, in JavaScript's
 * reading of the RE2 pattern (re2-syntax.ts). Undefined where JavaScript cannot read it the same:
 * Alertmanager alone judges that one. Throws what JavaScript's compiler or the reading refuses.
 */
function anchored(value: string): RegExp | undefined {
  const reading = re2AsJavaScript(value);
  if ("notRe2" in reading)
    throw new SyntaxError(`Alertmanager's regular expressions (RE2) have no ${reading.notRe2}`);
  if ("untranslatable" in reading) return undefined;
  return new RegExp(`^(?:${reading.source})$`);
}

/** Whether the matcher matches an alert without the label (its value ""); undefined: cannot tell here. */
export function matchesEmpty(m: SilenceMatcher): boolean | undefined {
  if (!m.isRegex) return (m.value === "") === m.isEqual;
  const regex = anchored(m.value);
  return regex && regex.test("") === m.isEqual;
}

/** Every mistake in the matchers; none: Alertmanager should accept them. */
export function matcherProblems(matchers: readonly SilenceMatcher[]): MatcherProblem[] {
  if (matchers.length === 0)
    return [{ message: 'give at least one matcher, e.g. {name: "alertname", value: "KubePodCrashLooping"}' }];
  if (matchers.length > MAX_SILENCE_MATCHERS)
    return [{ message: `at most ${MAX_SILENCE_MATCHERS} matchers per silence (${matchers.length} given)` }];
  const problems: MatcherProblem[] = [];
  let compiled = true;
  matchers.forEach((m, index) => {
    if (!LABEL_NAME.test(m.name))
      problems.push({
        index,
        field: "name",
        message: `"${m.name.slice(0, 80)}" is not a label name: letters, digits and '_', not starting with a digit`,
      });
    if (m.value.length > MAX_VALUE_LENGTH) {
      problems.push({ index, field: "value", message: `at most ${MAX_VALUE_LENGTH} characters` });
      compiled = false;
      return;
    }
    if (!m.isRegex) return;
    try {
      // Unreadable here (RE2 syntax JavaScript lacks): sent as given, Alertmanager's to judge.
      if (anchored(m.value) === undefined) compiled = false;
    } catch (error) {
      compiled = false;
      const said = error instanceof Error ? error.message : String(error);
      problems.push({
        index,
        field: "value",
        message: said.startsWith("Alertmanager's") ? said : `not a regular expression: ${said}`,
      });
    }
  });
  // Alertmanager refuses a silence every matcher of which matches an absent label: it would mute
  // alerts that carry none of the labels named (everything, for `foo=""`).
  if (compiled && matchers.every(matchesEmpty))
    problems.push({
      message:
        'every matcher matches an alert without its label (an empty value): at least one must not, e.g. alertname="KubePodCrashLooping"',
    });
  return problems;
}

/**
 * The namespaces the matchers pin a silence to: those of an equality matcher `namespace="ns"`,
 * or of a regex matcher `namespace=~"a|b"` that is a plain alternation of namespace names
 * (Alertmanager anchors it: it matches exactly those). Several pinning matchers pin the
 * namespaces they share. Undefined when nothing pins it: the silence reaches every namespace's
 * alerts and the cluster-level ones.
 */
export function pinnedNamespaces(matchers: readonly SilenceMatcher[]): ReadonlySet<string> | undefined {
  let pinned: Set<string> | undefined;
  for (const m of matchers) {
    if (m.name !== ALERT_LABELS.namespace || !m.isEqual) continue;
    const names = m.isRegex ? m.value.split("|") : [m.value];
    if (!names.every(isDnsLabel)) continue;
    pinned = pinned ? new Set(names.filter((n) => pinned!.has(n))) : new Set(names);
  }
  // Matchers that pin disjoint namespaces match nothing namespaced; read as pinning nothing, so
  // only a cluster role may make such a silence.
  return pinned && pinned.size > 0 ? pinned : undefined;
}
