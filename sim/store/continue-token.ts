/**
 * Continue tokens as the real API server shapes them: opaque base64 of the list's revision and the
 * last key returned. A token that does not decode is a 400, as on a real server.
 */
import { statusErrors } from "../errors.js";

export interface ContinueKey {
  rv: number;
  start: string;
}

export function encodeContinue(key: ContinueKey): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: key.rv, start: key.start })).toString(
    "base64url",
  );
}

export function decodeContinue(token: string): ContinueKey {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<{
      v: string;
      rv: number;
      start: string;
    }>;
    if (parsed.v !== "meta.k8s.io/v1" || typeof parsed.rv !== "number" || typeof parsed.start !== "string") {
      throw new Error("unrecognised continue token");
    }
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw statusErrors.badRequest(
      `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
    );
  }
}
