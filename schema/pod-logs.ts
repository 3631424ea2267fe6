/** The podLogs subscription: its arguments and its event, one log line. */
import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { DateTime } from "./scalars.js";

@ObjectType({
  simpleResolvers: true,
  description: "One line of a container's log, as the API server serves it (pods/log).",
})
export class PodLogLine {
  @Field({
    description:
      "The text, without its newline; with `timestamps`, without the time the API server put before it.",
  })
  line!: string;

  @Field(() => DateTime, {
    nullable: true,
    description: "When the container wrote it (to the millisecond), with `timestamps: true`; null otherwise.",
  })
  timestamp!: Date | null;

  @Field({ description: "The container whose log this is." })
  container!: string;

  @Field({
    description:
      "The line was longer than 65,536 characters: it continues in the next event (which has the same timestamp).",
  })
  partial!: boolean;
}

@ArgsType()
export class PodLogsArgs {
  @Field({ description: "The pod's cluster." })
  cluster!: string;

  @Field({ description: "The pod's namespace." })
  namespace!: string;

  @Field({ description: "The pod's name." })
  pod!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The container; default the one `kubectl logs` picks: the pod's `kubectl.kubernetes.io/default-container`, or its only container.",
  })
  container?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Start with the last this many lines (0: only new ones); default the whole log the node keeps.",
  })
  tailLines?: number | null;

  @Field(() => DateTime, {
    nullable: true,
    description:
      "Only lines written from then on. The API server applies it to the whole second, so lines of that second may repeat.",
  })
  sinceTime?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: "Have the API server stamp each line with its time (the `timestamp` field).",
  })
  timestamps?: boolean | null;
}
