/** One thing wrong with a configuration, located as precisely as the source allows. */
export interface ConfigIssue {
  /** The field path as written in the file, e.g. `clusters[2].server`. */
  field?: string;
  /** 1-based line in the file. */
  line?: number;
  message: string;
}

export interface ConfigErrorContext {
  /** The file at fault (config file or kubeconfig). */
  path?: string;
  line?: number;
  field?: string;
  cause?: unknown;
  /** Further issues found in the same pass, reported after the first. */
  also?: readonly ConfigIssue[];
}

/**
 * A configuration that cannot be used. The message reads like a compiler's:
 * `fleetgraph.yaml:12: clusters[1].server: must be an https:// or http:// URL`, one line per
 * issue; `path`, `line` and `field` describe the first issue for programs.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly path?: string;
  readonly line?: number;
  readonly field?: string;
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, context: ConfigErrorContext = {}) {
    const issue: ConfigIssue = { message };
    if (context.field !== undefined) issue.field = context.field;
    if (context.line !== undefined) issue.line = context.line;
    const issues = [issue, ...(context.also ?? [])];
    super(
      issues.map((i) => formatIssue(context.path, i)).join("\n"),
      context.cause === undefined ? undefined : { cause: context.cause },
    );
    this.path = context.path;
    this.line = context.line;
    this.field = context.field;
    this.issues = issues;
  }

  /** Several issues found in one pass (schema validation reports them all), ordered by line. */
  static fromIssues(path: string | undefined, issues: readonly ConfigIssue[]): ConfigError {
    const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const [first = { message: "invalid configuration" }, ...rest] = sorted;
    return new ConfigError(first.message, { path, line: first.line, field: first.field, also: rest });
  }
}

function formatIssue(path: string | undefined, issue: ConfigIssue): string {
  let where = path ?? "";
  if (path !== undefined && issue.line !== undefined) where += `:${issue.line}`;
  const parts = [where, issue.field, issue.message].filter((p): p is string => p !== undefined && p !== "");
  return parts.join(": ");
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `["clusters", 2, "labels", "app.kubernetes.io/name"]` -> `clusters[2].labels["app.kubernetes.io/name"]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
