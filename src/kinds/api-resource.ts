/** A cached kind in the API server's authorisation vocabulary: API group and plural resource. */
import { pathOf } from "./index.js";

export interface ApiResource {
  /** "" for the core group. */
  group: string;
  resource: string;
}

export function apiResourceOf(kind: string): ApiResource {
  const path = pathOf(kind);
  const group = path.prefix.startsWith("/apis/") ? (path.prefix.split("/")[2] ?? "") : "";
  return { group, resource: path.plural };
}
