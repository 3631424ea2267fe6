/**
 * Root fields called straight from graphql-js's arguments. type-graphql's resolver wrapper copies
 * every input object into an instance of its class and awaits a validation hook per argument,
 * even with validation off: on a small query that was a fifth of the gateway's own CPU. The
 * gateway's argument classes are declarations only (no methods, defaults live in the schema), so
 * the decorated methods are called with the values graphql-js coerced. Middlewares, roles and
 * custom parameter decorators would be skipped this way: a root field that uses one is refused
 * here, at build time, rather than silently left unguarded.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";

type Resolve = GraphQLFieldResolver<unknown, Record<string, unknown>, Record<string, unknown>>;
type Method = (...params: unknown[]) => unknown;
type ResolverMetadata = ReturnType<typeof getMetadataStorage>["queries"][number];

export class UnsupportedRootFieldError extends Error {
  constructor(field: string, why: string) {
    super(`Query.${field} cannot be called directly: ${why}`);
    this.name = "UnsupportedRootFieldError";
  }
}

/** Replaces the resolver of every Query field declared by `resolverClasses`. */
export function resolveRootFieldsDirectly(
  schema: GraphQLSchema,
  resolverClasses: readonly (new () => object)[],
): void {
  const fields = schema.getQueryType()?.getFields() ?? {};
  const instances = new Map(resolverClasses.map((cls) => [cls as unknown, new cls()]));
  for (const query of getMetadataStorage().queries) {
    const instance = instances.get(query.target);
    const field = fields[query.schemaName];
    if (!instance || !field) continue;
    field.resolve = directResolver(query, instance);
  }
}

function directResolver(query: ResolverMetadata, instance: object): Resolve {
  const field = query.schemaName;
  if (query.middlewares?.length) throw new UnsupportedRootFieldError(field, "it has middlewares");
  if (query.roles?.length) throw new UnsupportedRootFieldError(field, "it has @Authorized roles");
  const method = (instance as Record<string, unknown>)[query.methodName];
  if (typeof method !== "function") throw new UnsupportedRootFieldError(field, "its method is missing");
  const params = [...(query.params ?? [])].sort((a, b) => a.index - b.index);
  const readers = params.map((param): Resolve => {
    switch (param.kind) {
      case "arg":
        return (_root, args) => args[param.name];
      case "args":
        return (_root, args) => args;
      case "context":
        return param.propertyName === undefined
          ? (_root, _args, context) => context
          : (_root, _args, context) => context[param.propertyName!];
      case "info":
        return (_root, _args, _context, info) => info;
      default:
        throw new UnsupportedRootFieldError(field, `@${param.kind} parameters are not supported`);
    }
  });
  const call = method as Method;
  return (root, args, context, info) =>
    call.apply(
      instance,
      readers.map((read) => read(root, args, context, info)),
    );
}
