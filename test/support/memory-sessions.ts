/**
 * A SessionIssuer and Authenticator kept in memory, for testing the login routes without the real
 * session service: opaque random tokens, rotation on refresh, revocation that both honour.
 */
import { randomBytes } from "node:crypto";
import {
  AuthenticationError,
  type Authenticator,
  type LoggedInUser,
  type SessionIssuer,
  type SessionTokens,
} from "../../auth/identity/contracts.js";
import type { Subject } from "../../auth/subject.js";

interface Session {
  user: LoggedInUser;
  accessToken: string;
  refreshToken: string;
  revoked: boolean;
}

export class MemorySessions implements SessionIssuer, Authenticator {
  readonly sessions = new Map<string, Session>();

  start(user: LoggedInUser): Promise<SessionTokens> {
    const sessionId = token();
    const session = { user, accessToken: token(), refreshToken: token(), revoked: false };
    this.sessions.set(sessionId, session);
    return Promise.resolve(tokensOf(sessionId, session));
  }

  refresh(refreshToken: string): Promise<SessionTokens> {
    const found = [...this.sessions].find(([, s]) => s.refreshToken === refreshToken && !s.revoked);
    if (!found) {
      return Promise.reject(
        new AuthenticationError("unknown-token", "unknown, used or revoked refresh token"),
      );
    }
    const [sessionId, session] = found;
    session.accessToken = token();
    session.refreshToken = token();
    return Promise.resolve(tokensOf(sessionId, session));
  }

  revoke(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (session) session.revoked = true;
    return Promise.resolve();
  }

  idTokenOf(sessionId: string): Promise<string | undefined> {
    return Promise.resolve(this.sessions.get(sessionId)?.user.idToken);
  }

  authenticate(bearerToken: string | undefined): Promise<Subject> {
    const found = [...this.sessions].find(([, s]) => s.accessToken === bearerToken);
    if (!found) return Promise.reject(new AuthenticationError("unknown-token", "unknown access token"));
    const [sessionId, session] = found;
    if (session.revoked) return Promise.reject(new AuthenticationError("revoked", "the session was ended"));
    return Promise.resolve({
      user: session.user.user,
      groups: session.user.groups,
      source: "session",
      tokenId: sessionId,
    });
  }
}

function token(): string {
  return randomBytes(18).toString("base64url");
}

function tokensOf(sessionId: string, session: Session): SessionTokens {
  return { accessToken: session.accessToken, refreshToken: session.refreshToken, expiresIn: 900, sessionId };
}
