/**
 * A channel's fields as a caller gives them, checked into what is stored: names, workspaces,
 * URLs (target-address.ts) and e-mail addresses; each problem names its input field.
 */
import { validateLabelValue } from "../kube/label-selector.js";
import type { UserError } from "../request/tenancy.js";
import type { ChannelKind, ChannelTarget, SmtpServer } from "./channel.js";
import { hostProblem, webhookUrlProblem } from "./target-address.js";

export interface EmailInput {
  from: string;
  to: readonly string[];
  smtpHost: string;
  smtpPort: number;
  /** TLS from the first byte (465); default: port 465 only. */
  secure?: boolean;
  username?: string;
  /** Omitted on update: the stored one is kept. */
  password?: string;
}

/** The target part of a create or update: a URL for webhook and Slack, the mail settings for e-mail. */
export interface TargetInput {
  url?: string;
  email?: EmailInput;
}

const MAX_NAME = 100;
const MAX_RECIPIENTS = 50;
// Deliberately plain: one @, no spaces or angle brackets (no display names, no header injection).
const MAILBOX = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

export const problem = (field: string[], message: string): UserError => ({
  field,
  message,
  code: "BAD_USER_INPUT",
});

export function nameProblems(name: string, field: string[]): UserError[] {
  const trimmed = name.trim();
  return trimmed === "" || trimmed.length > MAX_NAME
    ? [problem(field, `name must be 1 to ${MAX_NAME} characters`)]
    : [];
}

export function workspaceProblems(workspace: string, field: string[]): UserError[] {
  const p = workspace === "" ? "must not be empty" : validateLabelValue(workspace);
  return p === undefined ? [] : [problem(field, `not a workspace name: ${p}`)];
}

/**
 * The target of `kind` from the input (over `previous` on update); errors when a field is
 * missing, foreign to the kind or bad.
 */
export function targetOf(
  kind: ChannelKind,
  input: TargetInput,
  previous: ChannelTarget | undefined,
  at: string[],
): { target?: ChannelTarget; errors: UserError[] } {
  if (kind === "email") {
    if (input.url !== undefined)
      return { errors: [problem([...at, "url"], "an e-mail channel has no URL: give `email`")] };
    if (input.email === undefined) {
      return previous
        ? { target: previous, errors: [] }
        : { errors: [problem([...at, "email"], "an e-mail channel needs `email`")] };
    }
    const kept = previous?.kind === "email" ? previous.smtp.password : undefined;
    return emailTarget(input.email, kept, [...at, "email"]);
  }
  if (input.email !== undefined)
    return { errors: [problem([...at, "email"], `a ${kind} channel sends to a URL: give \`url\``)] };
  if (input.url === undefined) {
    return previous
      ? { target: previous, errors: [] }
      : { errors: [problem([...at, "url"], `a ${kind} channel needs \`url\``)] };
  }
  const bad = webhookUrlProblem(input.url);
  if (bad !== undefined) return { errors: [problem([...at, "url"], `url ${bad}`)] };
  return { target: { kind, url: input.url }, errors: [] };
}

function emailTarget(
  e: EmailInput,
  keptPassword: string | undefined,
  at: string[],
): { target?: ChannelTarget; errors: UserError[] } {
  const errors: UserError[] = [];
  if (!MAILBOX.test(e.from)) errors.push(problem([...at, "from"], `"${e.from}" is not an e-mail address`));
  if (e.to.length === 0 || e.to.length > MAX_RECIPIENTS)
    errors.push(problem([...at, "to"], `give 1 to ${MAX_RECIPIENTS} recipients`));
  e.to.forEach((to, i) => {
    if (!MAILBOX.test(to)) errors.push(problem([...at, "to", String(i)], `"${to}" is not an e-mail address`));
  });
  const host =
    hostProblem(e.smtpHost) ?? (/^[A-Za-z0-9.:[\]-]+$/.test(e.smtpHost) ? undefined : "is not a host name");
  if (host !== undefined) errors.push(problem([...at, "smtpHost"], `smtpHost ${host}`));
  if (!Number.isInteger(e.smtpPort) || e.smtpPort < 1 || e.smtpPort > 65535)
    errors.push(problem([...at, "smtpPort"], "smtpPort must be 1 to 65535"));
  if ((e.username === undefined) !== (e.password === undefined && keptPassword === undefined))
    errors.push(problem([...at, "password"], "give username and password together, or neither"));
  if (errors.length > 0) return { errors };
  const password = e.password ?? keptPassword;
  const smtp: SmtpServer = {
    host: e.smtpHost,
    port: e.smtpPort,
    secure: e.secure ?? e.smtpPort === 465,
    ...(e.username !== undefined ? { username: e.username } : {}),
    ...(e.username !== undefined && password !== undefined ? { password } : {}),
  };
  return { target: { kind: "email", smtp, from: e.from, to: [...e.to] }, errors: [] };
}
