/**
 * apiVersion strings ("v1", "apps/v1", "stable.example.com/v1beta1"), checked against the
 * Kubernetes grammar (group: DNS-1123 subdomain; version: DNS-1123 label) before they are used
 * to build a discovery path.
 */
import { QueryInputError } from "../cache/query/index.js";

export interface GroupVersion {
  /** "" for the core group. */
  group: string;
  version: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseApiVersion(text: string): GroupVersion {
  const fail = (why: string): never => {
    throw new QueryInputError("apiVersion", `invalid apiVersion "${text}": ${why}`);
  };
  const parts = text.split("/");
  if (parts.length > 2) fail(`expected "<version>" (core) or "<group>/<version>"`);
  const [group, version] = parts.length === 2 ? [parts[0]!, parts[1]!] : ["", parts[0]!];
  if (parts.length === 2 && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) {
    fail(`the group must be a lower-case DNS subdomain such as "apps" or "example.com"`);
  }
  if (version.length > 63 || !DNS_LABEL.test(version)) {
    fail(`the version must be a lower-case DNS label such as "v1" or "v1beta1"`);
  }
  return { group, version };
}

export function formatApiVersion(gv: GroupVersion): string {
  return gv.group === "" ? gv.version : `${gv.group}/${gv.version}`;
}

/** The discovery document (and the prefix of every resource path) of a group version. */
export function groupVersionPath(gv: GroupVersion): string {
  if (gv.group === "") return `/api/${encodeURIComponent(gv.version)}`;
  return `/apis/${encodeURIComponent(gv.group)}/${encodeURIComponent(gv.version)}`;
}

/** Kinds are CamelCase identifiers; anything else cannot name a resource. */
export function checkKind(kind: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(kind)) {
    throw new QueryInputError(
      "kind",
      `invalid kind "${kind}": expected a CamelCase name such as "ConfigMap"`,
    );
  }
  return kind;
}
