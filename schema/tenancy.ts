/**
 * The tenancy mutations' types: API tokens for automation and built-in role bindings, in
 * Shopify's shape (input objects, payloads with `userErrors`). Resolvers in resolvers/tenancy.ts.
 */
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "./scalars.js";
import { BuiltInRole } from "./viewer.js";

@ObjectType({ simpleResolvers: true, description: "A mistake in a mutation's input, or why it was refused." })
export class UserError {
  @Field(() => [String], {
    description: 'The input field at fault, e.g. ["input", "namespace"]; empty for none.',
  })
  field!: string[];

  @Field({ description: "What is wrong, in words you can act on." })
  message!: string;

  @Field({ description: "BAD_USER_INPUT, FORBIDDEN, NOT_FOUND or UNAVAILABLE." })
  code!: string;
}

@InputType({
  description: "A built-in role and where it applies (its level decides which of the places it needs).",
})
export class RolePlaceInput {
  @Field(() => BuiltInRole, { description: "The role." })
  role!: BuiltInRole;

  @Field(() => String, {
    nullable: true,
    description: 'A cluster role\'s cluster ("*": every cluster); optional for namespace roles.',
  })
  cluster?: string | null;

  @Field(() => String, { nullable: true, description: "A workspace role's workspace." })
  workspace?: string | null;

  @Field(() => String, { nullable: true, description: "A namespace role's namespace." })
  namespace?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "A built-in role and where it applies." })
export class RolePlace {
  @Field(() => BuiltInRole, { description: "The role." })
  role!: BuiltInRole;

  @Field(() => String, {
    nullable: true,
    description: 'The cluster ("*": every cluster); null when it does not apply.',
  })
  cluster!: string | null;

  @Field(() => String, { nullable: true, description: "The workspace; null when it does not apply." })
  workspace!: string | null;

  @Field(() => String, { nullable: true, description: "The namespace; null when it does not apply." })
  namespace!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "An API token for automation. Its secret is shown once, at creation.",
})
export class ApiToken {
  @Field(() => ID, { description: "Its id (not its secret): what `apiTokenRevoke` takes." })
  id!: string;

  @Field({ description: "Its name, for people." })
  name!: string;

  @Field({ description: "The user it acts as." })
  owner!: string;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: "When it stops working; null: until revoked." })
  expiresAt!: Date | null;

  @Field(() => [RolePlace], {
    nullable: true,
    description: "The roles it is limited to (within its owner's access); null: its owner's full access.",
  })
  roles!: RolePlace[] | null;
}

@InputType({ description: "A new API token." })
export class ApiTokenCreateInput {
  @Field({ description: "A name for people (1 to 100 characters)." })
  name!: string;

  @Field(() => DateTime, { nullable: true, description: "When it stops working; null: until revoked." })
  expiresAt?: Date | null;

  @Field(() => [RolePlaceInput], {
    nullable: true,
    description: "Limit it to these roles (it never exceeds your own access); null: your full access.",
  })
  roles?: RolePlaceInput[] | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of apiTokenCreate." })
export class ApiTokenCreatePayload {
  @Field(() => String, {
    nullable: true,
    description: "The secret: send it as `Authorization: Bearer <token>`. Shown only here, never again.",
  })
  token!: string | null;

  @Field(() => ApiToken, { nullable: true, description: "The token's record; null when refused." })
  apiToken!: ApiToken | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@InputType({ description: "The API token to revoke." })
export class ApiTokenRevokeInput {
  @Field(() => ID, { description: "Its id (from `viewer.apiTokens` or apiTokenCreate)." })
  id!: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of apiTokenRevoke." })
export class ApiTokenRevokePayload {
  @Field(() => ID, { nullable: true, description: "The revoked token's id; null when refused." })
  revokedApiTokenId!: string | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

export enum RoleBindingSource {
  CONFIG = "config",
  MUTATION = "mutation",
}

registerEnumType(RoleBindingSource, {
  name: "RoleBindingSource",
  description: "Where a role binding was made.",
  valuesConfig: {
    CONFIG: { description: "In the config file (changed there, not through the API)." },
    MUTATION: { description: "Through roleBindingCreate (persisted in the shared store)." },
  },
});

@ObjectType({ simpleResolvers: true, description: "A built-in role bound to users and groups." })
export class RoleBinding {
  @Field(() => ID, { description: "Its id: what roleBindingDelete takes." })
  id!: string;

  @Field(() => BuiltInRole, { description: "The role." })
  role!: BuiltInRole;

  @Field(() => [String], { description: "The users it binds." })
  users!: string[];

  @Field(() => [String], { description: "The groups it binds." })
  groups!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Its cluster ("*": every cluster); null when it does not apply.',
  })
  cluster!: string | null;

  @Field(() => String, { nullable: true, description: "Its workspace; null when it does not apply." })
  workspace!: string | null;

  @Field(() => String, { nullable: true, description: "Its namespace; null when it does not apply." })
  namespace!: string | null;

  @Field(() => RoleBindingSource, { description: "Where it was made." })
  source!: RoleBindingSource;

  @Field(() => String, {
    nullable: true,
    description: "Who made it (through the API); null for the config's.",
  })
  createdBy!: string | null;

  @Field(() => DateTime, {
    nullable: true,
    description: "When it was made (through the API); null for the config's.",
  })
  createdAt!: Date | null;
}

@InputType({ description: "A built-in role to bind to users and groups." })
export class RoleBindingCreateInput extends RolePlaceInput {
  @Field(() => [String], { defaultValue: [], description: "User names, as the clusters know them." })
  users!: string[];

  @Field(() => [String], { defaultValue: [], description: "Group names." })
  groups!: string[];
}

@ObjectType({ simpleResolvers: true, description: "The result of roleBindingCreate." })
export class RoleBindingCreatePayload {
  @Field(() => RoleBinding, { nullable: true, description: "The new binding; null when refused." })
  roleBinding!: RoleBinding | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@InputType({ description: "The role binding to delete." })
export class RoleBindingDeleteInput {
  @Field(() => ID, { description: "Its id (from `roleBindings`)." })
  id!: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of roleBindingDelete." })
export class RoleBindingDeletePayload {
  @Field(() => ID, { nullable: true, description: "The deleted binding's id; null when refused." })
  deletedRoleBindingId!: string | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
