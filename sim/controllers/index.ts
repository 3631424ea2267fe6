/**
 * The controllers of one simulated cluster — what kube-controller-manager, kube-scheduler and the
 * kubelets would do — wired to the cluster's store. They react to store changes through work
 * queues and write back only through the store, so every change they make reaches watchers
 * exactly as a real cluster's would.
 */
import type { PodLogSource } from "../apiserver/context.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { startAutoscaler } from "./autoscaler.js";
import { ControlLoop } from "./control-loop.js";
import { startCronJobController } from "./cronjob.js";
import { rfc3339, type ChangeHandler, type ControllerContext } from "./context.js";
import { startDaemonSetController } from "./daemonset.js";
import { startDeploymentController } from "./deployment.js";
import { startDisruptionController } from "./disruption.js";
import { EventRecorder } from "./events.js";
import { startGarbageCollector } from "./garbage-collector.js";
import { startIngressStatus } from "./ingress-status.js";
import { startJobController } from "./job.js";
import { startKubelet } from "./kubelet.js";
import { startNamespaceController } from "./namespace.js";
import { startNodeLifecycle } from "./node-lifecycle.js";
import { startRootCaPublisher, startServiceAccountController } from "./namespace-defaults.js";
import { PodLogs } from "./pod-logs.js";
import { PodPlacement } from "./placement.js";
import { startReplicaSetController } from "./replicaset.js";
import { startResourceQuotaController } from "./resource-quota.js";
import { PODS } from "./resources.js";
import { startScheduler } from "./scheduler.js";
import { startStatefulSetController } from "./statefulset.js";
import { startVolumeBinder } from "./volume-binder.js";
import { startVolumeProtection } from "./volume-protection.js";

export { namespaceDefaults } from "./namespace.js";
export { restartContainer } from "./restart.js";
export { EventRecorder, recorderFor, type EventRecord, type EventType } from "./events.js";
export { PodLogs } from "./pod-logs.js";
export { templateHash } from "./template-hash.js";

export interface ControllerOptions {
  /** Pending -> Running delay for pods created at run time (default 300). */
  podStartDelayMs?: number;
  /** Cap on core Events per cluster, oldest deleted first (default 1000). */
  maxEvents?: number;
  /** The cluster CA, published in every namespace as ConfigMap kube-root-ca.crt (default ""). */
  rootCaPem?: string;
  /**
   * Run the CronJob controller (default false): generated fleets hold CronJobs whose Jobs would
   * appear whenever a test crosses their schedule, so fleets that count Jobs or pods opt in.
   */
  cronJobs?: boolean;
  now?: () => Date;
}

export interface Controllers {
  logs: PodLogSource;
  /** Sets the CPU load on an autoscaler's target to what `replicas` pods at its target would use. */
  setCpuDemand(namespace: string, autoscaler: string, replicas: number): void;
  /** Synchronously processes all queued work, pending pod starts included, as if time had passed. */
  runUntilIdle(): void;
  /** Cancels timers, listeners and open log streams. */
  stop(): void;
}

export function startControllers(store: ClusterStore, options: ControllerOptions = {}): Controllers {
  const now = options.now ?? (() => new Date());
  const loop = new ControlLoop();
  const events = new EventRecorder(store, { maxEvents: options.maxEvents ?? 1000, now });
  const placement = new PodPlacement();
  placement.seed(store.all(PODS));
  const ctx: ControllerContext = {
    store,
    loop,
    events,
    placement,
    now,
    timestamp: () => rfc3339(now()),
    podStartDelayMs: options.podStartDelayMs ?? 300,
  };
  // Bootstrap creates thousands of events; buffering keeps only the newest maxEvents of them.
  loop.onIdleRun(
    () => events.startBuffering(),
    () => events.flush(),
  );
  events.register();
  const autoscaling = startAutoscaler(ctx);
  const cronJobs = options.cronJobs ? startCronJobController(ctx) : undefined;
  // Order matters only for the indexes: they must see a change before any handler queues work.
  const handlers: ChangeHandler[] = [
    (change) => placement.observe(change),
    (change) => events.observe(change),
    startNamespaceController(ctx),
    startNodeLifecycle(ctx),
    startServiceAccountController(ctx),
    startRootCaPublisher(ctx, options.rootCaPem ?? ""),
    startGarbageCollector(ctx),
    startDeploymentController(ctx),
    startReplicaSetController(ctx),
    startStatefulSetController(ctx),
    startDaemonSetController(ctx),
    startJobController(ctx),
    ...(cronJobs ? [cronJobs.handler] : []),
    startDisruptionController(ctx),
    startVolumeBinder(ctx),
    startVolumeProtection(ctx),
    autoscaling.handler,
    startResourceQuotaController(ctx),
    startIngressStatus(ctx),
    startScheduler(ctx),
    startKubelet(ctx),
  ];
  const unsubscribe = store.onChange((change) => {
    for (const handler of handlers) handler(change);
  });
  const logs = new PodLogs(store, { now });
  return {
    logs,
    setCpuDemand: (namespace, autoscaler, replicas) =>
      autoscaling.setCpuDemand(namespace, autoscaler, replicas),
    runUntilIdle: () => loop.runUntilIdle(),
    stop: () => {
      unsubscribe();
      cronJobs?.stop();
      loop.stop();
      logs.stop();
      events.unregister();
    },
  };
}
