/**
 * Grants and decisions from Open Policy Agent. Two entry points (see docs/security.md, "Policy as
 * code (OPA)"): the scope query says what a subject may read, once per subject and cached; the
 * allow query decides one action. Both fail closed.
 */
import type { BackendCallObserver } from "../../src/telemetry/backend-call.js";
import type { Subject } from "../subject.js";
import { subjectKey } from "../subject.js";
import { AnswerCache } from "./answer-cache.js";
import type { PolicyGrant } from "./opa-answers.js";
import { readAllowAnswer, readScopeAnswer } from "./opa-answers.js";
import { OpaDataApi } from "./opa-data-api.js";
import { PolicyUnavailableError } from "./policy-errors.js";
import type { PolicyDecision, PolicyInput, PolicySource } from "./policy-source.js";

export interface OpaPolicyOptions {
  /** OPA's base URL, e.g. `http://opa.policy.svc:8181`. */
  url: string;
  /** The scope decision under /v1/data. Default `fleetgraph/scope`. */
  scopePath?: string;
  /** The allow decision under /v1/data. Default `fleetgraph/allow`. */
  allowPath?: string;
  /** Deadline of each query to OPA. Default 500. */
  timeoutMs?: number;
  /** How long a subject's scope answer is reused. Default 10; 0 shares only concurrent queries. */
  cacheSeconds?: number;
  /** Bearer token for OPA (`--authentication=token`). */
  token?: string;
  /** Told of every query (the gateway's telemetry). */
  observer?: BackendCallObserver;
}

export const OPA_DEFAULTS = {
  scopePath: "fleetgraph/scope",
  allowPath: "fleetgraph/allow",
  timeoutMs: 500,
  cacheSeconds: 10,
} as const;

export class OpaPolicySource implements PolicySource {
  readonly scopePath: string;
  readonly allowPath: string;
  private readonly opa: OpaDataApi;
  private readonly scopes: AnswerCache<readonly PolicyGrant[] | "everything">;
  private readonly cacheMs: number;

  constructor(options: OpaPolicyOptions) {
    this.scopePath = policyPath(options.scopePath ?? OPA_DEFAULTS.scopePath);
    this.allowPath = policyPath(options.allowPath ?? OPA_DEFAULTS.allowPath);
    this.opa = new OpaDataApi({
      url: options.url,
      timeoutMs: options.timeoutMs ?? OPA_DEFAULTS.timeoutMs,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.observer === undefined ? {} : { observer: options.observer }),
    });
    this.cacheMs = (options.cacheSeconds ?? OPA_DEFAULTS.cacheSeconds) * 1000;
    this.scopes = new AnswerCache({ ttlMs: this.cacheMs });
  }

  /**
   * The window of cacheSeconds we are in: OPA's scope answers are not expected to change within
   * one, so a Scope computed with them is kept until the next. Undefined (ask every time) when
   * caching is off.
   */
  revision(): number | undefined {
    return this.cacheMs > 0 ? Math.floor(Date.now() / this.cacheMs) : undefined;
  }

  /**
   * What the subject may read. Throws PolicyUnavailableError when OPA gives no usable answer:
   * the caller then grants nothing and says why.
   */
  grants(subject: Subject): Promise<readonly PolicyGrant[] | "everything"> {
    return this.scopes.get(subjectKey(subject), async () => {
      const result = await this.opa.query(this.scopePath, { subject: subjectInput(subject) });
      return readScopeAnswer(this.scopePath, result);
    });
  }

  /** Never throws: a failure is a denial whose reason names it. */
  async allow(input: PolicyInput): Promise<PolicyDecision> {
    try {
      const result = await this.opa.query(this.allowPath, allowInput(input));
      return readAllowAnswer(this.allowPath, result);
    } catch (error) {
      if (error instanceof PolicyUnavailableError) return { allowed: false, reason: error.message };
      throw error;
    }
  }
}

/**
 * Only the user and its groups reach OPA: a Subject also carries token ids and expiry, which a
 * policy has no use for and decision logs should not collect.
 */
function subjectInput(subject: PolicyInput["subject"]): PolicyInput["subject"] {
  return { user: subject.user, groups: [...subject.groups] };
}

function allowInput(input: PolicyInput): PolicyInput {
  const out: PolicyInput = {
    subject: subjectInput(input.subject),
    action: input.action,
    resource: input.resource,
  };
  if (input.request !== undefined) out.request = input.request;
  return out;
}

/** The path under /v1/data, written the way the URL wants it: `fleetgraph/scope`, no stray slashes. */
export function policyPath(path: string): string {
  const segments = path.split("/").filter((s) => s !== "");
  if (segments.length === 0) throw new TypeError(`policy path "${path}" names no decision`);
  return segments.join("/");
}
