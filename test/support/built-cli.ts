/**
 * `npm run build` (tsc -b, incremental) before tests spawn dist/src/main.js. Test files run in
 * parallel processes: one build at a time, under a lock directory (mkdir is atomic), so no
 * process starts a gateway from files another build is rewriting.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "../..");
const LOCK = join(ROOT, "dist", ".build-lock");
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 180_000;

export async function buildCli(): Promise<void> {
  await acquireLock();
  try {
    const { code, output } = await run("npm", ["run", "--silent", "build"]);
    if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output}`);
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

async function acquireLock(): Promise<void> {
  await mkdir(join(ROOT, "dist"), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const since = await stat(LOCK).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}
