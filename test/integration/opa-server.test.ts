/**
 * The OPA stand-in answers as OPA's REST API documents it ("Get a Document (with Input)"), checked
 * with plain fetch so the tests of OpaPolicySource rest on a faithful server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpaTestServer } from "../support/opa-server.js";

let opa: OpaTestServer;

beforeAll(async () => {
  opa = await OpaTestServer.start({
    decisions: {
      "example/allow": (input) => (input as { flag?: boolean } | undefined)?.flag === true || undefined,
      "example/broken": () => {
        throw new Error("eval_type_error: count: operand 1 must be one of {array, object, set, string}");
      },
    },
  });
});

afterAll(async () => {
  await opa?.close();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${opa.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe("POST /v1/data/{path}", () => {
  it("answers a defined decision with `result` and an undefined one with 200 and no `result`", async () => {
    expect(await post("/v1/data/example/allow", '{"input":{"flag":true}}')).toEqual({
      status: 200,
      body: '{"result":true}',
    });
    expect(await post("/v1/data/example/allow", '{"input":{"flag":false}}')).toEqual({
      status: 200,
      body: "{}",
    });
    expect(await post("/v1/data/no/such/rule", '{"input":{}}')).toEqual({ status: 200, body: "{}" });
  });

  it("records every input document with its path and query", async () => {
    opa.received.length = 0;
    await post("/v1/data/example/allow?metrics=true", '{"input":{"flag":true,"who":"x"}}');
    expect(opa.received).toEqual([
      { path: "example/allow", input: { flag: true, who: "x" }, query: { metrics: "true" } },
    ]);
  });

  it("refuses a body that is not JSON with 400 invalid_parameter", async () => {
    const res = await post("/v1/data/example/allow", "{input:");
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      code: "invalid_parameter",
      message: expect.stringMatching(/^body contains malformed input document: /),
    });
  });

  it("evaluates without input when the body has no `input` key, with OPA's usage warning", async () => {
    const res = await post("/v1/data/example/allow", '{"flag":true}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      warning: { code: "api_usage_warning", message: "'input' key missing from the request" },
    });
  });

  it("answers an evaluation error with 500 internal_error", async () => {
    const res = await post("/v1/data/example/broken", '{"input":{}}');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      code: "internal_error",
      message: "eval_type_error: count: operand 1 must be one of {array, object, set, string}",
    });
  });

  it("adds metrics and provenance when asked", async () => {
    const res = JSON.parse(
      (await post("/v1/data/example/allow?metrics&provenance", '{"input":{"flag":true}}')).body,
    );
    expect(res.result).toBe(true);
    expect(Object.keys(res.metrics as object)).toContain("timer_rego_query_eval_ns");
    expect(res.provenance).toMatchObject({ version: expect.any(String) });
  });

  it("answers routes it does not serve 404, as OPA's router does for unknown ones", async () => {
    expect((await post("/v0/nothing", "{}")).status).toBe(404);
    expect((await fetch(`${opa.url}/v1/nothing`)).status).toBe(404);
  });
});

describe("with token authentication", () => {
  it("answers 401 unauthorized without the right bearer token", async () => {
    const guarded = await OpaTestServer.start({ decisions: { "a/b": () => 1 }, token: "t0ken" });
    try {
      const url = `${guarded.url}/v1/data/a/b`;
      const wrong = await fetch(url, {
        method: "POST",
        body: "{}",
        headers: { authorization: "Bearer nope" },
      });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({
        code: "unauthorized",
        message: "request rejected by administrative policy",
      });
      const right = await fetch(url, {
        method: "POST",
        body: '{"input":1}',
        headers: { authorization: "Bearer t0ken" },
      });
      expect(await right.json()).toEqual({ result: 1 });
    } finally {
      await guarded.close();
    }
  });
});
