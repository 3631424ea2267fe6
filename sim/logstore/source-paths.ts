/**
 * Reading a document's `_source` by field path (`kubernetes.pod_name`, dotted keys included, arrays
 * flattened), and `_source` filtering of hits (includes / excludes with `*` wildcards), as ES
 * applies them to the stored JSON.
 */

import { text } from "./errors.js";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every leaf value at a path. */
export function valuesAt(source: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(source, path, out);
  return out;
}

function collect(node: unknown, path: string, out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, path, out);
    return;
  }
  if (path === "") {
    if (node !== null && node !== undefined && !isObject(node)) out.push(node);
    return;
  }
  if (!isObject(node)) return;
  // A key may itself hold dots: try every split of the path.
  let dot = -1;
  do {
    dot = path.indexOf(".", dot + 1);
    const key = dot < 0 ? path : path.slice(0, dot);
    if (key in node) collect(node[key], dot < 0 ? "" : path.slice(dot + 1), out);
  } while (dot >= 0);
}

export interface SourceFilter {
  includes: string[];
  excludes: string[];
}

/** `_source` of a request (bool, string, list or {includes, excludes}) -> a filter, or false for none. */
export function parseSourceFilter(value: unknown): SourceFilter | boolean {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  if (typeof value === "string") {
    if (value === "true") return true;
    if (value === "false") return false;
    return { includes: value.split(","), excludes: [] };
  }
  if (Array.isArray(value)) return { includes: value.map(String), excludes: [] };
  if (isObject(value)) {
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [text(v)]);
    return {
      includes: list(value.includes ?? value.include),
      excludes: list(value.excludes ?? value.exclude),
    };
  }
  return true;
}

function matcher(patterns: string[]): (path: string, partial: boolean) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.split("*").map(escape).join(".*")}$`));
  return (path, partial) =>
    regexes.some(
      (r, i) =>
        r.test(path) ||
        (partial && patterns[i]!.startsWith(`${path}.`)) ||
        (partial && patterns[i]!.startsWith("*")),
    );
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

export function filterSource(source: Json, filter: SourceFilter): Json {
  const include = filter.includes.length ? matcher(filter.includes) : undefined;
  const exclude = filter.excludes.length ? matcher(filter.excludes) : undefined;
  return filterObject(source, "", include, exclude, include === undefined) as Json;
}

function filterObject(
  node: Json,
  prefix: string,
  include: ((path: string, partial: boolean) => boolean) | undefined,
  exclude: ((path: string, partial: boolean) => boolean) | undefined,
  included: boolean,
): Json | undefined {
  const out: Json = {};
  let any = false;
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (exclude?.(path, false)) continue;
    const whole = included || include!(path, false);
    if (isObject(value)) {
      if (!whole && !include!(path, true)) continue;
      const sub = filterObject(value, path, include, exclude, whole);
      if (sub !== undefined) {
        out[key] = sub;
        any = true;
      }
      continue;
    }
    if (!whole) continue;
    out[key] = value;
    any = true;
  }
  return any || prefix === "" ? out : undefined;
}
