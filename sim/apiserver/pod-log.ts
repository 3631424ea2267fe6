/**
 * GET pods/<name>/log: a container's log as text/plain, from the cluster's PodLogSource. With
 * follow=true the response stays open and streams until the source ends or the client leaves.
 */
import { isJsonObject } from "../../src/kube/object.js";
import { statusErrors } from "../errors.js";
import type { PodLogRequest } from "./context.js";
import { parseBool } from "./request-info.js";
import type { ResourceRequest } from "./resource-request.js";

export async function serveLog(r: ResourceRequest): Promise<void> {
  const pod = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const request: PodLogRequest = {
    namespace: r.namespace ?? "",
    pod: r.name,
    container: chooseContainer(r.name, pod.spec, r.query.get("container") ?? ""),
    timestamps: parseBool(r.query.get("timestamps")),
    follow: parseBool(r.query.get("follow")),
    previous: parseBool(r.query.get("previous")),
  };
  const tailLines = optionalInt(r.query, "tailLines", 0);
  if (tailLines !== undefined) request.tailLines = tailLines;
  const sinceSeconds = optionalInt(r.query, "sinceSeconds", 1);
  if (sinceSeconds !== undefined) request.sinceSeconds = sinceSeconds;

  const source = r.ctx.logs.open(request);
  const res = r.reply.res;
  r.reply.startStream("text/plain");
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = (abrupt: boolean): void => {
      if (done) return;
      done = true;
      unregister();
      source.destroy();
      if (abrupt) res.destroy();
      else res.end();
      resolve();
    };
    const unregister = r.streams.add("log", finish);
    source.on("data", (chunk: Buffer | string) => res.write(chunk));
    source.on("end", () => finish(false));
    source.on("error", () => finish(true));
    res.on("close", () => finish(true));
  });
}

function chooseContainer(pod: string, spec: unknown, requested: string): string {
  const names = (field: string): string[] => {
    const list = isJsonObject(spec) ? spec[field] : undefined;
    return Array.isArray(list) ? list.filter(isJsonObject).map((c) => String(c.name)) : [];
  };
  const containers = names("containers");
  if (requested) {
    const known = [...containers, ...names("initContainers"), ...names("ephemeralContainers")];
    if (!known.includes(requested))
      throw statusErrors.badRequest(`container ${requested} is not valid for pod ${pod}`);
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  if (containers.length === 0)
    throw statusErrors.badRequest(`a container name must be specified for pod ${pod}`);
  throw statusErrors.badRequest(
    `a container name must be specified for pod ${pod}, choose one of: [${containers.join(" ")}]`,
  );
}

function optionalInt(query: URLSearchParams, name: string, min: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw statusErrors.invalid("", "PodLogOptions", "", [
      { field: name, message: `Invalid value: ${raw}: must be greater than or equal to ${min}` },
    ]);
  }
  return value;
}
