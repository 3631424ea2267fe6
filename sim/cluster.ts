/**
 * One simulated Kubernetes cluster: a store, the default RBAC policy, controllers, authentication
 * and authorisation, fault switches, and the REST API served over HTTPS (or HTTP) on 127.0.0.1.
 *
 * It can also die like a real API server: `goDown` closes the listener and destroys every open
 * socket (clients see ECONNREFUSED for new connections and ECONNRESET on open ones), and
 * `comeBack` listens again on the same port, with the store's state intact.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { createApiServer, type ApiServer } from "./apiserver/index.js";
import type { ApiServerContext } from "./apiserver/context.js";
import { AuditLog } from "./apiserver/audit.js";
import type { StreamKind } from "./apiserver/open-streams.js";
import {
  bootstrapRbac,
  createAuthenticator,
  createRbacAuthorizer,
  createRulesReviewer,
  type Authenticator,
  type Authorizer,
} from "./auth/index.js";
import type { SimUser } from "./auth/user.js";
import { restartContainer, startControllers, type Controllers } from "./controllers/index.js";
import { CrashLoops } from "./controllers/crash-loop.js";
import { setNodeReady } from "./controllers/node-readiness.js";
import { FaultState } from "./faults/fault-state.js";
import { ClusterStore } from "./store/cluster-store.js";
import { generateClusterTls, renewServingCertificate, type ClusterTls } from "./tls.js";

export const SIM_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.4-sim" };

export type ClusterState = "stopped" | "up" | "down";

export interface SimClusterOptions {
  name: string;
  users: SimUser[];
  /** Plain HTTP instead of HTTPS. */
  http?: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Reuse certificates; otherwise `create` generates them. */
  tls?: ClusterTls;
  bookmarkIntervalMs?: number;
  podStartDelayMs?: number;
  historySize?: number;
  /** Run the CronJob controller (default false; see ControllerOptions.cronJobs). */
  cronJobs?: boolean;
  /** Labels of the cluster itself (kept for the fleet file and the admin endpoint). */
  labels?: Record<string, string>;
}

/**
 * Plain HTTP behaves like kube-apiserver's old insecure port: kubectl (client-go) never sends a
 * bearer token over http, so a request without credentials acts as "system:unsecured" in
 * system:masters. Requests with a token are authenticated as usual, and impersonation headers
 * work either way.
 */
function unsecuredPort(users: SimUser[], authorize: Authorizer): Authenticator {
  const unsecured: SimUser = {
    name: "system:unsecured",
    groups: ["system:masters"],
    token: randomBytes(24).toString("hex"),
  };
  const authenticate = createAuthenticator({ users: [...users, unsecured], authorize });
  return (headers) =>
    authenticate(
      headers.authorization === undefined
        ? { ...headers, authorization: `Bearer ${unsecured.token}` }
        : headers,
    );
}

function secureContextOf(tls: ClusterTls) {
  return { cert: tls.certPem, key: tls.keyPem, ca: tls.caPem };
}

export class SimCluster {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly store: ClusterStore;
  readonly faults = new FaultState();
  readonly controllers: Controllers;
  /** Pods crash-looping on request (the fault admin endpoint). */
  readonly crashLoops: CrashLoops;
  private currentTls: ClusterTls | undefined;
  /** The API server's audit log (off until a consumer such as the log store's feeder enables it). */
  readonly auditLog = new AuditLog();
  private readonly api: ApiServer;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private requestedPort: number;
  private boundPort = 0;
  private currentState: ClusterState = "stopped";

  /** Builds a cluster, generating its CA and serving certificate unless it is plain HTTP. */
  static async create(options: SimClusterOptions): Promise<SimCluster> {
    const tls = options.http ? undefined : (options.tls ?? (await generateClusterTls(options.name)));
    return new SimCluster({ ...options, ...(tls ? { tls } : {}) });
  }

  constructor(options: SimClusterOptions) {
    if (!options.http && !options.tls)
      throw new Error("an HTTPS cluster needs certificates: use SimCluster.create");
    this.name = options.name;
    this.labels = { ...options.labels };
    this.currentTls = options.http ? undefined : options.tls;
    this.requestedPort = options.port ?? 0;
    this.store = new ClusterStore({ clusterName: options.name, historySize: options.historySize ?? 5000 });
    bootstrapRbac(this.store);
    this.crashLoops = new CrashLoops(this.store);
    this.controllers = startControllers(this.store, {
      rootCaPem: this.tls?.caPem ?? "",
      ...(options.podStartDelayMs === undefined ? {} : { podStartDelayMs: options.podStartDelayMs }),
      ...(options.cronJobs ? { cronJobs: true } : {}),
    });
    const authorize = createRbacAuthorizer(this.store);
    const context: ApiServerContext = {
      clusterName: options.name,
      store: this.store,
      faults: this.faults,
      logs: this.controllers.logs,
      authenticate: options.http
        ? unsecuredPort(options.users, authorize)
        : createAuthenticator({ users: options.users, authorize }),
      authorize,
      version: SIM_VERSION,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      reviewRules: createRulesReviewer(this.store),
      auditLog: this.auditLog,
    };
    this.api = createApiServer(context);
    const handler = (req: IncomingMessage, res: ServerResponse) => this.api.handle(req, res);
    this.server = this.currentTls
      ? createHttpsServer(secureContextOf(this.currentTls), handler)
      : createHttpServer(handler);
    // Watches stay open for as long as the client wants; do not let Node time them out.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
    this.server.keepAliveTimeout = 65_000;
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  /** The CA and serving certificate the cluster serves (undefined over plain HTTP). */
  get tls(): ClusterTls | undefined {
    return this.currentTls;
  }

  /**
   * Certificate rotation, as an API server restarted with new certificates: a new serving
   * certificate signed by the same CA (clients keep trusting it), or with `newCa` a new CA too
   * (clients need the new CA, e.g. from an updated kubeconfig). Open connections are reset, so
   * every client handshakes again. Returns the certificates now served.
   */
  async rotateCertificate(newCa = false): Promise<ClusterTls> {
    const current = this.requireTls();
    this.currentTls = newCa ? await generateClusterTls(this.name) : await renewServingCertificate(current);
    this.serve(this.currentTls);
    return this.currentTls;
  }

  /**
   * A TLS failure: the server answers with a certificate from a CA nobody was given, so every
   * handshake fails verification until `rotateCertificate` serves a trusted one again.
   */
  async serveUntrustedCertificate(): Promise<void> {
    this.requireTls();
    this.serve(await generateClusterTls(`${this.name}-untrusted`));
  }

  private requireTls(): ClusterTls {
    if (!this.currentTls) throw new Error(`cluster ${this.name} serves plain HTTP: it has no certificate`);
    return this.currentTls;
  }

  private serve(tls: ClusterTls): void {
    (this.server as ReturnType<typeof createHttpsServer>).setSecureContext(secureContextOf(tls));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.api.closeAll();
  }

  get state(): ClusterState {
    return this.currentState;
  }

  /** The port the cluster listens on (kept while it is down). */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `${this.tls ? "https" : "http"}://127.0.0.1:${this.boundPort}`;
  }

  async start(): Promise<void> {
    if (this.currentState === "up") return;
    await this.listen(this.boundPort || this.requestedPort);
  }

  /** Shuts the cluster down for good: listener, sockets, streams and controllers. */
  async stop(): Promise<void> {
    await this.goDown();
    this.crashLoops.stopAll();
    this.controllers.stop();
    this.currentState = "stopped";
  }

  /** Dies like a crashed API server: no listener, every open connection reset. */
  async goDown(): Promise<void> {
    if (this.currentState !== "up") return;
    this.currentState = "down";
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    // The streams behind those sockets (watches, log follows) must stop feeding them.
    this.api.closeAll();
    await closed;
  }

  /** Listens again on the same port, with the state the store had. */
  async comeBack(): Promise<void> {
    if (this.currentState === "up") return;
    await this.listen(this.boundPort);
  }

  /** Cuts every open watch's connection (as a proxy or load balancer dropping it would); returns how many. */
  dropWatches(): number {
    return this.api.dropWatches();
  }

  /** Responses still streaming: open watches, or pod logs being served (followed ones stay open). */
  openStreams(kind: StreamKind): number {
    return this.api.openStreams(kind);
  }

  /** Resource requests this cluster's API server received so far, by verb. */
  requestsByVerb(): Record<string, number> {
    return this.api.requestsByVerb();
  }

  /** Compacts the store's history: watches and continue tokens from before now get 410 Expired. */
  expireHistory(): void {
    this.store.compact();
  }

  /** Sets the CPU load on an autoscaler's target to what `replicas` pods at its target would use. */
  setCpuDemand(namespace: string, autoscaler: string, replicas: number): void {
    this.controllers.setCpuDemand(namespace, autoscaler, replicas);
  }

  /** Restarts one container of a pod, as the kubelet does after a crash. */
  restartContainer(namespace: string, pod: string, container?: string): void {
    restartContainer(this.store, namespace, pod, container);
  }

  /** A node's kubelet stops (false) or resumes (true) posting ready status. */
  setNodeReady(node: string, ready: boolean): void {
    setNodeReady(this.store, node, ready);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once("error", onError);
      this.server.listen({ port, host: "127.0.0.1" }, () => {
        this.server.off("error", onError);
        const address = this.server.address();
        if (address && typeof address === "object") this.boundPort = address.port;
        this.currentState = "up";
        resolve();
      });
    });
  }
}
