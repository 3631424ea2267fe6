/**
 * Query parameters of list and watch requests, validated the way the real server validates
 * them: selectors are parsed up front (400 BadRequest with the parser's message), and field
 * selectors may only name fields the kind supports.
 */
import { FieldSelectorError, matchesFields, parseFieldSelector } from "../../src/kube/field-selector.js";
import { LabelSelectorError, matchesLabels, parseLabelSelector } from "../../src/kube/label-selector.js";
import type { KubeObject } from "../../src/kube/object.js";
import { statusErrors } from "../errors.js";
import { fieldGetter, type ResourceKind } from "../kinds.js";
import type { Predicate } from "../store/cluster-store.js";
import { parseBool } from "./request-info.js";

export interface ListOptions {
  predicate: Predicate | undefined;
  limit: number | undefined;
  continueToken: string | undefined;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
}

export function parseListOptions(kind: ResourceKind, query: URLSearchParams): ListOptions {
  const predicate = selectorPredicate(
    kind,
    query.get("labelSelector") ?? "",
    query.get("fieldSelector") ?? "",
  );
  const resourceVersionMatch = query.get("resourceVersionMatch") || undefined;
  const resourceVersion = query.get("resourceVersion") || undefined;
  if (resourceVersionMatch && !["NotOlderThan", "Exact"].includes(resourceVersionMatch)) {
    throw statusErrors.badRequest(
      `resourceVersionMatch: Unsupported value: "${resourceVersionMatch}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  if (resourceVersion !== undefined && !/^\d+$/.test(resourceVersion)) {
    throw statusErrors.badRequest(
      `invalid resource version: strconv.ParseUint: parsing "${resourceVersion}": invalid syntax`,
    );
  }
  return {
    predicate,
    limit: nonNegativeInt(query, "limit"),
    continueToken: query.get("continue") || undefined,
    resourceVersion,
    resourceVersionMatch,
    watch: parseBool(query.get("watch")),
    allowWatchBookmarks: parseBool(query.get("allowWatchBookmarks")),
    sendInitialEvents: parseBool(query.get("sendInitialEvents")),
    timeoutSeconds: nonNegativeInt(query, "timeoutSeconds"),
  };
}

export function selectorPredicate(
  kind: ResourceKind,
  labelSelector: string,
  fieldSelector: string,
): Predicate | undefined {
  const tests: Predicate[] = [];
  if (labelSelector.trim() !== "") {
    try {
      const selector = parseLabelSelector(labelSelector);
      if (selector.length > 0) tests.push((obj) => matchesLabels(selector, obj.metadata.labels));
    } catch (error) {
      if (error instanceof LabelSelectorError) throw statusErrors.badRequest(error.message);
      throw error;
    }
  }
  if (fieldSelector.trim() !== "") {
    let selector;
    try {
      selector = parseFieldSelector(fieldSelector);
    } catch (error) {
      if (error instanceof FieldSelectorError) throw statusErrors.badRequest(error.message);
      throw error;
    }
    const getters = new Map<string, (obj: KubeObject) => string | undefined>();
    for (const requirement of selector) {
      const getter = fieldGetter(kind, requirement.field);
      if (!getter) throw statusErrors.badRequest(`field label not supported: ${requirement.field}`);
      getters.set(requirement.field, getter);
    }
    if (selector.length > 0)
      tests.push((obj) => matchesFields(selector, (field) => getters.get(field)?.(obj)));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (obj) => tests.every((test) => test(obj));
}

function nonNegativeInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) {
    throw statusErrors.badRequest(
      `${name}: Invalid value: "${raw}": strconv.ParseInt: parsing "${raw}": invalid syntax`,
    );
  }
  const value = Number(raw);
  return value > 0 ? value : undefined;
}
