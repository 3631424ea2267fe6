/**
 * Reading and decoding request bodies: JSON (client-node, kubectl's dynamic client) and the
 * Kubernetes protobuf envelope (kubectl's typed clients) for object writes.
 */
import type { IncomingMessage } from "node:http";
import { isJsonObject, type JsonObject } from "../../src/kube/object.js";
import { StatusError, statusErrors } from "../errors.js";
import { decodeKubeProtobuf, ProtobufError } from "./protobuf/envelope.js";

/** The real server's limit for a request body (3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const PROTOBUF = "application/vnd.kubernetes.protobuf";

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new StatusError(413, "BadRequest", "Request entity too large: limit is 3145728");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readText(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString("utf8");
}

/** Parses JSON text; any syntax error is a 400 BadRequest like the server's decoder error. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw statusErrors.badRequest(`json: cannot unmarshal request body: ${(error as Error).message}`);
  }
}

export function parseJsonObject(text: string): JsonObject {
  const value = parseJson(text);
  if (!isJsonObject(value)) throw statusErrors.badRequest("the body of the request must be a JSON object");
  return value;
}

/** The media type of a request without parameters, lowercased ("application/json"). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** An object body (create, update, reviews) in JSON or protobuf. */
export async function readObject(req: IncomingMessage): Promise<JsonObject> {
  return decodeObject(mediaType(req), await readBody(req));
}

/** Like readObject, but an empty body is an empty object (DeleteOptions are optional). */
export async function readOptionalObject(req: IncomingMessage): Promise<JsonObject> {
  const body = await readBody(req);
  return body.length === 0 ? {} : decodeObject(mediaType(req), body);
}

function decodeObject(type: string, body: Buffer): JsonObject {
  if (type === PROTOBUF) {
    try {
      return decodeKubeProtobuf(body);
    } catch (error) {
      if (error instanceof ProtobufError) throw statusErrors.badRequest(error.message);
      throw error;
    }
  }
  if (type !== "" && type !== "application/json") throw statusErrors.unsupportedMediaType(type);
  return parseJsonObject(body.toString("utf8"));
}
