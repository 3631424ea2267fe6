/** The `auth` section of a config file -> AuthSettings: defaults applied, secret files read. */
import { readFileSync } from "node:fs";
import type { AuthEntry } from "./auth-schema.js";
import type { AuthSettings } from "./auth-types.js";
import { resolvePath } from "./credentials.js";

/** A secret file that could not be read, with the field that names it. */
export class SecretFileProblem extends Error {
  constructor(
    readonly field: PropertyKey[],
    message: string,
  ) {
    super(message);
    this.name = "SecretFileProblem";
  }
}

/** A secret file's trimmed content; SecretFileProblem (naming `field`) when unreadable or empty. */
export function readSecretFile(file: string, baseDir: string, field: PropertyKey[]): string {
  const path = resolvePath(file, baseDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (e) {
    throw new SecretFileProblem(
      field,
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (text === "") throw new SecretFileProblem(field, `${path} is empty`);
  return text;
}

export function buildAuthSettings(entry: AuthEntry, baseDir: string): AuthSettings {
  const read = (file: string, field: PropertyKey[]): string => readSecretFile(file, baseDir, field);
  const settings: AuthSettings = {
    sessions: {
      accessTokenTtlSeconds: entry.sessions.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: entry.sessions.refreshTokenTtlSeconds,
      signingKeys: entry.sessions.signingKeys.map((k, i) => ({
        id: k.id,
        secret: k.secret ?? read(k.secretFile ?? "", ["auth", "sessions", "signingKeys", i, "secretFile"]),
      })),
    },
    roleBindings: entry.roleBindings.map((b) => ({ ...b, users: [...b.users], groups: [...b.groups] })),
  };
  if (entry.publicUrl !== undefined) settings.publicUrl = entry.publicUrl.replace(/\/+$/, "");
  if (entry.redis) settings.redis = { ...entry.redis };
  if (entry.oidc) {
    const { clientSecretFile, audiences, ...oidc } = entry.oidc;
    const secret =
      oidc.clientSecret ??
      (clientSecretFile === undefined
        ? undefined
        : read(clientSecretFile, ["auth", "oidc", "clientSecretFile"]));
    settings.oidc = {
      ...oidc,
      issuer: oidc.issuer.replace(/\/+$/, ""),
      audiences: audiences ?? [oidc.clientId],
      ...(secret !== undefined ? { clientSecret: secret } : {}),
    };
  }
  if (entry.opa) {
    const { tokenFile, token, ...opa } = entry.opa;
    const resolved =
      token ?? (tokenFile === undefined ? undefined : read(tokenFile, ["auth", "opa", "tokenFile"]));
    settings.opa = {
      ...opa,
      url: opa.url.replace(/\/+$/, ""),
      ...(resolved !== undefined ? { token: resolved } : {}),
    };
  }
  return settings;
}
