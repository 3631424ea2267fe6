/**
 * Plain @kubernetes/client-node clients for every context of a kubeconfig, as a pass-through
 * design would hold them: one KubeConfig per cluster (credentials are cached by user name, and a
 * shared KubeConfig must never switch contexts under concurrent calls).
 */
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";

export interface ClusterClients {
  name: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  /** client-node's watch over the same credentials (one request per call). */
  watch: Watch;
}

export function fleetClients(kubeconfigPath: string): ClusterClients[] {
  const all = new KubeConfig();
  all.loadFromFile(kubeconfigPath);
  return all.getContexts().map((context) => {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    config.setCurrentContext(context.name);
    return {
      name: context.cluster,
      core: config.makeApiClient(CoreV1Api),
      apps: config.makeApiClient(AppsV1Api),
      batch: config.makeApiClient(BatchV1Api),
      watch: new Watch(config),
    };
  });
}
