/**
 * Operations executed by graphql-jit instead of graphql-js's interpreter, through Apollo's
 * gateway interface (its one hook for a custom executor; Apollo still parses, validates, runs the
 * plugins and formats the answer). graphql-js resolves every field by walking the document and
 * coercing literal arguments on each request; graphql-jit compiles an operation once into a
 * function of its variables.
 *
 * Compiling costs 0.2-3 ms and keeps generated code alive, so an operation is compiled only once
 * it is used again (`compileAfter` uses run on graphql-js first): a stream of one-off documents
 * costs what it costs without graphql-jit, and what dashboards and scripts send over and over is
 * compiled. A compiled operation lives as long as Apollo keeps the parsed document (its document
 * store is an LRU keyed by the query's hash), one per operation name.
 */
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import {
  execute,
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  getVariableValues,
  printSchema,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type VariableDefinitionNode,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { withinBudget, type RequestBudget } from "../limits/request-budget.js";

export interface CompiledOperationsOptions {
  /** Uses of an operation run by graphql-js before it is compiled. Default 1; 0 compiles at once. */
  compileAfter?: number;
  /**
   * The upstream budget of one query (calls and deadline); none: unbounded. Mutations run
   * without one: their writes are bounded by mutations.maxTargets, and a drain may take minutes.
   */
  budget?: () => RequestBudget;
}

interface Operation {
  uses: number;
  /** The compiled operation, or the errors graphql-jit refused it with (answered as they are). */
  compiled?: CompiledQuery | ExecutionResult;
  /**
   * The variables' default values, as a caller would send them. graphql-jit 0.8 ignores the
   * default of a non-null variable (`$c: Consistency! = CACHED`) and refuses the omitted
   * variable as "not provided", which graphql-js and the spec accept: they are filled in here.
   */
  defaults?: Record<string, unknown>;
}

const SUBSCRIPTION_REFUSED = new GraphQLError(
  "a subscription is executed once per event, over graphql-ws: it cannot run as a single operation",
  { extensions: { code: "BAD_REQUEST" } },
);

export class CompiledOperations {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string | undefined, Operation>>();
  private readonly compileAfter: number;
  private readonly budget: (() => RequestBudget) | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    options: CompiledOperationsOptions = {},
  ) {
    this.compileAfter = options.compileAfter ?? 1;
    this.budget = options.budget;
  }

  execute(
    document: DocumentNode,
    operationName: string | undefined,
    context: unknown,
    variables: Record<string, unknown> | undefined,
  ): Promise<ExecutionResult> {
    const run = () => this.run(document, operationName, context, variables);
    const budget =
      this.budget && getOperationAST(document, operationName)?.operation === OperationTypeNode.QUERY
        ? this.budget()
        : undefined;
    return budget ? withinBudget(budget, () => withDeadline(run(), budget)) : run();
  }

  private async run(
    document: DocumentNode,
    operationName: string | undefined,
    context: unknown,
    variables: Record<string, unknown> | undefined,
  ): Promise<ExecutionResult> {
    const operation = this.operation(document, operationName);
    const interpret = (): ReturnType<typeof execute> =>
      execute({
        schema: this.schema,
        document,
        operationName,
        contextValue: context,
        variableValues: variables,
      });
    // No such operation, or one the schema has no root type for: graphql-js answers with its own
    // error (Apollo turns the first into a 400 OPERATION_RESOLUTION_FAILURE) and nothing is kept,
    // so made-up operation names cannot grow the map.
    if (operation === undefined) return interpret();
    operation.uses++;
    if (operation.compiled === undefined && operation.uses > this.compileAfter)
      operation.compiled = compileQuery(this.schema, document, operationName);
    const compiled = operation.compiled;
    if (compiled === undefined) return interpret();
    if (!isCompiledQuery(compiled)) return compiled;
    const given = variables ?? {};
    const result = withExtensions(
      await compiled.query(
        undefined,
        context,
        operation.defaults ? { ...operation.defaults, ...given } : given,
      ),
    );
    // No data at all means the variables were refused. graphql-jit's errors say why but do not
    // point at the variable's definition, which is how Apollo tells a caller's mistake (400,
    // BAD_USER_INPUT) from a server fault: graphql-js's coercion names it. Only this path pays.
    if (result.data === undefined && result.errors?.length) {
      const definitions = getOperationAST(document, operationName)?.variableDefinitions ?? [];
      const coerced = getVariableValues(this.schema, definitions, variables ?? {});
      if (coerced.errors) return { errors: coerced.errors };
      // Variables graphql-js accepts and graphql-jit refuses: it ignores the defaults of non-null
      // input fields (`orderBy: {field: NAME}` without `direction: OrderDirection! = ASC`).
      return interpret();
    }
    return result;
  }

  /** Whether the operation is now served compiled (for tests and diagnostics). */
  isCompiled(document: DocumentNode, operationName?: string): boolean {
    const compiled = this.byDocument.get(document)?.get(operationName)?.compiled;
    return compiled !== undefined && isCompiledQuery(compiled);
  }

  private operation(document: DocumentNode, operationName: string | undefined): Operation | undefined {
    let byName = this.byDocument.get(document);
    if (!byName) this.byDocument.set(document, (byName = new Map<string | undefined, Operation>()));
    let operation = byName.get(operationName);
    if (!operation) {
      const definition = getOperationAST(document, operationName);
      if (!definition || !this.schema.getRootType(definition.operation)) return undefined;
      operation =
        definition.operation === OperationTypeNode.SUBSCRIPTION
          ? // Run once here, it would call the root field without an event.
            { uses: 0, compiled: { errors: [SUBSCRIPTION_REFUSED] } }
          : { uses: 0, defaults: defaultsOf(definition.variableDefinitions ?? []) };
      byName.set(operationName, operation);
    }
    return operation;
  }
}

function defaultsOf(definitions: readonly VariableDefinitionNode[]): Record<string, unknown> | undefined {
  const withDefault = definitions.filter((d) => d.defaultValue !== undefined);
  if (withDefault.length === 0) return undefined;
  return Object.fromEntries(
    withDefault.map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)]),
  );
}

/**
 * graphql-jit's own errors have no `extensions` unless the error they wrap had some, and Apollo
 * reads `extensions.code` of every error: without them it fails formatting the answer and sends
 * "Internal server error" in place of the real message. graphql-js gives every error `{}`.
 */
function withExtensions(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((e) => (e.extensions as unknown) === undefined)) return result;
  const errors = result.errors.map((error) => {
    if ((error.extensions as unknown) !== undefined) return error;
    const copy = new GraphQLError(error.message, {
      path: error.path,
      originalError: error.originalError ?? undefined,
    });
    // graphql-js derives locations from AST nodes, which graphql-jit's errors do not keep.
    if (error.locations)
      Object.defineProperty(copy, "locations", { value: error.locations, enumerable: true });
    return copy;
  });
  return { ...result, errors };
}

/**
 * The execution, or at the deadline an answer without data saying so (HTTP 504): graphql-js
 * cannot hand out the part it has, so the answer does not wait for it. What still runs starts no
 * upstream call (the budget refuses them) and ends with the calls in flight.
 */
function withDeadline(execution: Promise<ExecutionResult>, budget: RequestBudget): Promise<ExecutionResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ExecutionResult>((resolve) => {
    timer = setTimeout(
      () => {
        const expired = budget.expire();
        resolve({
          errors: [
            new GraphQLError(expired.message, {
              extensions: { ...expired.extensions, http: { status: 504 } },
            }),
          ],
        });
      },
      Math.max(0, budget.remainingMs),
    );
  });
  return Promise.race([execution, deadline]).finally(() => clearTimeout(timer));
}

/** A fixed schema served through Apollo's gateway interface, executed by `CompiledOperations`. */
export function compiledExecution(
  schema: GraphQLSchema,
  options?: CompiledOperationsOptions,
): GatewayInterface {
  const operations = new CompiledOperations(schema, options);
  const executor: GatewayExecutor = async (request) =>
    operations.execute(
      request.document,
      // The name the client sent: the context's own `operationName` is the one Apollo resolved,
      // null when it found none, which would turn "Unknown operation named" into another error.
      request.request.operationName ?? undefined,
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
