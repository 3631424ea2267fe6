/**
 * A silence as the gateway tells it: one Alertmanager silence, of one cluster. In a backend that
 * holds several clusters' alerts (a cluster label is configured), a cluster's silences are those
 * with the equality matcher `<clusterLabel>="<cluster>"` — the one the gateway adds to every
 * silence it creates — so a silence made there for one cluster never mutes another's alerts.
 */
import type {
  AlertmanagerClient,
  AlertmanagerSilence,
  SilenceMatcher,
} from "../backends/alertmanager/client.js";
import type { ClusterLabel } from "./sources.js";

export type { SilenceMatcher } from "../backends/alertmanager/client.js";

/** PENDING: starts later; ACTIVE: mutes its alerts now; EXPIRED: ended (kept for Alertmanager's retention). */
export type SilenceState = "ACTIVE" | "PENDING" | "EXPIRED";

export interface Silence {
  readonly cluster: string;
  /** Alertmanager's id (a UUID). */
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  /** ISO 8601. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  /** Who made it: through the gateway, the caller's user name. */
  readonly createdBy: string;
  readonly comment: string;
  readonly state: SilenceState;
}

const STATES: Readonly<Record<string, SilenceState>> = {
  active: "ACTIVE",
  pending: "PENDING",
  expired: "EXPIRED",
};

/** The state Alertmanager reports; from the times when it says none it knows. */
export function silenceState(
  state: string,
  startsAt: string,
  endsAt: string,
  now = Date.now(),
): SilenceState {
  const told = STATES[state];
  if (told) return told;
  if (Date.parse(endsAt) <= now) return "EXPIRED";
  return Date.parse(startsAt) > now ? "PENDING" : "ACTIVE";
}

export function fromAlertmanagerSilence(cluster: string, s: AlertmanagerSilence): Silence {
  return {
    cluster,
    id: s.id,
    matchers: s.matchers,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    updatedAt: s.updatedAt || s.startsAt,
    createdBy: s.createdBy,
    comment: s.comment,
    state: silenceState(s.state, s.startsAt, s.endsAt),
  };
}

/** The matcher a shared backend's silence for `label.value` carries. */
export function clusterMatcher(label: ClusterLabel): SilenceMatcher {
  return { name: label.name, value: label.value, isRegex: false, isEqual: true };
}

/** Whether a silence of a backend is the cluster's: every one of its own, or pinned by the cluster label. */
export function silenceOfCluster(
  matchers: readonly SilenceMatcher[],
  label: ClusterLabel | undefined,
): boolean {
  if (label === undefined) return true;
  // Every matcher on the cluster label must name this cluster exactly: a silence that also names
  // another cluster (or matches the label by pattern or negation) is no one cluster's to show.
  const onLabel = matchers.filter((m) => m.name === label.name);
  return onLabel.length > 0 && onLabel.every((m) => m.value === label.value && !m.isRegex && m.isEqual);
}

/** One cluster's Alertmanager as silences use it (src/backends/alertmanager's client). */
export interface SilenceBackend {
  client: Pick<AlertmanagerClient, "silences" | "silence" | "createSilence" | "expireSilence">;
  /** Set when the backend holds several clusters' alerts, told apart by this label. */
  clusterLabel?: ClusterLabel;
}

/** Every cluster's Alertmanager, from the config in force. */
export interface SilenceSources {
  /** Undefined when the cluster has no Alertmanager configured. */
  forCluster(cluster: string): SilenceBackend | undefined;
}

export const NO_SILENCE_SOURCES: SilenceSources = Object.freeze({ forCluster: () => undefined });
