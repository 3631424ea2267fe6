import type { CacheEntry } from "../../src/cache/entry.js";
import type { ServiceData } from "../../src/kinds/index.js";
import { knownOr, Protocol, ServiceType } from "../../schema/enums.js";
import type { Service } from "../../schema/service.js";
import { EntryView, type Viewed } from "./entry-view.js";
import { mapSelectorText, selectorView } from "./selector.js";

export type ServiceView = Service & Viewed<ServiceData>;

class ServiceEntryView extends EntryView<ServiceData> implements ServiceView {
  readonly __typename = "Service";

  get type(): ServiceType {
    return knownOr(ServiceType, this.entry.data.type);
  }
  get clusterIP(): string | null {
    return this.entry.data.clusterIP ?? null;
  }
  get externalIPs(): string[] {
    return this.entry.data.externalIPs;
  }
  get ports(): ServiceView["ports"] {
    return this.entry.data.ports.map((p) => ({
      name: p.name ?? null,
      port: p.port,
      targetPort: p.targetPort ?? null,
      protocol: knownOr(Protocol, p.protocol),
      nodePort: p.nodePort ?? null,
    }));
  }
  get selector(): ServiceView["selector"] {
    const selector = this.entry.data.selector;
    return selector && Object.keys(selector).length > 0 ? selectorView(mapSelectorText(selector)) : null;
  }
}

export function serviceView(entry: CacheEntry<ServiceData>): ServiceView {
  return new ServiceEntryView(entry);
}
