import type { CacheEntry } from "../../src/cache/entry.js";
import { parseQuantity, roundToNano } from "../../src/kube/quantity.js";
import { atOffset, type ContainerView, type PodData, type Quantities } from "../../src/kinds/index.js";
import type { ResourceList } from "../../schema/common.js";
import {
  ConditionStatus,
  knownOr,
  type ContainerState,
  PodPhase,
  Protocol,
  QosClass,
} from "../../schema/enums.js";
import type { Container, Pod } from "../../schema/pod.js";
import { date, EntryView, type Viewed } from "./entry-view.js";

export type PodView = Pod & Viewed<PodData>;

function quantity(text: string | undefined, parse: (q: number) => number): number | null {
  if (text === undefined) return null;
  try {
    return parse(parseQuantity(text));
  } catch {
    return null;
  }
}

export function resourceList(q: Quantities): ResourceList {
  return {
    cpu: q.cpu ?? null,
    memory: q.memory ?? null,
    cpuCores: quantity(q.cpu, roundToNano),
    memoryBytes: quantity(q.memory, Math.round),
  };
}

/** A container as served, with the pod it belongs to (for its metrics; not a schema field). */
export type ContainerOfPod = Container & { pod: CacheEntry<PodData> };

function container(c: ContainerView, pod: CacheEntry<PodData>): ContainerOfPod {
  const last = c.lastTermination;
  const created = pod.created;
  return {
    pod,
    name: c.spec.name,
    image: c.spec.image,
    ready: c.ready,
    restarts: c.restarts,
    state: c.state as ContainerState,
    stateReason: c.stateReason ?? null,
    startedAt: date(atOffset(created, c.startedAt)),
    requests: resourceList(c.spec.resources.requests),
    limits: resourceList(c.spec.resources.limits),
    ports: c.spec.ports.map((p) => ({
      name: p.name ?? null,
      containerPort: p.containerPort,
      protocol: knownOr(Protocol, p.protocol),
    })),
    lastTermination: last
      ? {
          exitCode: last.exitCode,
          reason: last.reason ?? null,
          startedAt: date(atOffset(created, last.startedAt)),
          finishedAt: date(atOffset(created, last.finishedAt)),
        }
      : null,
  };
}

class PodEntryView extends EntryView<PodData> implements PodView {
  readonly __typename = "Pod";

  get phase(): PodPhase {
    return knownOr(PodPhase, this.entry.data.phase);
  }
  get ready(): boolean {
    return this.entry.data.ready;
  }
  get restarts(): number {
    return this.entry.data.restarts;
  }
  get qosClass(): QosClass {
    return knownOr(QosClass, this.entry.data.shared.qosClass);
  }
  get nodeName(): string | null {
    return this.entry.data.nodeName ?? null;
  }
  get podIP(): string | null {
    return this.entry.data.podIP ?? null;
  }
  get hostIP(): string | null {
    return this.entry.data.hostIP ?? null;
  }
  get startTime(): Date | null {
    return date(atOffset(this.entry.created, this.entry.data.startTime));
  }
  get reason(): string | null {
    return this.entry.data.reason ?? null;
  }
  get conditions(): PodView["conditions"] {
    const { conditions, conditionTimes: times } = this.entry.data.shared;
    return conditions.map((c, i) => ({
      type: c.type,
      status: knownOr(ConditionStatus, c.status),
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastTransitionTime: date(atOffset(this.entry.created, times[i] ?? undefined)),
    }));
  }
  get containers(): ContainerOfPod[] {
    return this.entry.data.containers.map((c) => container(c, this.entry));
  }
}

export function podView(entry: CacheEntry<PodData>): PodView {
  return new PodEntryView(entry);
}
