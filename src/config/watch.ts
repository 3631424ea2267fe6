/**
 * Live reload: the config's file is re-read on SIGHUP and when it changes on disk. A file that
 * no longer validates is reported and ignored, so a typo never takes the fleet down.
 */
import { watch } from "node:fs";
import type { FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ConfigError } from "./errors.js";
import { configFromKubeconfig } from "./kubeconfig.js";
import { loadConfigFile } from "./load.js";
import type { GatewayConfig } from "./types.js";

export interface WatchOptions {
  /** Editors write a file in several steps; wait this long after the last event. Default 200. */
  debounceMs?: number;
}

/**
 * Calls `onChange` with each new valid config that differs from the one in force, `onError`
 * when a reload fails (the old config stays in force). The listening port never changes: it is
 * kept from `config`, since the server cannot move while running. Returns a function that stops
 * watching. Demo configs have nothing to watch.
 */
export function watchConfig(
  config: GatewayConfig,
  onChange: (next: GatewayConfig) => void,
  onError: (e: ConfigError) => void,
  options: WatchOptions = {},
): () => void {
  const source = config.source;
  if (source.kind === "demo") return () => {};
  const debounceMs = options.debounceMs ?? 200;
  const file = basename(source.path);
  let current = config;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const reload = () => {
    timer = undefined;
    if (stopped) return;
    let next: GatewayConfig;
    try {
      next = source.kind === "file" ? loadConfigFile(source.path) : configFromKubeconfig(source.path);
    } catch (e) {
      onError(e instanceof ConfigError ? e : new ConfigError(String(e), { path: source.path, cause: e }));
      return;
    }
    next = { ...next, port: config.port };
    if (isDeepStrictEqual(next, current)) return;
    current = next;
    onChange(next);
  };
  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };

  // The directory is watched, not the file: editors and Kubernetes ConfigMap volumes replace
  // the file (rename, or swapping the `..data` symlink), which a watch on the old inode misses.
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(source.path), { persistent: false }, (_event, name) => {
      if (name === null || name === file || name.startsWith("..")) schedule();
    });
    watcher.on("error", (e) =>
      onError(new ConfigError(`stopped watching for changes: ${e.message}`, { path: source.path, cause: e })),
    );
  } catch (e) {
    onError(
      new ConfigError(`cannot watch for changes (SIGHUP still reloads): ${(e as Error).message}`, {
        path: source.path,
        cause: e,
      }),
    );
  }
  process.on("SIGHUP", schedule);

  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    watcher?.close();
    process.off("SIGHUP", schedule);
  };
}
