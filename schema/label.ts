/** Labels and label selectors: one shape everywhere, typed rather than JSON. */
import { Field, ObjectType } from "type-graphql";
import { LabelSelectorOperator } from "./enums.js";

@ObjectType({
  simpleResolvers: true,
  description: "One label (or annotation) of an object: a key and its value.",
})
export class Label {
  @Field({ description: 'The key, e.g. "app.kubernetes.io/name".' })
  key!: string;

  @Field({ description: "The value (may be empty)." })
  value!: string;
}

@ObjectType({ simpleResolvers: true, description: "One requirement of a label selector." })
export class LabelSelectorRequirement {
  @Field({ description: "The label key the requirement is about." })
  key!: string;

  @Field(() => LabelSelectorOperator, { description: "How the label is tested." })
  operator!: LabelSelectorOperator;

  @Field(() => [String], {
    description: "The values, for EQUALS, NOT_EQUALS, IN and NOT_IN; empty otherwise.",
  })
  values!: string[];
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A label selector (a workload's or a service's), both as text and parsed. Every requirement must hold.",
})
export class LabelSelector {
  @Field({
    description: 'In Kubernetes\' text syntax, as `kubectl -l` takes it, e.g. "app=web,tier in (front)".',
  })
  text!: string;

  @Field(() => [Label], { description: "The equality requirements (matchLabels)." })
  matchLabels!: Label[];

  @Field(() => [LabelSelectorRequirement], {
    description: "The other requirements (matchExpressions): IN, NOT_IN, EXISTS, DOES_NOT_EXIST, NOT_EQUALS.",
  })
  matchExpressions!: LabelSelectorRequirement[];
}
