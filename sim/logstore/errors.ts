/**
 * Elasticsearch's errors as the REST layer renders them: `{error:{root_cause, type, reason, ...},
 * status}`. An EsError carries the exception's snake_case type, its reason, the extra fields ES
 * adds (index, resource.id, ...) and its cause, so `root_cause` can be worked out the way
 * ElasticsearchException.guessRootCauses does: the deepest cause that is itself an ES exception.
 */

export interface EsErrorOptions {
  /** Extra fields of the exception's JSON (`index`, `resource.type`, `line`, ...). */
  extra?: Record<string, unknown>;
  causedBy?: EsError;
  /** Response headers the error brings (WWW-Authenticate on a 401). */
  headers?: Record<string, string>;
}

export class EsError extends Error {
  readonly extra: Record<string, unknown>;
  readonly causedBy: EsError | undefined;
  /** Response headers the error brings (WWW-Authenticate on 401). */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    options: EsErrorOptions = {},
  ) {
    super(`${type}: ${reason}`);
    this.extra = options.extra ?? {};
    this.causedBy = options.causedBy;
    this.headers = options.headers ?? {};
  }

  /** The exception as ES renders it inside `error` (and inside `caused_by`). */
  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      reason: this.reason,
      ...this.extra,
      ...(this.causedBy ? { caused_by: this.causedBy.toJSON() } : {}),
    };
  }

  /** What `root_cause` lists: the deepest cause, without its own causes. */
  rootCauses(): Record<string, unknown>[] {
    return [this.deepest().flat()];
  }

  /** The full REST body. */
  body(): Record<string, unknown> {
    return { error: { root_cause: this.rootCauses(), ...this.toJSON() }, status: this.status };
  }

  private deepest(): EsError {
    return this.causedBy ? this.causedBy.deepest() : this;
  }

  private flat(): Record<string, unknown> {
    return { type: this.type, reason: this.reason, ...this.extra };
  }
}

function indexExtra(index: string): Record<string, unknown> {
  return { "resource.type": "index_or_alias", "resource.id": index, index_uuid: "_na_", index };
}

export const esErrors = {
  indexNotFound(index: string): EsError {
    return new EsError(404, "index_not_found_exception", `no such index [${index}]`, {
      extra: indexExtra(index),
    });
  },
  indexExists(index: string, uuid: string): EsError {
    return new EsError(400, "resource_already_exists_exception", `index [${index}/${uuid}] already exists`, {
      extra: { index_uuid: uuid, index },
    });
  },
  invalidIndexName(index: string, why: string): EsError {
    return new EsError(400, "invalid_index_name_exception", `Invalid index name [${index}], ${why}`, {
      extra: { index_uuid: "_na_", index },
    });
  },
  versionConflict(index: string, id: string, uuid: string, version: number): EsError {
    return new EsError(
      409,
      "version_conflict_engine_exception",
      `[${id}]: version conflict, document already exists (current version [${version}])`,
      { extra: { index_uuid: uuid, shard: "0", index } },
    );
  },
  illegalArgument(reason: string, causedBy?: EsError): EsError {
    return new EsError(400, "illegal_argument_exception", reason, causedBy ? { causedBy } : {});
  },
  parsing(reason: string, line = 1, col = 1): EsError {
    return new EsError(400, "parsing_exception", reason, { extra: { line, col } });
  },
  xContentParse(reason: string, line = 1, col = 1): EsError {
    return new EsError(400, "x_content_parse_exception", `[${line}:${col}] ${reason}`, {
      extra: {},
    });
  },
  mapperParsing(reason: string, causedBy?: EsError): EsError {
    return new EsError(400, "document_parsing_exception", reason, causedBy ? { causedBy } : {});
  },
  security(reason: string): EsError {
    return new EsError(401, "security_exception", reason, {
      extra: { header: { "WWW-Authenticate": ['Basic realm="security", charset="UTF-8"'] } },
      headers: { "WWW-Authenticate": 'Basic realm="security", charset="UTF-8"' },
    });
  },
  unavailable(status: number): EsError {
    return status === 429
      ? new EsError(429, "es_rejected_execution_exception", "rejected execution of search (simulated fault)")
      : new EsError(
          status,
          "cluster_block_exception",
          "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];",
        );
  },
  /**
   * A failure of the query phase on the (single) shard, wrapped as the coordinating node does:
   * 400 search_phase_execution_exception "all shards failed" with the shard's failure inside.
   */
  searchPhase(index: string, cause: EsError): EsError {
    return new EsError(cause.status, "search_phase_execution_exception", "all shards failed", {
      extra: {
        phase: "query",
        grouped: true,
        failed_shards: [{ shard: 0, index, node: NODE_ID, reason: cause.toJSON() }],
      },
      causedBy: cause,
    });
  },
  tooManyNestedClauses(max: number): EsError {
    return new EsError(
      400,
      "too_many_nested_clauses",
      `Query contains too many nested clauses; maxClauseCount is set to ${max}`,
    );
  },
  resultWindow(max: number, asked: number): EsError {
    return new EsError(
      400,
      "illegal_argument_exception",
      `Result window is too large, from + size must be less than or equal to: [${max}] but was [${asked}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  },
  tooManyTerms(count: number, max: number): EsError {
    return new EsError(
      400,
      "illegal_argument_exception",
      `The number of terms [${count}] used in the Terms Query request has exceeded the allowed maximum of [${max}]. This maximum can be set by changing the [index.max_terms_count] index level setting.`,
    );
  },
  queryShard(index: string, reason: string): EsError {
    return new EsError(400, "query_shard_exception", reason, { extra: { index_uuid: "_na_", index } });
  },
};

/** The simulated node's id (shard failures name the node they ran on). */
export const NODE_ID = "fleetgraph-sim-node-0";

/** A JSON value as text for messages and coercions: strings as they are, anything else as JSON. */
export function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return JSON.stringify(value);
}
