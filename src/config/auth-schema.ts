/**
 * The `auth` section of a config file: the OpenID provider, the gateway's sessions, the shared
 * store, OPA and role bindings. Structure and the rules between fields only; secret files are
 * read by auth-settings.ts.
 */
import * as z from "zod";
import { strict } from "./strict.js";
import { bindingProblems } from "../../auth/access/roles.js";
import { DEFAULT_OIDC_ALGORITHMS, DEFAULT_SESSION_SETTINGS } from "./auth-types.js";

const nonEmpty = z.string().min(1);

const httpUrl = z.string().refine((text) => {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === "";
}, "must be an https:// or http:// URL (no query or fragment)");

const secretOrFile = { secret: nonEmpty.optional(), secretFile: nonEmpty.optional() };

const oidc = strict({
  issuer: httpUrl,
  clientId: nonEmpty,
  clientSecret: nonEmpty.optional(),
  clientSecretFile: nonEmpty.optional(),
  audiences: z.array(nonEmpty).min(1).optional(),
  usernameClaim: nonEmpty.default("preferred_username"),
  groupsClaim: nonEmpty.default("groups"),
  usernamePrefix: z.string().default(""),
  groupsPrefix: z.string().default(""),
  algorithms: z
    .array(
      z.string().refine((alg) => alg !== "none" && !alg.startsWith("HS"), {
        message: 'must be an asymmetric algorithm: "none" and HS* cannot verify a provider\'s public keys',
      }),
    )
    .min(1)
    .default(DEFAULT_OIDC_ALGORITHMS),
  clockSkewSeconds: z.int().min(0).max(300).default(30),
  scopes: z.array(nonEmpty).default(["openid", "profile", "email", "groups"]),
  allowInsecureHttp: z.boolean().default(false),
}).superRefine((o, ctx) => {
  if (o.clientSecret !== undefined && o.clientSecretFile !== undefined)
    ctx.addIssue({
      code: "custom",
      message: "cannot be combined with clientSecret",
      path: ["clientSecretFile"],
    });
  if (o.issuer.startsWith("http:") && !o.allowInsecureHttp)
    ctx.addIssue({
      code: "custom",
      message: "is plain http: use https, or set allowInsecureHttp: true (tests and demos only)",
      path: ["issuer"],
    });
});

const signingKey = strict({ id: nonEmpty, ...secretOrFile }).refine(
  (k) => (k.secret === undefined) !== (k.secretFile === undefined),
  {
    message: "needs exactly one of secret or secretFile",
  },
);

const sessions = strict({
  accessTokenTtlSeconds: z
    .int()
    .min(30)
    .max(24 * 3600)
    .default(DEFAULT_SESSION_SETTINGS.accessTokenTtlSeconds),
  refreshTokenTtlSeconds: z
    .int()
    .min(60)
    .max(90 * 24 * 3600)
    .default(DEFAULT_SESSION_SETTINGS.refreshTokenTtlSeconds),
  signingKeys: z
    .array(signingKey)
    .default([])
    .superRefine((keys, ctx) => {
      const seen = new Set<string>();
      keys.forEach((k, i) => {
        if (seen.has(k.id))
          ctx.addIssue({ code: "custom", message: `duplicate key id "${k.id}"`, path: [i, "id"] });
        seen.add(k.id);
      });
    }),
});

const redis = strict({
  url: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL"),
  keyPrefix: z.string().default("fleetgraph:"),
});

const opa = strict({
  url: httpUrl,
  scopePath: nonEmpty.default("fleetgraph/scope"),
  allowPath: nonEmpty.default("fleetgraph/allow"),
  timeoutMs: z.int().min(1).max(60_000).default(500),
  cacheSeconds: z.int().min(0).max(3600).default(10),
  token: nonEmpty.optional(),
  tokenFile: nonEmpty.optional(),
}).superRefine((o, ctx) => {
  if (o.token !== undefined && o.tokenFile !== undefined)
    ctx.addIssue({ code: "custom", message: "cannot be combined with token", path: ["tokenFile"] });
});

const roleBinding = strict({
  role: nonEmpty,
  users: z.array(nonEmpty).default([]),
  groups: z.array(nonEmpty).default([]),
  cluster: nonEmpty.optional(),
  workspace: nonEmpty.optional(),
  namespace: nonEmpty.optional(),
}).superRefine((b, ctx) => {
  for (const problem of bindingProblems(b))
    ctx.addIssue({ code: "custom", message: problem.message, path: [problem.field] });
});

export const authSchema = strict({
  publicUrl: httpUrl.optional(),
  oidc: oidc.optional(),
  sessions: sessions.prefault({}),
  redis: redis.optional(),
  opa: opa.optional(),
  roleBindings: z.array(roleBinding).default([]),
});

export type AuthEntry = z.output<typeof authSchema>;
