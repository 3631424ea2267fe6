/**
 * The Kubernetes protobuf envelope: the magic bytes "k8s\0" followed by a runtime.Unknown
 * {typeMeta: {apiVersion, kind}, raw, contentEncoding, contentType} whose `raw` is the object.
 */
import type { JsonObject } from "../../../src/kube/object.js";
import { POLICY_SCHEMAS } from "./policy-schemas.js";
import { PROTOBUF_SCHEMAS } from "./schemas.js";
import { decodeMessage, ProtobufError, type MessageSchema } from "./wire.js";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

const TYPE_META: MessageSchema = {
  name: "TypeMeta",
  fields: { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } },
};
const UNKNOWN: MessageSchema = {
  name: "Unknown",
  fields: {
    1: { name: "typeMeta", type: TYPE_META },
    2: { name: "raw", type: "bytes" },
    3: { name: "contentEncoding", type: "string" },
    4: { name: "contentType", type: "string" },
  },
};

export { ProtobufError };

/** Decodes an enveloped object into its JSON form, kind and apiVersion included. */
export function decodeKubeProtobuf(data: Uint8Array): JsonObject {
  if (data.length < MAGIC.length || MAGIC.some((byte, i) => data[i] !== byte)) {
    throw new ProtobufError(
      "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    );
  }
  const unknown = decodeMessage(data.subarray(MAGIC.length), UNKNOWN);
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? "";
  const kind = typeMeta.kind ?? "";
  const schema = PROTOBUF_SCHEMAS[`${apiVersion}/${kind}`] ?? POLICY_SCHEMAS[`${apiVersion}/${kind}`];
  if (!schema)
    throw new ProtobufError(
      `protobuf encoding of ${apiVersion}, Kind=${kind} is not supported by the simulator`,
    );
  const raw = typeof unknown.raw === "string" ? Buffer.from(unknown.raw, "base64") : new Uint8Array();
  return { kind, apiVersion, ...decodeMessage(raw, schema) };
}
