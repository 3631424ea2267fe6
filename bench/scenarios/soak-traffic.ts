/**
 * The soak's clients: closed-loop readers of the dashboard's queries and a writer scaling one
 * Deployment per cluster in turn. Each answer's latency is kept, and each error is sorted into
 * expected (it names a cluster a fault was injected on, during the fault or its recovery) or not.
 */
import { DASHBOARD, PODS_QUERY, POD_SELECTOR } from "../queries.js";
import type { FaultInjector } from "./soak-faults.js";

const SCALE = `mutation Scale($id: ID!, $replicas: Int!) {
  workloadScale(input: { ids: [$id], replicas: $replicas }) {
    outcomes { cluster status error { code message } }
  }
}`;

const DEPLOYMENTS = `query Deployments($cluster: String!) {
  workloads(first: 1, filter: { clusters: [$cluster], kinds: [DEPLOYMENT] }, orderBy: { field: NAME, direction: ASC }) {
    nodes { id }
  }
}`;

interface GraphQLError {
  message: string;
  extensions?: { code?: string; cluster?: string };
}

interface Answer {
  data?: unknown;
  errors?: GraphQLError[];
}

export interface TrafficCounts {
  requests: number;
  mutations: number;
  /** Errors naming a cluster during (or just after) a fault injected on it. */
  expectedErrors: number;
  unexpectedErrors: number;
  /** The first few unexpected errors, for a person to read. */
  unexpectedSamples: string[];
  podsQueryMs: number[];
}

export class SoakTraffic {
  readonly counts: TrafficCounts = {
    requests: 0,
    mutations: 0,
    expectedErrors: 0,
    unexpectedErrors: 0,
    unexpectedSamples: [],
    podsQueryMs: [],
  };
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly faults: FaultInjector,
    private readonly clusters: readonly string[],
  ) {}

  stop(): void {
    this.stopped = true;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** A reader: pods-query three times for each dashboard, one request at a time, until stopped. */
  async read(): Promise<void> {
    for (let i = 0; !this.stopped; i++) {
      if (i % 4 === 3) {
        // The dashboard reads every cluster: an answer with no error about one says it is current.
        const answer = await this.post(DASHBOARD, {});
        if (answer?.data) {
          const named = new Set((answer.errors ?? []).map((e) => e.extensions?.cluster));
          for (const cluster of this.clusters)
            if (!named.has(cluster)) this.faults.clean(cluster, performance.now());
        }
      } else {
        const started = performance.now();
        const ok = await this.send(PODS_QUERY, { selector: POD_SELECTOR });
        if (ok) this.counts.podsQueryMs.push(performance.now() - started);
      }
    }
  }

  /** The writer: every `everyMs`, one cluster's first Deployment scaled between 2 and 3 replicas. */
  async write(clusters: string[], everyMs: number): Promise<void> {
    const ids = new Map<string, string>();
    for (let i = 0; !this.stopped; i++) {
      const cluster = clusters[i % clusters.length]!;
      let id = ids.get(cluster);
      if (id === undefined) {
        const answer = await this.post(DEPLOYMENTS, { cluster });
        const nodes = (answer?.data as { workloads?: { nodes: { id: string }[] } } | undefined)?.workloads
          ?.nodes;
        id = nodes?.[0]?.id;
        if (id !== undefined) ids.set(cluster, id);
      }
      if (id !== undefined) {
        const answer = await this.post(SCALE, { id, replicas: 2 + (i % 2) });
        this.counts.mutations++;
        const outcomes =
          (answer?.data as { workloadScale?: { outcomes: OutcomeRow[] } } | undefined)?.workloadScale
            ?.outcomes ?? [];
        for (const o of outcomes)
          if (o.error) this.classify(o.cluster, `${o.error.code}: ${o.error.message}`);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Sends one operation; true when it answered without any error. */
  private async send(query: string, variables: Record<string, unknown>): Promise<boolean> {
    const answer = await this.post(query, variables);
    return answer !== undefined && !answer.errors?.length;
  }

  private async post(query: string, variables: Record<string, unknown>): Promise<Answer | undefined> {
    this.counts.requests++;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { ...this.headers, "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      this.unexpected(`request failed: ${(error as Error).message}`);
      return undefined;
    }
    const text = await res.text();
    let answer: Answer;
    try {
      answer = JSON.parse(text) as Answer;
    } catch {
      this.unexpected(`HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
      return undefined;
    }
    if (res.status !== 200 || answer.data === undefined || answer.data === null)
      this.unexpected(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    for (const error of answer.errors ?? [])
      this.classify(error.extensions?.cluster, `${error.extensions?.code ?? "no code"}: ${error.message}`);
    return answer;
  }

  private classify(cluster: string | undefined, what: string): void {
    if (this.faults.explains(cluster, performance.now())) this.counts.expectedErrors++;
    else
      this.unexpected(
        `${cluster ?? "(no cluster)"} ${what} (${this.faults.context(cluster, performance.now())})`,
      );
  }

  private unexpected(what: string): void {
    this.counts.unexpectedErrors++;
    if (this.counts.unexpectedSamples.length < 10) this.counts.unexpectedSamples.push(what);
  }
}

interface OutcomeRow {
  cluster: string;
  status: string;
  error: { code: string; message: string } | null;
}
