/**
 * Turning what a config names (files, base64 strings) into the PEM strings and token paths a
 * connection uses. Each check runs at load time so a bad certificate is reported with the line
 * that names it, not as a TLS failure minutes later.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { accessSync, constants, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** A credential that cannot be used; the caller adds the file and line. */
export class CredentialProblem extends Error {
  override readonly name = "CredentialProblem";
}

export type PemKind = "certificate" | "private key";

/** `~/x` -> home; relative paths are taken from `baseDir` (the directory of the file naming them). */
export function resolvePath(path: string, baseDir: string, home: string = homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

export function readPemFile(path: string, kind: PemKind): string {
  return checkPem(readText(path), kind, path);
}

/**
 * `*Data` fields hold base64 of PEM, as in kubeconfig; PEM pasted verbatim is accepted too,
 * since it cannot be mistaken for base64 (it starts with `-----BEGIN`).
 */
export function decodePemData(data: string, kind: PemKind): string {
  const trimmed = data.trim();
  if (trimmed.startsWith("-----BEGIN")) return checkPem(data.trimStart(), kind);
  const compact = trimmed.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new CredentialProblem("must be base64-encoded PEM");
  return checkPem(Buffer.from(compact, "base64").toString("utf8"), kind, "decoded base64");
}

/** Checks that a token file can be read now; its content is read again by the connection. */
export function checkTokenFile(path: string): string {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new CredentialProblem(`cannot read ${path}: ${errorCode(e)}`, { cause: e });
  }
  if (readText(path).trim() === "") throw new CredentialProblem(`${path} is empty`);
  return path;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CredentialProblem(`cannot read ${path}: ${errorCode(e)}`, { cause: e });
  }
}

/** `from` names where the text came from (a file path, decoded base64) for the message. */
function checkPem(text: string, kind: PemKind, from?: string): string {
  const source = from === undefined ? "" : `${from}: `;
  if (!text.includes("-----BEGIN ")) throw new CredentialProblem(`${source}not PEM (no -----BEGIN line)`);
  try {
    // Node's own parsers decide validity; only the first certificate of a bundle is parsed.
    if (kind === "certificate") new X509Certificate(text);
    else createPrivateKey(text);
  } catch (e) {
    throw new CredentialProblem(`${source}not a valid PEM ${kind}: ${(e as Error).message}`, { cause: e });
  }
  return text;
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code ?? (e as Error).message;
}
