/** The notification channels' mutations and queries: thin; src/notifications decides and audits. */
import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../src/request/context.js";
import type {
  ChannelCaller,
  ChannelInfo,
  DeliveryRecord,
  NotificationContext,
  NotificationServices,
} from "../src/notifications/index.js";
import type { EmailInput, TargetInput } from "../src/notifications/channel-input.js";
import {
  NotificationChannel,
  NotificationChannelCreateInput,
  NotificationChannelDeleteInput,
  NotificationChannelDeletePayload,
  NotificationChannelKind,
  NotificationChannelPayload,
  NotificationChannelUpdateInput,
  NotificationDelivery,
  NotificationDeliveryState,
  PushedAlertStatus,
  type EmailChannelInput,
} from "../schema/notifications.js";

type NotificationRequestContext = RequestContext & NotificationContext;

const MAX_DELIVERIES = 200;

function services(ctx: NotificationRequestContext): NotificationServices {
  if (!ctx.notifications) throw new Error("this server serves no notifications");
  return ctx.notifications;
}

const caller = (ctx: NotificationRequestContext): ChannelCaller => ({
  subject: ctx.subject,
  access: ctx.access,
  audit: ctx.audit,
});

function channel(c: ChannelInfo): NotificationChannel {
  return {
    id: c.id,
    name: c.name,
    workspace: c.workspace,
    enabled: c.enabled,
    kind: c.kind as NotificationChannelKind,
    endpoint: c.endpoint,
    ...(c.unreadable !== undefined ? { unreadable: c.unreadable } : {}),
    email: c.email ? { ...c.email, to: [...c.email.to], username: c.email.username ?? null } : null,
    createdBy: c.createdBy,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

function emailInput(e: EmailChannelInput): EmailInput {
  return {
    from: e.from,
    to: e.to,
    smtpHost: e.smtpHost,
    smtpPort: e.smtpPort,
    ...(e.secure != null ? { secure: e.secure } : {}),
    ...(e.username != null ? { username: e.username } : {}),
    ...(e.password != null ? { password: e.password } : {}),
  };
}

function targetInput(input: { url?: string | null; email?: EmailChannelInput | null }): TargetInput {
  return {
    ...(input.url != null ? { url: input.url } : {}),
    ...(input.email != null ? { email: emailInput(input.email) } : {}),
  };
}

const labels = (map: Readonly<Record<string, string>>) =>
  Object.entries(map).map(([key, value]) => ({ key, value }));
const date = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

function delivery(r: DeliveryRecord): NotificationDelivery {
  return {
    id: r.id,
    alert: {
      cluster: r.alert.cluster,
      name: r.alert.labels.alertname ?? "",
      status: r.alert.status as PushedAlertStatus,
      fingerprint: r.alert.fingerprint,
      labels: labels(r.alert.labels),
      annotations: labels(r.alert.annotations),
      startsAt: new Date(r.alert.startsAt),
      endsAt: r.alert.endsAt === undefined ? null : new Date(r.alert.endsAt),
    },
    state: r.state as NotificationDeliveryState,
    attempts: r.attempts,
    lastError: r.lastError ?? null,
    createdAt: new Date(r.createdAt),
    lastAttemptAt: date(r.lastAttemptAt),
    nextAttemptAt: r.state === "pending" ? new Date(r.nextAttemptAt) : null,
    deliveredAt: date(r.deliveredAt),
  };
}

@Resolver()
export class NotificationResolver {
  @Query(() => [NotificationChannel], {
    description:
      "The notification channels you manage: of one workspace (FORBIDDEN unless you are its admin), or all of yours.",
  })
  @Extensions({ maxItems: 1000 })
  async notificationChannels(
    @Arg("workspace", () => String, { nullable: true, description: "Only this workspace's channels." })
    workspace: string | null | undefined,
    @Ctx() ctx: NotificationRequestContext,
  ): Promise<NotificationChannel[]> {
    return (
      await services(ctx)
        .commands(caller(ctx))
        .list(workspace ?? undefined)
    ).map(channel);
  }

  @Query(() => [NotificationDelivery], {
    description:
      "A channel's delivery records, newest first (kept for notifications.delivery.retentionHours).",
  })
  @Extensions({ maxItems: MAX_DELIVERIES })
  async notificationDeliveries(
    @Arg("channel", () => ID, { description: "The channel's id." }) channelId: string,
    @Arg("first", () => Int, {
      defaultValue: 50,
      description: `At most this many (up to ${MAX_DELIVERIES}).`,
    })
    first: number,
    @Ctx() ctx: NotificationRequestContext,
  ): Promise<NotificationDelivery[]> {
    return (await services(ctx).deliveries(caller(ctx), channelId, first)).map(delivery);
  }

  @Mutation(() => NotificationChannelPayload, {
    description:
      "Creates a notification channel for a workspace you administer (or, as a platform admin, the fleet).",
  })
  async notificationChannelCreate(
    @Arg("input", () => NotificationChannelCreateInput, { description: "The channel." })
    input: NotificationChannelCreateInput,
    @Ctx() ctx: NotificationRequestContext,
  ): Promise<NotificationChannelPayload> {
    const outcome = await services(ctx)
      .commands(caller(ctx))
      .create({
        workspace: input.workspace ?? null,
        kind: input.kind,
        name: input.name,
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
        ...targetInput(input),
      });
    return outcome.ok
      ? { channel: channel(outcome.value), userErrors: [] }
      : { channel: null, userErrors: outcome.errors };
  }

  @Mutation(() => NotificationChannelPayload, { description: "Changes a notification channel you manage." })
  async notificationChannelUpdate(
    @Arg("input", () => NotificationChannelUpdateInput, { description: "The changes." })
    input: NotificationChannelUpdateInput,
    @Ctx() ctx: NotificationRequestContext,
  ): Promise<NotificationChannelPayload> {
    const outcome = await services(ctx)
      .commands(caller(ctx))
      .update({
        id: input.id,
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
        ...targetInput(input),
      });
    return outcome.ok
      ? { channel: channel(outcome.value), userErrors: [] }
      : { channel: null, userErrors: outcome.errors };
  }

  @Mutation(() => NotificationChannelDeletePayload, {
    description: "Deletes a notification channel you manage.",
  })
  async notificationChannelDelete(
    @Arg("input", () => NotificationChannelDeleteInput, { description: "The channel's id." })
    input: NotificationChannelDeleteInput,
    @Ctx() ctx: NotificationRequestContext,
  ): Promise<NotificationChannelDeletePayload> {
    const outcome = await services(ctx).commands(caller(ctx)).delete(input.id);
    return outcome.ok
      ? { deletedChannelId: outcome.value.id, userErrors: [] }
      : { deletedChannelId: null, userErrors: outcome.errors };
  }
}
