/**
 * GET pods/<name>/log: a container's log as text/plain, from the cluster's PodLogSource. With
 * follow=true the response stays open and streams until the source ends or the client leaves.
 * Query parameters as the real API server takes them: container, follow, previous, timestamps,
 * tailLines, and one of sinceSeconds or sinceTime (RFC 3339).
 */
import { isJsonObject } from "../../src/kube/object.js";
import { statusErrors } from "../errors.js";
import type { PodLogRequest } from "./context.js";
import { parseBool } from "./request-info.js";
import type { ResourceRequest } from "./resource-request.js";

export async function serveLog(r: ResourceRequest): Promise<void> {
  // The real server's order: decode the query (400), validate the options (422), then find the
  // pod (404) and its container (400).
  const tailLines = optionalInt(r.query, "tailLines", 0);
  const sinceSeconds = optionalInt(r.query, "sinceSeconds", 1);
  const sinceTime = optionalTime(r.query, "sinceTime");
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    throw statusErrors.invalid("", "PodLogOptions", r.name, [
      {
        field: "",
        reason: "FieldValueForbidden",
        message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
      },
    ]);
  }
  const pod = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const request: PodLogRequest = {
    namespace: r.namespace ?? "",
    pod: r.name,
    container: chooseContainer(r.name, pod.spec, r.query.get("container") ?? ""),
    timestamps: parseBool(r.query.get("timestamps")),
    follow: parseBool(r.query.get("follow")),
    previous: parseBool(r.query.get("previous")),
  };
  if (tailLines !== undefined) request.tailLines = tailLines;
  if (sinceSeconds !== undefined) request.sinceSeconds = sinceSeconds;
  // The API server passes sinceTime on to the kubelet formatted as RFC 3339 without fractional
  // seconds: the kubelet sees the whole second.
  if (sinceTime !== undefined) request.sinceTime = Math.floor(sinceTime / 1000) * 1000;

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

/** Go's time.RFC3339 as time.Parse reads it: fractional seconds allowed, "Z" or an offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** A metav1.Time query parameter: epoch ms, or a 400 as the parameter decoder answers. */
function optionalTime(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const refused = () =>
    statusErrors.badRequest(
      `parsing time ${JSON.stringify(raw)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(raw)} as RFC 3339`,
    );
  const m = RFC3339.exec(raw);
  if (!m) throw refused();
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const utc = Date.UTC(year!, month! - 1, day, hour, minute, second);
  const date = new Date(utc);
  // Date.UTC rolls over (February 30th is March 1st); time.Parse refuses out-of-range fields.
  if (
    date.getUTCMonth() !== month! - 1 ||
    date.getUTCDate() !== day ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59
  )
    throw refused();
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const offset = m[9] ? (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000 : 0;
  return utc + fraction - offset;
}
