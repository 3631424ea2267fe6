/**
 * A parsed YAML file that remembers where every value came from, so validation errors can name
 * the line of the offending field rather than just its path.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node, Pair } from "yaml";
import { ConfigError } from "./errors.js";

/** Point at a field's key (`sever:` — an unknown key) or at its value (`server: ftp://x`). */
export type Anchor = "key" | "value";

export class SourceDocument {
  private constructor(
    readonly path: string,
    readonly value: unknown,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `text`; a YAML syntax error becomes a ConfigError with its line. */
  static parse(text: string, path: string): SourceDocument {
    const lines = new LineCounter();
    // merge: `<<: *shared` lets clusters share tls/auth blocks, a common kubeconfig-era habit.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
    const [first, ...rest] = doc.errors;
    if (first !== undefined) {
      const issue = (e: typeof first) => ({
        line: lines.linePos(e.pos[0]).line,
        message: `invalid YAML: ${e.message}`,
      });
      throw ConfigError.fromIssues(path, [issue(first), ...rest.map(issue)]);
    }
    return new SourceDocument(path, doc.toJS({ maxAliasCount: 1000 }) as unknown, doc, lines);
  }

  /**
   * The 1-based line of the field at `path`. When the field is missing (a required key left
   * out) the line of the closest enclosing value is returned instead.
   */
  lineOf(path: readonly PropertyKey[], anchor: Anchor = "value"): number | undefined {
    const offset = this.offsetOf(path, anchor);
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  private offsetOf(path: readonly PropertyKey[], anchor: Anchor): number | undefined {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    for (const segment of path) {
      node = this.resolve(node);
      const container = node;
      if (isMap(container)) {
        pair = container.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) return rangeStart(container);
        node = pair.value;
      } else if (isSeq(container) && typeof segment === "number") {
        const item: unknown = container.items[segment];
        if (item === undefined) return rangeStart(container);
        pair = undefined;
        node = item;
      } else {
        return rangeStart(container) ?? rangeStart(pair?.key);
      }
    }
    if (anchor === "key" && pair !== undefined) return rangeStart(pair.key) ?? rangeStart(node);
    return rangeStart(node) ?? rangeStart(pair?.key);
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range?.[0];
}
