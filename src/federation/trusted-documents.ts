/**
 * Trusted documents meet a router (docs/federation.md): a router sends the text of operations it
 * plans itself (its `_entities` fetches among them), never a registered document's id, so
 * `required` refuses every one of them, and `allowList` runs only those registered verbatim.
 */
import type { TrustedDocumentsPolicy } from "../trusted-documents/index.js";

/** The warning a subgraph-mode start logs for `policy`, or undefined when a router can be served. */
export function subgraphTrustedDocumentsWarning(
  policy: TrustedDocumentsPolicy | undefined,
): string | undefined {
  if (policy === undefined) return undefined;
  if (policy.mode === "required")
    return (
      "trustedDocuments.mode is required in subgraph mode: a router sends its query plans' text, not " +
      "registered ids, so every request through the router is refused. Register clients' operations " +
      "at the router and set trustedDocuments.mode to off (or allowList with the router's plans), " +
      "with Fleetgraph reachable only by the router (docs/federation.md)"
    );
  if (![...policy.store.bodies()].some((body) => /\b_entities\b/.test(body)))
    return (
      "trustedDocuments.mode is allowList in subgraph mode and no registered document asks for " +
      "_entities: the router's entity fetches will be refused. Register the router's plans or set " +
      "trustedDocuments.mode to off behind the router (docs/federation.md)"
    );
  return undefined;
}
