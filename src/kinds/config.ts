/**
 * ConfigMaps, Secrets and ServiceAccounts: metadata and key names only. A Secret's values (and a
 * ConfigMap's) are never projected, so they never reach the cache, a log or an answer.
 */
import type { CacheEntry } from "../cache/entry.js";
import { intern, internShape } from "../cache/intern.js";
import { arr, obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, oneOf, type KindDescriptor } from "./descriptor.js";

export interface ConfigMapData {
  /** The keys of data and binaryData, sorted. */
  keys: readonly string[];
  immutable: boolean;
}

export interface SecretData {
  type: string;
  /** The keys of data (and stringData), sorted: never the values. */
  keys: readonly string[];
  immutable: boolean;
}

export interface ServiceAccountData {
  /** How many token Secrets it lists (secrets[]). */
  secrets: number;
  /** Names of its image pull secrets. */
  imagePullSecrets: readonly string[];
  /** automountServiceAccountToken; undefined when not set (the default: mounted). */
  automountToken: boolean | undefined;
}

export interface SecretListFilter {
  types?: string[] | null;
}

const keysOf = (...maps: unknown[]): readonly string[] =>
  internShape([...new Set(maps.flatMap((m) => Object.keys(obj(m))))].sort().map(intern));

export const CONFIG_MAP: KindDescriptor<ConfigMapData, object> = {
  kind: "ConfigMap",
  graphqlType: "ConfigMap",
  list: "ConfigMap",
  path: corePath("configmaps"),
  project: (o: KubeObject) => ({ keys: keysOf(o.data, o.binaryData), immutable: o.immutable === true }),
};

export const SECRET: KindDescriptor<SecretData, SecretListFilter> = {
  kind: "Secret",
  graphqlType: "Secret",
  list: "Secret",
  path: corePath("secrets"),
  project: (o: KubeObject) => ({
    type: intern(str(o.type) ?? "Opaque"),
    keys: keysOf(o.data, o.stringData),
    immutable: o.immutable === true,
  }),
  predicate: (filter) => allOf([oneOf(filter.types, (e: CacheEntry) => (e.data as SecretData).type)]),
};

export const SERVICE_ACCOUNT: KindDescriptor<ServiceAccountData, object> = {
  kind: "ServiceAccount",
  graphqlType: "ServiceAccount",
  list: "ServiceAccount",
  path: corePath("serviceaccounts"),
  project: (o: KubeObject) => ({
    secrets: arr(o.secrets).length,
    imagePullSecrets: internShape(
      arr(o.imagePullSecrets)
        .map((s) => str(obj(s).name))
        .filter((n): n is string => n !== undefined),
    ),
    automountToken:
      typeof o.automountServiceAccountToken === "boolean" ? o.automountServiceAccountToken : undefined,
  }),
};
