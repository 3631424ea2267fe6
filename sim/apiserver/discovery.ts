/**
 * Non-resource endpoints: /version, the legacy (unaggregated) discovery documents, and the
 * health probes. kubectl 1.32 asks for aggregated discovery in its Accept header; answering
 * plain `application/json` makes it fall back to these documents, as against an older server.
 */
import { apiVersionOf, RESOURCE_KINDS, type ResourceKind, type Subresource } from "../kinds.js";
import type { ApiServerContext } from "./context.js";
import { openApiDocuments, openApiRoot } from "./openapi/documents.js";

export type NonResourceAnswer =
  | { type: "json"; body: unknown }
  | { type: "jsonText"; body: string }
  | { type: "text"; body: string }
  | { type: "notFound" };

const PROBES = ["/healthz", "/readyz", "/livez"];

export function answerNonResource(ctx: ApiServerContext, path: string, host: string): NonResourceAnswer {
  const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (PROBES.some((probe) => clean === probe || clean.startsWith(`${probe}/`)))
    return { type: "text", body: "ok" };
  if (clean === "/version") return { type: "json", body: versionInfo(ctx) };
  if (clean === "/openapi/v3") return { type: "json", body: openApiRoot(ctx.version.gitVersion) };
  if (clean.startsWith("/openapi/v3/")) {
    const doc = openApiDocuments(ctx.version.gitVersion).get(clean.slice("/openapi/v3/".length));
    return doc ? { type: "jsonText", body: doc.text } : { type: "notFound" };
  }
  if (clean === "/api") {
    return {
      type: "json",
      body: {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: host }],
      },
    };
  }
  if (clean === "/api/v1") return { type: "json", body: resourceList("", "v1") };
  if (clean === "/apis")
    return { type: "json", body: { kind: "APIGroupList", apiVersion: "v1", groups: groups() } };
  const groupMatch = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(clean);
  if (groupMatch) {
    const group = groups().find((g) => g.name === groupMatch[1]);
    if (!group) return { type: "notFound" };
    const version = groupMatch[2];
    if (version === undefined)
      return { type: "json", body: { kind: "APIGroup", apiVersion: "v1", ...group } };
    if (group.versions.some((v) => v.version === version)) {
      return { type: "json", body: resourceList(group.name, version) };
    }
  }
  return { type: "notFound" };
}

function versionInfo(ctx: ApiServerContext): Record<string, string> {
  return {
    ...ctx.version,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-01-01T00:00:00Z",
    goVersion: "go1.23.4",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

interface GroupVersionRef {
  groupVersion: string;
  version: string;
}

function groups(): { name: string; versions: GroupVersionRef[]; preferredVersion: GroupVersionRef }[] {
  const byGroup = new Map<string, GroupVersionRef[]>();
  for (const k of RESOURCE_KINDS) {
    if (k.group === "") continue;
    const versions = byGroup.get(k.group) ?? [];
    if (!versions.some((v) => v.version === k.version))
      versions.push({ groupVersion: apiVersionOf(k), version: k.version });
    byGroup.set(k.group, versions);
  }
  return [...byGroup].map(([name, versions]) => ({ name, versions, preferredVersion: versions[0]! }));
}

function resourceList(group: string, version: string): unknown {
  const resources: unknown[] = [];
  for (const k of RESOURCE_KINDS) {
    if (k.group !== group || k.version !== version) continue;
    resources.push({
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.verbs,
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
      ...(k.categories ? { categories: k.categories } : {}),
    });
    for (const sub of k.subresources) resources.push(subresourceEntry(k, sub));
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function subresourceEntry(k: ResourceKind, sub: Subresource): unknown {
  const base = { name: `${k.plural}/${sub}`, singularName: "", namespaced: k.namespaced };
  switch (sub) {
    case "status":
      return { ...base, kind: k.kind, verbs: ["get", "patch", "update"] };
    case "scale":
      return {
        ...base,
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
        verbs: ["get", "patch", "update"],
      };
    case "log":
      return { ...base, kind: k.kind, verbs: ["get"] };
    // kubectl drain looks for exactly this entry (group and version set) to decide it can evict.
    case "eviction":
      return { ...base, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] };
  }
}
