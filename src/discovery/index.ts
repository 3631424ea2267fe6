/** Per-cluster API discovery: which group versions and kinds each cluster serves. */
export {
  checkKind,
  formatApiVersion,
  groupVersionPath,
  parseApiVersion,
  type GroupVersion,
} from "./api-version.js";
export { FleetDiscovery, type ApiResource, type FleetDiscoveryOptions } from "./fleet-discovery.js";
