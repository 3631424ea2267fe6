/**
 * Operations executed by graphql-jit instead of graphql-js's interpreter, through Apollo's
 * gateway interface (its one hook for a custom executor; Apollo still parses, validates, runs the
 * plugins and formats the answer). graphql-js resolves every field by walking the document and
 * coercing literal arguments on each request; graphql-jit compiles an operation once into a
 * function of its variables. A compiled operation is kept for as long as Apollo keeps the parsed
 * document (its document store is an LRU keyed by the query's hash), one per operation name.
 */
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import {
  getOperationAST,
  getVariableValues,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

export class CompiledOperations {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string | undefined, CompiledQuery>>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** The compiled operation, or the errors that stop it from compiling (no such operation, ...). */
  get(document: DocumentNode, operationName: string | undefined): CompiledQuery | ExecutionResult {
    let byName = this.byDocument.get(document);
    if (!byName) this.byDocument.set(document, (byName = new Map<string | undefined, CompiledQuery>()));
    const known = byName.get(operationName);
    if (known) return known;
    const compiled = compileQuery(this.schema, document, operationName);
    if (isCompiledQuery(compiled)) byName.set(operationName, compiled);
    return compiled;
  }

  async execute(
    document: DocumentNode,
    operationName: string | undefined,
    context: unknown,
    variables: Record<string, unknown> | undefined,
  ): Promise<ExecutionResult> {
    const compiled = this.get(document, operationName);
    if (!isCompiledQuery(compiled)) return compiled;
    const result = await compiled.query(undefined, context, variables ?? {});
    // No data at all means the variables were refused. graphql-jit's errors say why but do not
    // point at the variable's definition, which is how Apollo tells a caller's mistake (400,
    // BAD_USER_INPUT) from a server fault: graphql-js's coercion names it. Only this path pays.
    if (result.data === undefined && result.errors?.length) {
      const operation = getOperationAST(document, operationName);
      const coerced = getVariableValues(this.schema, operation?.variableDefinitions ?? [], variables ?? {});
      if (coerced.errors) return { errors: coerced.errors };
    }
    return result;
  }
}

/** A fixed schema served through Apollo's gateway interface, executed by graphql-jit. */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const operations = new CompiledOperations(schema);
  const executor: GatewayExecutor = async (request) =>
    operations.execute(
      request.document,
      request.operationName ?? undefined,
      request.context,
      request.request.variables,
    );
  return {
    load: () => Promise.resolve({ schema, executor }),
    onSchemaLoadOrUpdate(callback) {
      // Apollo asks for the SDL of a federated supergraph; this schema is the whole graph.
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    stop: () => Promise.resolve(),
  };
}
