/**
 * Notification channels (where a workspace's alerts are sent) and their delivery records, in the
 * tenancy mutations' shape (input objects, payloads with `userErrors`). Secrets — a webhook's
 * URL, an SMTP password — are written, never read back. Resolvers in resolvers/notifications.ts.
 */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Label } from "./label.js";
import { DateTime } from "./scalars.js";
import { UserError } from "./tenancy.js";

export enum NotificationChannelKind {
  WEBHOOK = "webhook",
  SLACK = "slack",
  EMAIL = "email",
}
registerEnumType(NotificationChannelKind, {
  name: "NotificationChannelKind",
  description: "How a channel sends.",
  valuesConfig: {
    WEBHOOK: {
      description: "A JSON POST per alert, with an Idempotency-Key header (docs/notifications.md).",
    },
    SLACK: { description: "A Slack-compatible incoming webhook: {text, blocks}." },
    EMAIL: { description: "E-mail through an SMTP server." },
  },
});

export enum NotificationDeliveryState {
  PENDING = "pending",
  DELIVERED = "delivered",
  FAILED = "failed",
}
registerEnumType(NotificationDeliveryState, {
  name: "NotificationDeliveryState",
  description: "Where a delivery stands.",
  valuesConfig: {
    PENDING: { description: "Not delivered yet: attempted again at nextAttemptAt." },
    DELIVERED: { description: "The receiver accepted it." },
    FAILED: { description: "Given up: attempts exhausted, refused by the receiver, or the channel gone." },
  },
});

export enum PushedAlertStatus {
  FIRING = "firing",
  RESOLVED = "resolved",
}
registerEnumType(PushedAlertStatus, {
  name: "PushedAlertStatus",
  description: "An alert's status as Alertmanager pushed it.",
  valuesConfig: {
    FIRING: { description: "Active when pushed." },
    RESOLVED: { description: "Ended when pushed (sent with `send_resolved`)." },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: "An e-mail channel's settings (its password never shown).",
})
export class EmailChannelSettings {
  @Field({ description: "The sender address." })
  from!: string;

  @Field(() => [String], { description: "The recipients." })
  to!: string[];

  @Field({ description: "The SMTP server's host." })
  smtpHost!: string;

  @Field(() => Int, { description: "The SMTP server's port." })
  smtpPort!: number;

  @Field(() => String, { nullable: true, description: "The SMTP user; null: no authentication." })
  username!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "Where alerts of a workspace (or, with no workspace, the fleet's cluster-level alerts) are sent.",
})
export class NotificationChannel {
  @Field(() => ID, { description: "Its id." })
  id!: string;

  @Field({ description: "Its name, for people." })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "The workspace whose alerts it receives; null: a fleet channel (alerts of no workspace).",
  })
  workspace!: string | null;

  @Field({ description: "False: it receives nothing." })
  enabled!: boolean;

  @Field(() => NotificationChannelKind, { description: "How it sends." })
  kind!: NotificationChannelKind;

  @Field({
    description:
      "Where it sends: a URL's scheme and host only (its path may be its secret), or smtp://host:port.",
  })
  endpoint!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Why it cannot deliver: its URL or mail settings are sealed with a key this gateway lacks " +
      "(notifications.secretsKey) or were altered; null: deliverable. Give them anew, or the key.",
  })
  unreadable?: string;

  @Field(() => EmailChannelSettings, { nullable: true, description: "An e-mail channel's settings." })
  email!: EmailChannelSettings | null;

  @Field({ description: "Who created it." })
  createdBy!: string;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt!: Date;

  @Field(() => DateTime, { description: "When it was last changed." })
  updatedAt!: Date;
}

@InputType({ description: "An e-mail channel's settings." })
export class EmailChannelInput {
  @Field({ description: "The sender address." })
  from!: string;

  @Field(() => [String], { description: "1 to 50 recipients." })
  to!: string[];

  @Field({ description: "The SMTP server's host." })
  smtpHost!: string;

  @Field(() => Int, { description: "The SMTP server's port (465: TLS from the first byte)." })
  smtpPort!: number;

  @Field(() => Boolean, { nullable: true, description: "TLS from the first byte; default: port 465 only." })
  secure?: boolean | null;

  @Field(() => String, { nullable: true, description: "The SMTP user, with password." })
  username?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The SMTP password (never shown again); omitted on update: the stored one is kept.",
  })
  password?: string | null;
}

@InputType({ description: "A new notification channel." })
export class NotificationChannelCreateInput {
  @Field(() => String, {
    nullable: true,
    description:
      "The workspace whose alerts it receives (you must be its admin); null: a fleet channel (platform admins).",
  })
  workspace?: string | null;

  @Field(() => NotificationChannelKind, { description: "How it sends." })
  kind!: NotificationChannelKind;

  @Field({ description: "A name for people (1 to 100 characters)." })
  name!: string;

  @Field(() => Boolean, { nullable: true, description: "Default true." })
  enabled?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: "WEBHOOK and SLACK: the http(s) URL to POST to (no credentials in it; never shown again).",
  })
  url?: string | null;

  @Field(() => EmailChannelInput, { nullable: true, description: "EMAIL: the mail settings." })
  email?: EmailChannelInput | null;
}

@InputType({ description: "Changes to a notification channel; omitted fields are kept." })
export class NotificationChannelUpdateInput {
  @Field(() => ID, { description: "The channel's id." })
  id!: string;

  @Field(() => String, { nullable: true, description: "A new name." })
  name?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Turn it on or off." })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: "WEBHOOK and SLACK: a new URL." })
  url?: string | null;

  @Field(() => EmailChannelInput, { nullable: true, description: "EMAIL: new mail settings." })
  email?: EmailChannelInput | null;
}

@InputType({ description: "The notification channel to delete." })
export class NotificationChannelDeleteInput {
  @Field(() => ID, { description: "The channel's id." })
  id!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: "The result of notificationChannelCreate or notificationChannelUpdate.",
})
export class NotificationChannelPayload {
  @Field(() => NotificationChannel, { nullable: true, description: "The channel; null when refused." })
  channel!: NotificationChannel | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ simpleResolvers: true, description: "The result of notificationChannelDelete." })
export class NotificationChannelDeletePayload {
  @Field(() => ID, { nullable: true, description: "The deleted channel's id; null when refused." })
  deletedChannelId!: string | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ simpleResolvers: true, description: "An alert as Alertmanager pushed it to the gateway." })
export class PushedAlert {
  @Field({ description: "The cluster it came from." })
  cluster!: string;

  @Field({ description: "Its `alertname` label." })
  name!: string;

  @Field(() => PushedAlertStatus, { description: "Firing or resolved, when pushed." })
  status!: PushedAlertStatus;

  @Field({ description: "Alertmanager's fingerprint of its labels." })
  fingerprint!: string;

  @Field(() => [Label], { description: "Its labels." })
  labels!: Label[];

  @Field(() => [Label], { description: "Its annotations (summary, description, ...)." })
  annotations!: Label[];

  @Field(() => DateTime, { description: "When it started firing." })
  startsAt!: Date;

  @Field(() => DateTime, { nullable: true, description: "When it ended; null while firing." })
  endsAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: "One alert's delivery to a channel, and its attempts." })
export class NotificationDelivery {
  @Field(() => ID, {
    description: "Its stable id: the receiver's Idempotency-Key (an e-mail's Message-ID).",
  })
  id!: string;

  @Field(() => PushedAlert, { description: "The alert delivered." })
  alert!: PushedAlert;

  @Field(() => NotificationDeliveryState, { description: "Where it stands." })
  state!: NotificationDeliveryState;

  @Field(() => Int, { description: "Attempts made so far." })
  attempts!: number;

  @Field(() => String, {
    nullable: true,
    description: "Why the last attempt failed (the receiver's host, never its URL).",
  })
  lastError!: string | null;

  @Field(() => DateTime, { description: "When it was queued." })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: "When it was last attempted." })
  lastAttemptAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When it is attempted next; null unless PENDING." })
  nextAttemptAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When the receiver accepted it." })
  deliveredAt!: Date | null;
}
