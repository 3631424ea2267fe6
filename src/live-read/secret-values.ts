/**
 * Secret values (core v1 Secrets' data and stringData) leave the gateway only when the caller
 * asked for them and the member cluster itself authorised the caller's list: the call was
 * impersonated, so a 403 would have come back instead of the items. Everything else gets the
 * Secret with its values withheld.
 */
import type { ApiResource } from "../discovery/index.js";
import { isJsonObject, type JsonObject } from "../kube/object.js";

/** kubectl apply keeps the whole applied manifest here, values included. */
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const VALUE_FIELDS = ["data", "stringData"] as const;

export function isSecretResource(resource: ApiResource): boolean {
  return resource.group === "" && resource.kind === "Secret";
}

/**
 * The Secret with every value replaced by null: the keys stay (what kubectl describe shows, and
 * what a caller checks for), so "withheld" reads differently from "absent".
 */
export function withheldValues(secret: JsonObject): JsonObject {
  const out: JsonObject = { ...secret };
  for (const field of VALUE_FIELDS) {
    const values = secret[field];
    if (isJsonObject(values)) out[field] = nullValues(values);
  }
  const metadata = secret.metadata;
  if (isJsonObject(metadata) && isJsonObject(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    out.metadata = { ...metadata, annotations: { ...metadata.annotations, [LAST_APPLIED]: null } };
  }
  return out;
}

function nullValues(values: JsonObject): JsonObject {
  return Object.fromEntries(Object.keys(values).map((key) => [key, null]));
}
