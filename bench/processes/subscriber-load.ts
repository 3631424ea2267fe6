/** The subscribers' load process (bench/load/subscribers.ts), seen from the harness. */
import type {
  ReceivedSamples,
  SubscribeAnswer,
  SubscribeRequest,
  SubscriberStats,
} from "../load/subscribers-spec.js";
import { BenchHttpError, getJson } from "../http-client.js";
import { Child } from "./child.js";

export class SubscriberLoad {
  private constructor(
    readonly child: Child,
    private readonly base: string,
  ) {}

  static async start(): Promise<SubscriberLoad> {
    const child = new Child({
      name: "subscribers",
      script: "dist/bench/load/subscribers.js",
      nodeFlags: ["--max-old-space-size=2048"],
    });
    try {
      const line = await child.waitForLine(/^listening /, 30_000);
      return new SubscriberLoad(child, line.slice("listening ".length).trim());
    } catch (error) {
      await child.stop(2000);
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  subscribe(request: SubscribeRequest): Promise<SubscribeAnswer> {
    return this.post<SubscribeAnswer>("/subscribe", request);
  }

  /** Closes the newest `count` subscribers (all when left out). */
  close(count?: number): Promise<{ closed: number; open: number }> {
    return this.post("/close", count === undefined ? {} : { count });
  }

  stats(): Promise<SubscriberStats> {
    return getJson<SubscriberStats>(`${this.base}/stats`);
  }

  /** What arrived since the last call (the first call only starts a collection). */
  samples(): Promise<ReceivedSamples> {
    return getJson<ReceivedSamples>(`${this.base}/samples`);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const url = `${this.base}${path}`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // The answer comes once every subscriber is open: fetch waits up to 300 s for its headers,
      // so the scenario's deadlines stay below that.
      body: JSON.stringify(body),
    }).catch((error: unknown) => {
      throw this.child.failure(`${path}: ${(error as Error).message}`);
    });
    if (!res.ok) throw new BenchHttpError(url, `answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }
}
