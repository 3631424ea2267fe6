/**
 * A notification channel: where a workspace's alerts are sent (a generic webhook, a
 * Slack-compatible incoming webhook, e-mail through SMTP), or the fleet's cluster-level alerts
 * when it belongs to no workspace. Its secrets (URLs, the SMTP password) are stored, never shown:
 * `channelInfo` is what answers carry.
 */

export type ChannelKind = "webhook" | "slack" | "email";

export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  username?: string;
  password?: string;
}

export type ChannelTarget =
  | { kind: "webhook"; url: string }
  | { kind: "slack"; url: string }
  | { kind: "email"; smtp: SmtpServer; from: string; to: readonly string[] };

/**
 * A target sealed with a key this gateway lacks, or altered (channel-seal.ts): the channel is
 * listed but cannot deliver until the key is given or the target is set anew.
 */
export interface UnreadableTarget {
  kind: ChannelKind;
  /** Stored in plain beside the sealed target: a URL's scheme and host, or smtp://host:port. */
  endpoint: string;
  /** Written back as it was when the channel is otherwise changed. */
  sealed: string;
  /** Why it cannot be opened, naming the option to set. */
  unreadable: string;
}

export const isUnreadable = (t: ChannelTarget | UnreadableTarget): t is UnreadableTarget => "unreadable" in t;

export interface StoredChannel {
  id: string;
  name: string;
  /** Null: a fleet channel, for alerts of no namespace (cluster-level). */
  workspace: string | null;
  enabled: boolean;
  target: ChannelTarget | UnreadableTarget;
  createdBy: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** A channel whose target is open: what senders get. */
export type DeliverableChannel = Omit<StoredChannel, "target"> & { target: ChannelTarget };

/** A channel as answers show it: where it sends, without what would let anyone else send there. */
export interface ChannelInfo {
  id: string;
  name: string;
  workspace: string | null;
  enabled: boolean;
  kind: ChannelKind;
  /** A webhook's scheme and host only: the path of a Slack URL is its secret. */
  endpoint: string;
  /** Why it cannot deliver: its target is sealed with a key this gateway lacks, or was altered. */
  unreadable?: string;
  email?: { from: string; to: readonly string[]; smtpHost: string; smtpPort: number; username?: string };
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export function channelInfo(c: StoredChannel): ChannelInfo {
  const t = c.target;
  return {
    id: c.id,
    name: c.name,
    workspace: c.workspace,
    enabled: c.enabled,
    kind: t.kind,
    endpoint: channelEndpoint(t),
    ...(isUnreadable(t) ? { unreadable: t.unreadable } : {}),
    ...(!isUnreadable(t) && t.kind === "email"
      ? {
          email: {
            from: t.from,
            to: t.to,
            smtpHost: t.smtp.host,
            smtpPort: t.smtp.port,
            ...(t.smtp.username !== undefined ? { username: t.smtp.username } : {}),
          },
        }
      : {}),
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Where a channel sends, for logs and delivery records: never its secret path or password. */
export function channelEndpoint(target: ChannelTarget | UnreadableTarget): string {
  if (isUnreadable(target)) return target.endpoint;
  return target.kind === "email"
    ? `smtp://${target.smtp.host}:${target.smtp.port}`
    : new URL(target.url).origin;
}
