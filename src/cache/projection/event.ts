import type { KubeObject } from "../../kube/object.js";
import { intern } from "../intern.js";
import { obj, str, time } from "./json.js";
import type { EventData } from "./types.js";

export function eventData(o: KubeObject): EventData {
  const involved = obj(o.involvedObject);
  const source = obj(o.source);
  return {
    type: intern(str(o.type) ?? "Normal"),
    reason: intern(str(o.reason) ?? ""),
    message: str(o.message) ?? "",
    count: typeof o.count === "number" ? o.count : 1,
    firstTimestamp: time(o.firstTimestamp ?? o.eventTime),
    lastTimestamp: time(o.lastTimestamp ?? o.eventTime),
    involvedKind: intern(str(involved.kind) ?? ""),
    involvedName: str(involved.name) ?? "",
    involvedNamespace: intern(str(involved.namespace) ?? ""),
    involvedUid: str(involved.uid),
    source: str(source.component) ?? str(o.reportingComponent),
  };
}
