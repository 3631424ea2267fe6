/** The kind-specific projections the caches keep: what the schema serves, nothing more. */
export interface ContainerView {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  state: "running" | "waiting" | "terminated" | "unknown";
  stateReason: string | undefined;
  startedAt: number | undefined;
}

export interface PodData {
  phase: string;
  nodeName: string | undefined;
  podIP: string | undefined;
  hostIP: string | undefined;
  restarts: number;
  ready: boolean;
  startTime: number | undefined;
  reason: string | undefined;
  containers: ContainerView[];
}

export interface Quantity {
  cpu: string | undefined;
  memory: string | undefined;
  pods: string | undefined;
}

export interface NodeData {
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  internalIP: string | undefined;
  kubeletVersion: string | undefined;
  osImage: string | undefined;
  architecture: string | undefined;
  capacity: Quantity;
  allocatable: Quantity;
}

export interface NamespaceData {
  phase: string;
}

export interface ServicePortView {
  name: string | undefined;
  port: number;
  targetPort: string | undefined;
  protocol: string;
  nodePort: number | undefined;
}

export interface ServiceData {
  type: string;
  clusterIP: string | undefined;
  ports: ServicePortView[];
  selector: Record<string, string> | undefined;
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string | undefined;
  message: string | undefined;
  lastTransitionTime: number | undefined;
}

export interface TemplateContainer {
  name: string;
  image: string;
}

export interface WorkloadData {
  desired: number;
  ready: number;
  available: number;
  updated: number;
  /** The pod selector as a label selector string ("" when none). */
  selector: string;
  generation: number;
  observedGeneration: number;
  conditions: ConditionView[];
  containers: TemplateContainer[];
  /** Jobs */
  succeeded?: number;
  failed?: number;
  active?: number;
  completionTime?: number | undefined;
  /** CronJobs */
  schedule?: string;
  suspend?: boolean;
  lastScheduleTime?: number | undefined;
}

export interface EventData {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  involvedKind: string;
  involvedName: string;
  involvedNamespace: string;
  involvedUid: string | undefined;
  source: string | undefined;
}
