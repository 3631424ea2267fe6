/**
 * A request's silence reads (`silences`, `Alert.silences`): each Alertmanager asked once per
 * request however many clusters it serves (shared-reads.ts), a shared one's silences split among
 * them by their cluster label's matcher (silence.ts), each silence
 * shown only to whoever could read the alerts it may mute (silence-access.ts), then filtered,
 * ordered (newest first) and paged with keyset cursors. A failed Alertmanager is the cluster's
 * ALERTMANAGER_* outcome, never a failed request.
 */
import type { Scope } from "../cache/scope.js";
import { QueryInputError } from "../cache/query/errors.js";
import type { ClusterOutcomes, PageOutcome } from "../query-service/outcomes.js";
import type { ReadServices } from "../query-service/read-services.js";
import { reportSourceFailure } from "./alert-reads.js";
import { sharedSilenceReads, type SilenceReadSources } from "./shared-reads.js";
import { maySeeSilence } from "./silence-access.js";
import {
  fromAlertmanagerSilence,
  silenceOfCluster,
  type Silence,
  type SilenceSources,
  type SilenceState,
} from "./silence.js";

export interface SilenceFilterInput {
  clusters?: string[] | null;
  /** Default: every state. */
  states?: SilenceState[] | null;
}

export interface SilencePage {
  items: { silence: Silence; cursor: string }[];
  totalCount: number;
  hasNextPage: boolean;
  outcomes: PageOutcome[];
}

export interface SilenceReadsDeps {
  services: Pick<ReadServices, "clusters">;
  scope: Scope;
  outcomes: ClusterOutcomes;
  sources: SilenceSources;
}

export const DEFAULT_SILENCE_PAGE = 50;
export const MAX_SILENCE_PAGE = 500;

type Key = readonly [number, string, string];

/** Newest first; then cluster and id, so the order is total. */
const keyOf = (s: Silence): Key => [-Date.parse(s.startsAt) || 0, s.cluster, s.id];

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

const cursorOf = (s: Silence): string => Buffer.from(JSON.stringify({ s: keyOf(s) })).toString("base64url");

function keyOfCursor(cursor: string): Key {
  let parsed: { s?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof parsed;
  } catch {
    parsed = {};
  }
  const key = parsed.s;
  if (
    !Array.isArray(key) ||
    key.length !== 3 ||
    typeof key[0] !== "number" ||
    typeof key[1] !== "string" ||
    typeof key[2] !== "string"
  )
    throw new QueryInputError(
      "after",
      "after is not a cursor of a silence list; pass an endCursor it returned",
    );
  return key as unknown as Key;
}

export class SilenceReads {
  private readonly read = new Map<string, Promise<Silence[]>>();
  private readonly answered = new Set<string>();

  /** An Alertmanager shared by several clusters is read once per request, not once per cluster. */
  private readonly sources: SilenceReadSources;

  constructor(private readonly deps: SilenceReadsDeps) {
    this.sources = sharedSilenceReads(deps.sources);
  }

  /** The silences of the fleet the caller may see, filtered, newest first, paged. */
  async list(
    filter: SilenceFilterInput,
    page: { first?: number | null; after?: string | null },
  ): Promise<SilencePage> {
    const first = page.first ?? DEFAULT_SILENCE_PAGE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_SILENCE_PAGE)
      throw new QueryInputError("first", `first must be between 0 and ${MAX_SILENCE_PAGE}, not ${first}`);
    const after = page.after ? keyOfCursor(page.after) : undefined;
    const { services, scope } = this.deps;
    const clusters = services.clusters.select({ clusters: filter.clusters ?? null }, scope);
    const states = filter.states ? new Set(filter.states) : undefined;
    const all = (await Promise.all(clusters.map((c) => this.clusterSilences(c))))
      .flat()
      .filter((s) => states === undefined || states.has(s.state))
      .map((silence) => ({ silence, key: keyOf(silence) }))
      .sort((a, b) => compareKeys(a.key, b.key));
    const rest = after ? all.filter((s) => compareKeys(s.key, after) > 0) : all;
    return {
      items: rest.slice(0, first).map(({ silence }) => ({ silence, cursor: cursorOf(silence) })),
      totalCount: all.length,
      hasNextPage: rest.length > first,
      outcomes: this.pageOutcomes(clusters),
    };
  }

  /** The silences of these ids on `cluster` the caller may see (an alert's silencedBy). */
  async byIds(cluster: string, ids: readonly string[]): Promise<Silence[]> {
    if (ids.length === 0 || !this.deps.scope.allowsCluster(cluster)) return [];
    const wanted = new Set(ids);
    return (await this.clusterSilences(cluster)).filter((s) => wanted.has(s.id));
  }

  /** A cluster's silences the caller may see, read once per request. */
  private clusterSilences(cluster: string): Promise<Silence[]> {
    let silences = this.read.get(cluster);
    if (!silences) {
      const backend = this.sources.forCluster(cluster);
      const label = backend?.clusterLabel;
      silences = !backend
        ? Promise.resolve([])
        : backend.client
            // Every silence, the same question for each cluster of a shared Alertmanager, so it is
            // asked once (its filter takes one matcher per question, not one per cluster); each
            // cluster keeps those its label's matcher pins.
            .silences([])
            .then(
              (found) => {
                this.answered.add(cluster);
                return found
                  .filter(
                    (s) =>
                      silenceOfCluster(s.matchers, label) &&
                      maySeeSilence(this.deps.scope, cluster, s.matchers),
                  )
                  .map((s) => fromAlertmanagerSilence(cluster, s));
              },
              (error: unknown) => {
                reportSourceFailure(this.deps.outcomes, cluster, { source: "ALERTMANAGER", error });
                return [] as Silence[];
              },
            );
      this.read.set(cluster, silences);
    }
    return silences;
  }

  private pageOutcomes(clusters: readonly string[]): PageOutcome[] {
    const { outcomes } = this.deps;
    return clusters.map((cluster) => {
      const error = outcomes.errorFor(cluster, "ALERTMANAGER") ?? null;
      if (error === null && !this.answered.has(cluster))
        outcomes.warn({
          code: "NO_ALERT_SOURCE",
          message: `cluster "${cluster}" has no Alertmanager configured: it has no silences to show`,
          cluster,
        });
      return {
        cluster,
        synced: error === null && this.answered.has(cluster),
        staleSince: null,
        resourceVersion: "",
        source: "ALERTMANAGER",
        error,
      };
    });
  }
}
