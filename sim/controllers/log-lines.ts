/**
 * Deterministic container logs. Each container instance (pod, container, restart number) has a
 * style chosen from its image (web server access log, JSON app log, logfmt, database log), a
 * cadence, and line i is a pure function of (seed, i): the same pod shows the same log on every
 * run and every read, without storing a byte.
 */
import { fnv32a } from "./template-hash.js";

export type LogStyle = "access" | "json" | "logfmt" | "database";

export interface LogInstance {
  seed: string;
  style: LogStyle;
  /** Epoch milliseconds the instance started. */
  startedAt: number;
  /** Milliseconds between lines, on average. */
  intervalMs: number;
}

export interface LogLine {
  time: number;
  /** Nanoseconds within the millisecond, so timestamps look like the kubelet's RFC 3339 nano. */
  nanos: number;
  text: string;
}

const STARTUP_LINES = 3;

export function logStyleFor(image: string): LogStyle {
  const name = image.toLowerCase();
  if (/nginx|httpd|apache|envoy|haproxy|traefik|caddy|ingress/.test(name)) return "access";
  if (/postgres|mysql|mariadb|redis|mongo|etcd|elasticsearch|kafka|rabbitmq/.test(name)) return "database";
  return fnv32a(name) % 2 === 0 ? "json" : "logfmt";
}

export function instanceFor(seed: string, image: string, startedAt: number): LogInstance {
  return {
    seed,
    style: logStyleFor(image),
    startedAt,
    intervalMs: 1000 + (fnv32a(`${seed}/cadence`) % 4000),
  };
}

function rand(instance: LogInstance, index: number, salt: number): number {
  return fnv32a(`${instance.seed}/${index}/${salt}`);
}

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length]!;
}

export function lineTime(instance: LogInstance, index: number): number {
  if (index < STARTUP_LINES) return instance.startedAt + index * 7;
  // Each line lands somewhere in its own slot, so times stay in order.
  return (
    instance.startedAt +
    index * instance.intervalMs +
    (rand(instance, index, 0) % Math.floor(instance.intervalMs / 2))
  );
}

/** How many lines the instance has written by `until` (epoch ms). */
export function lineCount(instance: LogInstance, until: number): number {
  if (until < instance.startedAt) return 0;
  let n = Math.floor((until - instance.startedAt) / instance.intervalMs) + 1;
  n = Math.max(n, STARTUP_LINES);
  while (n > 0 && lineTime(instance, n - 1) > until) n--;
  return n;
}

export function lineAt(instance: LogInstance, index: number, time = lineTime(instance, index)): LogLine {
  return { time, nanos: rand(instance, index, 1) % 1_000_000, text: render(instance, index, time) };
}

/** The last line of an instance that crashed. */
export function crashLine(instance: LogInstance, time: number, reason: string): LogLine {
  const iso = new Date(time).toISOString();
  const text =
    reason === "OOMKilled"
      ? "fatal error: runtime: out of memory"
      : instance.style === "json"
        ? `{"level":"fatal","ts":"${iso}","msg":"unrecoverable error, exiting","error":"connection refused"}`
        : `time="${iso}" level=fatal msg="unrecoverable error, exiting" error="connection refused"`;
  return { time, nanos: 0, text };
}

const PATHS = [
  "/",
  "/healthz",
  "/api/v1/orders",
  "/api/v1/users/42",
  "/api/v1/cart",
  "/static/app.js",
  "/metrics",
  "/login",
  "/api/v1/search?q=shoes",
];
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const STATUSES = [200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 500];
const AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64)",
  "curl/8.5.0",
  "kube-probe/1.32",
  "Go-http-client/1.1",
  "python-requests/2.31.0",
];
const MESSAGES = [
  "request completed",
  "cache refreshed",
  "processed batch",
  "connection pool stats",
  "scheduled job finished",
  "upstream responded slowly",
  "retrying request",
];
const DB_LINES = [
  "checkpoint starting: time",
  "checkpoint complete: wrote 42 buffers (0.3%)",
  'automatic vacuum of table "app.public.orders"',
  "connection received: host=10.244.1.17 port=51522",
  "duration: 12.481 ms  statement: SELECT 1",
  "Background saving started",
  "DB saved on disk",
];

function render(instance: LogInstance, index: number, time: number): string {
  const iso = new Date(time).toISOString();
  const r = (salt: number): number => rand(instance, index, salt);
  if (index < STARTUP_LINES) return startupLine(instance.style, index, iso);
  switch (instance.style) {
    case "access": {
      const date = new Date(time);
      const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
      const pad = (n: number): string => String(n).padStart(2, "0");
      const clf = `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
      const ip = `10.244.${r(2) % 16}.${(r(3) % 250) + 2}`;
      return `${ip} - - [${clf}] "${pick(METHODS, r(4))} ${pick(PATHS, r(5))} HTTP/1.1" ${pick(STATUSES, r(6))} ${r(7) % 20000} "-" "${pick(AGENTS, r(8))}"`;
    }
    case "json": {
      const level = r(9) % 20 === 0 ? "warn" : "info";
      return `{"level":"${level}","ts":"${iso}","logger":"http","msg":"${pick(MESSAGES, r(10))}","method":"${pick(METHODS, r(4))}","path":"${pick(PATHS, r(5))}","status":${pick(STATUSES, r(6))},"duration_ms":${r(11) % 900}}`;
    }
    case "logfmt": {
      const level = r(9) % 20 === 0 ? "warning" : "info";
      return `time="${iso}" level=${level} msg="${pick(MESSAGES, r(10))}" path=${pick(PATHS, r(5))} duration=${r(11) % 900}ms`;
    }
    case "database":
      return `${iso.replace("T", " ").replace("Z", " UTC")} [1] LOG:  ${pick(DB_LINES, r(12))}`;
  }
}

function startupLine(style: LogStyle, index: number, iso: string): string {
  const lines: Record<LogStyle, string[]> = {
    access: [
      "/docker-entrypoint.sh: Configuration complete; ready for start up",
      `${iso.slice(0, 19).replace("T", " ").replace(/-/g, "/")} [notice] 1#1: using the "epoll" event method`,
      `${iso.slice(0, 19).replace("T", " ").replace(/-/g, "/")} [notice] 1#1: start worker processes`,
    ],
    json: [
      `{"level":"info","ts":"${iso}","msg":"starting service","version":"1.8.3"}`,
      `{"level":"info","ts":"${iso}","msg":"connected to database"}`,
      `{"level":"info","ts":"${iso}","msg":"listening","addr":":8080"}`,
    ],
    logfmt: [
      `time="${iso}" level=info msg="starting" version=2.4.1`,
      `time="${iso}" level=info msg="loaded configuration" file=/etc/app/config.yaml`,
      `time="${iso}" level=info msg="serving" addr=":8080"`,
    ],
    database: [
      `${iso.replace("T", " ").replace("Z", " UTC")} [1] LOG:  starting server`,
      `${iso.replace("T", " ").replace("Z", " UTC")} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
      `${iso.replace("T", " ").replace("Z", " UTC")} [1] LOG:  database system is ready to accept connections`,
    ],
  };
  return lines[style][index]!;
}
