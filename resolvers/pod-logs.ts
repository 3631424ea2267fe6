/**
 * Subscription.podLogs: a followed container log, line by line. The service (src/subscriptions/
 * pod-logs.ts) checks the arguments and the caller's access and opens the stream; each event is
 * already the line the schema shows.
 */
import { Args, Resolver, Root, Subscription } from "type-graphql";
import { PodLogLine, PodLogsArgs } from "../schema/pod-logs.js";
import type { RequestContext } from "../src/request/context.js";
import type { SubscriptionContext } from "../src/subscriptions/context.js";
import type { PodLogLine as LogLine, PodLogRequest } from "../src/subscriptions/pod-logs.js";

type Context = RequestContext & SubscriptionContext;

@Resolver()
export class PodLogsResolver {
  @Subscription(() => PodLogLine, {
    name: "podLogs",
    description:
      "A container's log as it is written (pods/log with follow), read as you: your access here and the " +
      "cluster's RBAC must both allow `get pods/log`. Completes when the container stops (the pod was " +
      "deleted or the container restarted); closing the subscription ends the read.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      if (!ctx.podLogs) throw new Error("pod logs are not served by this server");
      return ctx.podLogs.follow(args as PodLogRequest, ctx);
    },
  })
  podLogs(@Root() line: LogLine, @Args(() => PodLogsArgs) _args: object): LogLine {
    return line;
  }
}
