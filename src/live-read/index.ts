/**
 * Reads that go to the API servers at request time instead of the watch caches: the STRONG
 * consistency lists and the generic resources path (any kind, custom resources included).
 */
import type { ResourceReads } from "./resource-reads.js";

export { ApiServerReader, type ApiServerReaderOptions } from "./api-server-reader.js";
export type { LiveFleet } from "./list-streams.js";
export { streamOrderFor, type StreamOrder } from "./stream-order.js";
export { ResourceReads, type ResourceListRequest, type ResourcePage } from "./resource-reads.js";

/**
 * What the resources queries need in the request context beside the read services. The
 * composition root adds it: `{ ...createRequestContext(services, subject, scope), resources }`.
 */
export interface ResourceContext {
  resources?: ResourceReads;
}
