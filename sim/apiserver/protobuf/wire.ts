/**
 * A protobuf wire-format reader driven by small hand-written schemas: enough to decode the
 * request bodies kubectl 1.32 sends as `application/vnd.kubernetes.protobuf` (its typed clients
 * encode built-in kinds that way). Unknown fields are an error, never silently dropped.
 */
import type { JsonObject } from "../../../src/kube/object.js";

/**
 * `quantity` is resource.Quantity, a message whose field 1 holds the JSON form's string;
 * `intOrString` is intstr.IntOrString {type, intVal, strVal}, a number or a string in JSON.
 */
export type Scalar = "string" | "bytes" | "bool" | "int" | "time" | "quantity" | "intOrString";

export interface FieldSpec {
  name: string;
  type: Scalar | MessageSchema;
  repeated?: boolean;
  /** map<string, V>: entries are messages {1: key, 2: value}; `type` is V. */
  map?: boolean;
  /** An embedded struct (`json:",inline"`): its fields appear in the parent's JSON. */
  inline?: boolean;
}

export interface MessageSchema {
  name: string;
  fields: Record<number, FieldSpec>;
}

export class ProtobufError extends Error {
  override readonly name = "ProtobufError";
}

export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufError("truncated varint");
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ProtobufError("varint too long");
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.buf.length) throw new ProtobufError("truncated length-delimited field");
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw new ProtobufError(`unsupported wire type ${wireType}`);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes one message into JSON the way the JSON encoding would show it (empty strings and zero numbers omitted). */
export function decodeMessage(buf: Uint8Array, schema: MessageSchema): JsonObject {
  const reader = new WireReader(buf);
  const out: JsonObject = {};
  while (!reader.done) {
    const tag = reader.varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    const field = schema.fields[number];
    if (!field) throw new ProtobufError(`${schema.name}: field ${number} is not supported by the simulator`);
    if (field.map) {
      const entry = new WireReader(reader.bytes());
      let key = "";
      let value: unknown = field.type === "string" ? "" : undefined;
      while (!entry.done) {
        const entryTag = entry.varint();
        if (entryTag === 0x0a) key = utf8.decode(entry.bytes());
        else if (entryTag === 0x12) value = scalarOrMessage(entry, field.type, 2);
        else entry.skip(entryTag % 8);
      }
      const map = (out[field.name] ??= {}) as JsonObject;
      map[key] = value ?? (typeof field.type === "object" ? {} : "");
      continue;
    }
    const value = scalarOrMessage(reader, field.type, wireType);
    if (field.inline && value && typeof value === "object") Object.assign(out, value);
    // An element of a list is kept even when empty: apiGroups [""] is the core group, not nothing.
    else if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value ?? emptyOf(field.type));
    else if (value !== undefined) out[field.name] = value;
  }
  return out;
}

/** The JSON value of a scalar the wire encodes as its zero value. */
function emptyOf(type: Scalar | MessageSchema): unknown {
  if (typeof type === "object") return {};
  return type === "int" ? 0 : type === "bool" ? false : "";
}

function scalarOrMessage(reader: WireReader, type: Scalar | MessageSchema, wireType: number): unknown {
  if (typeof type === "object") return decodeMessage(reader.bytes(), type);
  switch (type) {
    case "string": {
      const text = utf8.decode(reader.bytes());
      return text === "" ? undefined : text;
    }
    case "bytes":
      return Buffer.from(reader.bytes()).toString("base64");
    case "bool":
      return reader.varint() !== 0;
    case "int": {
      if (wireType !== 0) throw new ProtobufError("expected a varint");
      const n = reader.varint();
      return n === 0 ? undefined : n;
    }
    case "quantity":
      return decodeMessage(reader.bytes(), QUANTITY).string ?? "0";
    case "intOrString": {
      const value = decodeMessage(reader.bytes(), INT_OR_STRING);
      // Type 1 is String; an absent intVal is the zero the encoder left out.
      return value.type === 1 ? (value.strVal ?? "") : (value.intVal ?? 0);
    }
    case "time": {
      const time = decodeMessage(reader.bytes(), TIME);
      const seconds = typeof time.seconds === "number" ? time.seconds : 0;
      return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
  }
}

const QUANTITY: MessageSchema = { name: "Quantity", fields: { 1: { name: "string", type: "string" } } };

const INT_OR_STRING: MessageSchema = {
  name: "IntOrString",
  fields: {
    1: { name: "type", type: "int" },
    2: { name: "intVal", type: "int" },
    3: { name: "strVal", type: "string" },
  },
};

const TIME: MessageSchema = {
  name: "Time",
  fields: { 1: { name: "seconds", type: "int" }, 2: { name: "nanos", type: "int" } },
};
