/**
 * The notification channels as one caller may manage them: a workspace admin those of their
 * workspaces, a platform admin every channel and the fleet's (no workspace). Decided from the
 * caller's built-in roles (the access layer's RequestAccess), here and not in a resolver; every
 * change, done or refused, is audited before it is answered.
 */
import { randomUUID } from "node:crypto";
import type { Subject } from "../../auth/subject.js";
import { QueryAccessError } from "../cache/query/errors.js";
import type { RequestAccess } from "../request/access.js";
import { audited } from "../request/audited-command.js";
import { OPEN_ACCESS } from "../request/context.js";
import type { Outcome, UserError } from "../request/tenancy.js";
import type { RequestAudit } from "../audit/recorder.js";
import {
  channelInfo,
  isUnreadable,
  type ChannelInfo,
  type ChannelKind,
  type StoredChannel,
} from "./channel.js";
import { nameProblems, targetOf, workspaceProblems, type TargetInput } from "./channel-input.js";
import { ChannelConflictError, type ChannelStore } from "./channel-store.js";
import { StoreUnavailableError } from "../store/shared-store.js";

export interface NewChannel extends TargetInput {
  /** Null: a fleet channel (cluster-level alerts). */
  workspace: string | null;
  kind: ChannelKind;
  name: string;
  enabled?: boolean;
}

export interface ChannelChange extends TargetInput {
  id: string;
  name?: string;
  enabled?: boolean;
}

/** Who is asking, as the request context knows them. */
export interface ChannelCaller {
  subject: Subject;
  access: RequestAccess;
  audit: RequestAudit;
}

const MAX_CHANNELS_PER_WORKSPACE = 50;

const fail = (code: string, message: string, field: string[] = []): Outcome<never> => ({
  ok: false,
  errors: [{ field, message, code }],
});

/**
 * Why the caller may not manage the channels of `workspace` (null: the fleet's); undefined: it
 * may. An API token limited to some roles must carry the authority among them too.
 */
export function channelAuthorityProblem(
  caller: Pick<ChannelCaller, "access" | "subject">,
  workspace: string | null,
): string | undefined {
  const { access, subject } = caller;
  if (access === OPEN_ACCESS) return undefined;
  const carried = (role: string, inWorkspace?: string) =>
    subject.restrictedTo === undefined ||
    subject.restrictedTo.some((r) => r.role === role && r.workspace === inWorkspace);
  if (access.roles().some((r) => r.role === "platform-admin") && carried("platform-admin")) return undefined;
  if (workspace === null) return "fleet channels (for cluster-level alerts) are managed by platform admins";
  if (access.workspaceRole(workspace) === "workspace-admin" && carried("workspace-admin", workspace))
    return undefined;
  return `only an admin of workspace ${workspace} (or a platform admin) manages its notification channels`;
}

/** A store that cannot answer, or writers that keep colliding: the caller's to retry. */
async function unavailableAsError<T>(run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ChannelConflictError || error instanceof StoreUnavailableError)
      return fail("UNAVAILABLE", `${error.message}: try again`);
    throw error;
  }
}

export class ChannelCommands {
  constructor(
    private readonly channels: ChannelStore,
    private readonly caller: ChannelCaller,
  ) {}

  /** The channels the caller manages: of `workspace` when given (FORBIDDEN outside its authority). */
  async list(workspace: string | null | undefined): Promise<ChannelInfo[]> {
    if (workspace !== undefined) {
      const refused = channelAuthorityProblem(this.caller, workspace);
      if (refused !== undefined) throw new QueryAccessError("workspace", refused);
    }
    return (await this.channels.all())
      .filter((c) => (workspace === undefined ? this.manages(c) : c.workspace === workspace))
      .map(channelInfo);
  }

  /** The channel when the caller manages it; undefined otherwise (it is not told it exists). */
  async managed(id: string): Promise<StoredChannel | undefined> {
    const found = await this.channels.get(id);
    return found && this.manages(found) ? found : undefined;
  }

  create(input: NewChannel): Promise<Outcome<ChannelInfo>> {
    return audited(
      this.caller.audit,
      "notificationChannel.create",
      (v) => ({ resource: `notificationChannel/${v?.id ?? input.name}` }),
      () => unavailableAsError(() => this.doCreate(input)),
    );
  }

  update(input: ChannelChange): Promise<Outcome<ChannelInfo>> {
    return audited(
      this.caller.audit,
      "notificationChannel.update",
      () => ({ resource: `notificationChannel/${input.id}` }),
      () => unavailableAsError(() => this.doUpdate(input)),
    );
  }

  delete(id: string): Promise<Outcome<{ id: string }>> {
    return audited(
      this.caller.audit,
      "notificationChannel.delete",
      () => ({ resource: `notificationChannel/${id}` }),
      () => unavailableAsError(() => this.doDelete(id)),
    );
  }

  private manages(c: StoredChannel): boolean {
    return channelAuthorityProblem(this.caller, c.workspace) === undefined;
  }

  private async doCreate(input: NewChannel): Promise<Outcome<ChannelInfo>> {
    const errors: UserError[] = [
      ...(input.workspace === null ? [] : workspaceProblems(input.workspace, ["input", "workspace"])),
      ...nameProblems(input.name, ["input", "name"]),
    ];
    const { target, errors: targetErrors } = targetOf(input.kind, input, undefined, ["input"]);
    errors.push(...targetErrors);
    if (errors.length > 0 || !target) return { ok: false, errors };
    const refused = channelAuthorityProblem(this.caller, input.workspace);
    if (refused !== undefined) return fail("FORBIDDEN", refused, ["input", "workspace"]);
    const now = Date.now();
    const created: StoredChannel = {
      id: randomUUID(),
      name: input.name.trim(),
      workspace: input.workspace,
      enabled: input.enabled ?? true,
      target,
      createdBy: this.caller.subject.user,
      createdAt: now,
      updatedAt: now,
    };
    const full = await this.channels.edit((list) => {
      if (list.filter((c) => c.workspace === input.workspace).length >= MAX_CHANNELS_PER_WORKSPACE)
        return { result: true };
      return { next: [...list, created], result: false };
    });
    if (full)
      return fail(
        "BAD_USER_INPUT",
        `a workspace has at most ${MAX_CHANNELS_PER_WORKSPACE} channels: delete one first`,
        ["input", "workspace"],
      );
    return { ok: true, value: channelInfo(created) };
  }

  private async doUpdate(input: ChannelChange): Promise<Outcome<ChannelInfo>> {
    const current = await this.managed(input.id);
    if (!current)
      return fail("NOT_FOUND", `no notification channel ${input.id} that you manage`, ["input", "id"]);
    const errors = input.name !== undefined ? nameProblems(input.name, ["input", "name"]) : [];
    // A target that cannot be opened is kept as it is, unless the input gives it anew (in full).
    const previous = isUnreadable(current.target) ? undefined : current.target;
    const { target, errors: targetErrors } =
      previous === undefined && input.url === undefined && input.email === undefined
        ? { target: current.target, errors: [] }
        : targetOf(current.target.kind, input, previous, ["input"]);
    errors.push(...targetErrors);
    if (errors.length > 0 || !target) return { ok: false, errors };
    const updated = await this.channels.edit((list) => {
      const stored = list.find((c) => c.id === input.id);
      if (!stored) return { result: undefined };
      const next: StoredChannel = {
        ...stored,
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        // Not given anew: the target as stored now, not as read before (another replica's change).
        target: input.url === undefined && input.email === undefined ? stored.target : target,
        updatedAt: Date.now(),
      };
      return { next: list.map((c) => (c.id === input.id ? next : c)), result: next };
    });
    if (!updated)
      return fail("NOT_FOUND", `notification channel ${input.id} was deleted meanwhile`, ["input", "id"]);
    return { ok: true, value: channelInfo(updated) };
  }

  private async doDelete(id: string): Promise<Outcome<{ id: string }>> {
    if (!(await this.managed(id)))
      return fail("NOT_FOUND", `no notification channel ${id} that you manage`, ["input", "id"]);
    await this.channels.edit((list) =>
      list.some((c) => c.id === id)
        ? { next: list.filter((c) => c.id !== id), result: undefined }
        : { result: undefined },
    );
    return { ok: true, value: { id } };
  }
}
