/**
 * The contract audited code records through. auth/ and src/request see only this file and
 * event.ts; the composition root hands them the real trail (trail.ts), tests a MemoryAuditRecorder.
 *
 * `record` resolves once the event is durable in the spool: await it before answering the
 * audited action. It rejects with AuditError when the event cannot be kept (spool full or failing):
 * the action must then not be reported as done.
 */
import type { AuditAction, AuditActor, AuditEvent, AuditOrigin, AuditRecord } from "./event.js";

export interface AuditRecorder {
  record(record: AuditRecord): Promise<AuditEvent>;
}

/**
 * A recorder bound to one request's caller and origin: recording an action is one line,
 * `await ctx.audit.record({ operation: "pod.delete", outcome: "success", cluster, namespace, resource })`.
 */
export interface RequestAudit {
  record(action: AuditAction): Promise<AuditEvent>;
  /** Adds what is learnt later in the request (the GraphQL operation's name). */
  describe(origin: AuditOrigin): void;
}

export function requestAudit(
  recorder: AuditRecorder,
  actor: AuditActor,
  origin: AuditOrigin = {},
): RequestAudit {
  const known: AuditOrigin = { ...origin };
  const who: AuditActor = {
    user: actor.user,
    groups: actor.groups,
    ...(actor.authMethod !== undefined ? { authMethod: actor.authMethod } : {}),
  };
  return {
    record: (action) => recorder.record({ ...who, ...known, ...action }),
    describe(more) {
      Object.assign(known, withoutUndefined(more));
    },
  };
}

/** Records nothing: contexts made without a trail (tests, tools). */
export const NO_REQUEST_AUDIT: RequestAudit = Object.freeze({
  record: (action: AuditAction) =>
    Promise.resolve({
      id: "",
      time: new Date().toISOString(),
      replica: "",
      instance: "",
      user: "",
      groups: [],
      ...action,
    }),
  describe: () => {},
});

/** Keeps events in memory, for tests (and for code paths that must record but keep nothing). */
export class MemoryAuditRecorder implements AuditRecorder {
  readonly events: AuditEvent[] = [];
  private sequence = 0;

  record(record: AuditRecord): Promise<AuditEvent> {
    const event: AuditEvent = {
      id: `mem-${String(++this.sequence).padStart(8, "0")}`,
      time: new Date().toISOString(),
      replica: "memory",
      instance: "memory",
      ...record,
    };
    this.events.push(event);
    return Promise.resolve(event);
  }

  /** Events of one operation, in order. */
  of(operation: string): AuditEvent[] {
    return this.events.filter((e) => e.operation === operation);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
