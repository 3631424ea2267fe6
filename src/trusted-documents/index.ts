/** Trusted documents: the config's section -> the policy both transports admit requests by. */
import type { TrustedDocumentsSettings } from "../config/index.js";
import type { TrustedDocumentsPolicy } from "./admission.js";
import { loadManifests } from "./manifest.js";

export { admitDocument, documentIdOf } from "./admission.js";
export type {
  Admission,
  TrustedDocumentRefusal,
  TrustedDocumentsMode,
  TrustedDocumentsPolicy,
} from "./admission.js";
export {
  loadManifests,
  ManifestError,
  manifestDocuments,
  sha256Hex,
  TrustedDocumentStore,
} from "./manifest.js";

/** The policy of `settings` (manifests read now), or undefined when any operation may run. */
export function trustedDocumentsPolicy(
  settings: TrustedDocumentsSettings | undefined,
): TrustedDocumentsPolicy | undefined {
  if (settings === undefined || settings.mode === "off") return undefined;
  return { mode: settings.mode, store: loadManifests(settings.manifests) };
}
