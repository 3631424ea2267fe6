/**
 * The spool directory's files:
 *   segment-000000000001.jsonl  events, one JSON object per line, appended and fdatasync'ed
 *   progress.json               each sink's committed position {segment, offset}
 *   rejected-<sink>.jsonl       events a sink refused for good (kept, never dropped)
 *   lock                        the pid of the process using the directory
 * Every replace is write-temp, fsync, rename, fsync-directory: after a crash either the old or the
 * new version is there, whole.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from "node:fs";
import { open, readdir, readFile, rename, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AuditError } from "./errors.js";

export interface SpoolPosition {
  segment: number;
  /** Bytes into the segment: everything before is delivered. */
  offset: number;
}

export interface SegmentFile {
  seq: number;
  path: string;
  size: number;
}

const SEGMENT = /^segment-(\d{12})\.jsonl$/;
const PROGRESS = "progress.json";

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `segment-${String(seq).padStart(12, "0")}.jsonl`);
}

export async function listSegments(dir: string): Promise<SegmentFile[]> {
  const names = await readdir(dir);
  const found: SegmentFile[] = [];
  for (const name of names) {
    const match = SEGMENT.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    found.push({ seq: Number(match[1]), path, size: (await stat(path)).size });
  }
  return found.sort((a, b) => a.seq - b.seq);
}

export async function readProgress(dir: string): Promise<Record<string, SpoolPosition>> {
  let text: string;
  try {
    text = await readFile(join(dir, PROGRESS), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const parsed = JSON.parse(text) as { sinks?: Record<string, SpoolPosition> };
  return parsed.sinks ?? {};
}

export async function writeProgress(dir: string, sinks: Record<string, SpoolPosition>): Promise<void> {
  await replaceFile(join(dir, PROGRESS), JSON.stringify({ version: 1, sinks }) + "\n");
}

export async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text, { flush: true });
  await rename(temp, path);
  await syncDirectory(resolve(path, ".."));
}

/** Makes a created, renamed or deleted directory entry durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Cuts a torn last line (a crash during an append) off a segment. Such bytes belong to an
 * append that never resolved — its action was never answered — so nothing acknowledged is lost.
 * Returns the bytes cut.
 */
export async function cutTornTail(segment: SegmentFile): Promise<number> {
  if (segment.size === 0) return 0;
  const handle = await open(segment.path, "r");
  let keep = 0;
  try {
    // Read backwards in chunks until the last newline.
    const chunk = Buffer.alloc(64 * 1024);
    let end = segment.size;
    search: while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      for (let i = bytesRead - 1; i >= 0; i--) {
        if (chunk[i] === 0x0a) {
          keep = start + i + 1;
          break search;
        }
      }
      end = start;
    }
  } finally {
    await handle.close();
  }
  if (keep === segment.size) return 0;
  await truncate(segment.path, keep);
  const cut = segment.size - keep;
  segment.size = keep;
  return cut;
}

export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

// Directories held by spools of this process: a second spool on one directory would interleave
// appends, so it is refused like another process's.
const heldHere = new Set<string>();

/**
 * Takes the directory for this process: a `lock` file holding the pid. A lock of a process that
 * no longer runs (a crash, or a previous run of this one) is taken over.
 */
export function lockDirectory(dir: string): () => void {
  const path = join(dir, "lock");
  if (heldHere.has(dir))
    throw new AuditError("AUDIT_SPOOL_LOCKED", `the audit spool ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
      closeSync(fd);
      heldHere.add(dir);
      return () => {
        heldHere.delete(dir);
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(path, "utf8").trim());
      if (holder !== process.pid && alive(holder))
        throw new AuditError(
          "AUDIT_SPOOL_LOCKED",
          `the audit spool ${dir} is in use by process ${holder}: every replica needs its own audit.spoolDir`,
        );
      unlinkSync(path);
    }
  }
  throw new AuditError("AUDIT_SPOOL_LOCKED", `could not lock the audit spool ${dir}`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
