/**
 * A gateway's HTTP layer reduced to the login routes (express on node:http, as src/server/http.ts
 * mounts them), the demo identity provider it logs in against, and in-memory sessions.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { loginRoutes, type LoginOptions } from "../../auth/identity/login-routes.js";
import {
  GATEWAY_CLIENT_ID,
  GATEWAY_CLIENT_SECRET,
  startDemoIdentity,
  type DemoIdentity,
} from "../../src/demo-identity/index.js";
import { MemorySessions } from "../support/memory-sessions.js";

export interface LoginFixture {
  gateway: string;
  idp: DemoIdentity;
  sessions: MemorySessions;
  options: LoginOptions;
  stop(): Promise<void>;
}

export async function startLoginFixture(): Promise<LoginFixture> {
  const app = express();
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp = await startDemoIdentity({ redirectUri: `${gateway}/auth/callback` });
  const sessions = new MemorySessions();
  const options: LoginOptions = {
    issuer: idp.issuer,
    clientId: GATEWAY_CLIENT_ID,
    clientSecret: GATEWAY_CLIENT_SECRET,
    publicUrl: gateway,
    stateSecret: randomBytes(32),
    allowInsecureRequests: true,
  };
  app.use(loginRoutes(options, { sessions, authenticator: sessions }));
  return {
    gateway,
    idp,
    sessions,
    options,
    stop: async () => {
      await close(server);
      await idp.stop();
    },
  };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
