/**
 * The gateway's schema as an Apollo Federation 2 subgraph (docs/federation.md): the same types,
 * resolvers and field extensions (the cost model, limits and upstream-call pricing read them), plus
 * `@link` to the federation spec, a `@key` on every entity, `_service { sdl }` and `_entities`.
 *
 * @apollo/subgraph builds subgraphs from SDL and a resolver map, not from an executable schema, so
 * the schema is printed, the keys are added to the parsed SDL, and the built schema is given back
 * what the SDL cannot carry: resolvers, subscriptions, abstract types' resolveType, custom scalars,
 * enum values and the `extensions` of types and fields. `_entities` checks what the router sends
 * before @apollo/subgraph sees it: how many representations, and that each names an entity.
 */
import {
  buildSubgraphSchema,
  type GraphQLReferenceResolver,
  type GraphQLResolverMap,
} from "@apollo/subgraph";
import {
  isEnumType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  lexicographicSortSchema,
  parse,
  printSchema,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLNamedType,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";

/** Federation 2.3: entity interfaces, which `@interfaceObject` in another subgraph extends. */
export const FEDERATION_SPEC = "https://specs.apollo.dev/federation/v2.3";

/** One entity: its type, its key field sets, and how a reference to it is resolved. */
export interface SubgraphEntity<C> {
  /** The object type, or the entity interface (Federation 2.3), the keys are declared on. */
  type: string;
  /** Key field sets other than "id" (every type implementing Node is keyed by "id" too). */
  keys: readonly string[];
  /** A reference by one of `keys` -> the object, or null when absent or outside the caller's reach. */
  byKey?: (reference: Readonly<Record<string, unknown>>, ctx: C) => unknown;
}

export interface SubgraphEntities<C> {
  entities: readonly SubgraphEntity<C>[];
  /** A reference by "id" to `type` (every type implementing the Node interface is keyed by it). */
  byId: (type: string, reference: Readonly<Record<string, unknown>>, ctx: C) => unknown;
  /** Turns a resolver's error for one reference into that item's GraphQL error (not the batch's). */
  itemError?: (error: unknown) => GraphQLError | undefined;
  /** Representations one `_entities` call takes; more are refused before anything runs. */
  maxRepresentations: number;
  /**
   * Value types other subgraphs commonly define identically (PageInfo, Label): `@shareable`, so
   * composition accepts both definitions.
   */
  shareable: readonly string[];
}

/** The interface whose implementations are keyed by "id". */
const NODE_INTERFACE = "Node";

/** The subgraph's SDL as served by `_service { sdl }` and committed in schema/subgraph.graphql. */
export function subgraphTypeDefs<C>(schema: GraphQLSchema, keys: SubgraphEntities<C>): DocumentNode {
  const document = parse(printSchema(lexicographicSortSchema(schema)));
  const keyed = keyFieldSets(schema, keys.entities);
  for (const name of keys.shareable)
    if (!isObjectType(schema.getType(name)))
      throw new Error(`shareable ${name} is not an object type of the schema`);
  const definitions = document.definitions.map((definition): DefinitionNode => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION)
      return definition;
    const added = [
      ...(keyed.get(definition.name.value) ?? []).map(keyDirective),
      ...(keys.shareable.includes(definition.name.value) ? [directive("shareable")] : []),
    ];
    if (added.length === 0) return definition;
    return { ...definition, directives: [...(definition.directives ?? []), ...added] };
  });
  return { ...document, definitions: [linkDefinition(), ...definitions] };
}

/** The executable subgraph: the federation fields and the original schema's behaviour. */
export function toSubgraphSchema<C>(schema: GraphQLSchema, keys: SubgraphEntities<C>): GraphQLSchema {
  const typeDefs = subgraphTypeDefs(schema, keys);
  const subgraph = buildSubgraphSchema([{ typeDefs, resolvers: resolverMap(schema, keys) }]);
  for (const type of Object.values(subgraph.getTypeMap())) carryExtensions(type, schema.getType(type.name));
  const entities = subgraph.getQueryType()?.getFields()._entities;
  if (entities) {
    // Priced per representation: one `_entities` call resolves many objects (src/limits/cost.ts),
    // and refused beyond `maxRepresentations` by the same check, before anything runs.
    Object.assign(entities, {
      extensions: {
        ...entities.extensions,
        perRepresentation: true,
        maxRepresentations: keys.maxRepresentations,
      },
    });
    const resolve = entities.resolve;
    if (resolve)
      entities.resolve = checkedTypenames(resolve, new Set(keyFieldSets(schema, keys.entities).keys()));
  }
  return subgraph;
}

/**
 * `_entities` with each representation's `__typename` checked first: one that names no entity
 * (missing, unknown, a value type, a non-entity interface) fails its own item with
 * BAD_USER_INPUT, where @apollo/subgraph would fail the whole list or the item as an internal
 * error. The others are resolved as one batch, as before.
 */
function checkedTypenames(
  resolve: GraphQLFieldResolver<unknown, unknown>,
  entityTypes: ReadonlySet<string>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args: { representations?: unknown }, ctx, info) => {
    const representations = Array.isArray(args.representations) ? (args.representations as unknown[]) : [];
    const refusals = representations.map((r) => typenameRefusal(r, entityTypes));
    if (refusals.every((r) => r === undefined)) return resolve(source, args, ctx, info);
    const accepted = representations.filter((_, i) => refusals[i] === undefined);
    const resolved = resolve(source, { ...args, representations: accepted }, ctx, info) as unknown[];
    let next = 0;
    // A rejected item fails that item only (as the reference resolvers' own errors do).
    return refusals.map((refusal) => (refusal ? Promise.reject(refusal) : resolved[next++]));
  };
}

function typenameRefusal(
  representation: unknown,
  entityTypes: ReadonlySet<string>,
): GraphQLError | undefined {
  const typename =
    typeof representation === "object" && representation !== null
      ? (representation as { __typename?: unknown }).__typename
      : undefined;
  if (typeof typename === "string" && entityTypes.has(typename)) return undefined;
  const message =
    typeof typename === "string"
      ? `"${typename.slice(0, 80)}" is not an entity type of this subgraph`
      : "has no __typename naming its entity type";
  return new GraphQLError(
    `an entity representation ${message}: see the subgraph's @key types (docs/federation.md)`,
    { extensions: { code: "BAD_USER_INPUT" } },
  );
}

/** Type -> key field sets: the declared ones, and "id" for every implementation of Node. */
function keyFieldSets<C>(
  schema: GraphQLSchema,
  entities: readonly SubgraphEntity<C>[],
): Map<string, string[]> {
  const keyed = new Map<string, string[]>();
  const node = schema.getType(NODE_INTERFACE);
  // Interfaces are entities only when declared (Fed 2.3 entity interfaces); objects by being Nodes.
  for (const type of Object.values(schema.getTypeMap())) {
    const declared = entities.some((e) => e.type === type.name);
    const isNode =
      (isObjectType(type) || isInterfaceType(type)) && type.getInterfaces().some((i) => i === node);
    if (isNode && (isObjectType(type) || declared)) keyed.set(type.name, ["id"]);
  }
  for (const entity of entities) {
    if (!schema.getType(entity.type)) throw new Error(`entity ${entity.type} is not a type of the schema`);
    keyed.set(entity.type, [...(keyed.get(entity.type) ?? []), ...entity.keys]);
  }
  return keyed;
}

function resolverMap<C>(schema: GraphQLSchema, keys: SubgraphEntities<C>): GraphQLResolverMap<C> {
  const map: Record<string, Record<string, unknown> | GraphQLNamedType> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    if (isObjectType(type)) {
      const fields: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields()))
        if (field.resolve || field.subscribe)
          fields[field.name] = {
            ...(field.resolve ? { resolve: field.resolve } : {}),
            ...(field.subscribe ? { subscribe: field.subscribe } : {}),
          };
      if (type.isTypeOf) fields.__isTypeOf = type.isTypeOf;
      map[type.name] = fields;
    } else if ((isInterfaceType(type) || isUnionType(type)) && type.resolveType) {
      map[type.name] = { __resolveType: type.resolveType };
    } else if (isScalarType(type) && !isSpecifiedScalarType(type)) {
      map[type.name] = type;
    } else if (isEnumType(type)) {
      map[type.name] = Object.fromEntries(type.getValues().map((v) => [v.name, v.value as unknown]));
    }
  }
  const resolveBy = (type: string, byKey: SubgraphEntity<C>["byKey"]): GraphQLReferenceResolver<C> => {
    return (reference, ctx) => {
      const ref = reference as Readonly<Record<string, unknown>>;
      try {
        return "id" in ref || !byKey ? keys.byId(type, ref, ctx) : byKey(ref, ctx);
      } catch (error) {
        // A rejection, not a throw: @apollo/subgraph calls every reference in one map, and a
        // rejected item (object or entity interface alike) fails that item only.
        const item = keys.itemError?.(error);
        if (item) return Promise.reject(item);
        throw error;
      }
    };
  };
  for (const [type] of keyFieldSets(schema, keys.entities)) {
    const byKey = keys.entities.find((e) => e.type === type)?.byKey;
    map[type] = { ...(map[type] as Record<string, unknown>), __resolveReference: resolveBy(type, byKey) };
  }
  return map as GraphQLResolverMap<C>;
}

/** The original type's and fields' extensions, where the subgraph's own (resolveReference) stay. */
function carryExtensions(type: GraphQLNamedType, original: GraphQLNamedType | undefined | null): void {
  if (!original || isIntrospectionType(type)) return;
  Object.assign(type, { extensions: { ...original.extensions, ...type.extensions } });
  if (!(isObjectType(type) || isInterfaceType(type))) return;
  if (!(isObjectType(original) || isInterfaceType(original))) return;
  const originalFields = original.getFields();
  for (const field of Object.values(type.getFields())) {
    const from = originalFields[field.name];
    if (from) Object.assign(field, { extensions: { ...from.extensions, ...field.extensions } });
  }
}

function linkDefinition(): DefinitionNode {
  return parse(`extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key", "@shareable"])`)
    .definitions[0]!;
}

function keyDirective(fields: string): ConstDirectiveNode {
  return directive("key", { fields });
}

function directive(name: string, args: Record<string, string> = {}): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: name },
    arguments: Object.entries(args).map(([argument, value]) => ({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: argument },
      value: { kind: Kind.STRING, value },
    })),
  };
}
