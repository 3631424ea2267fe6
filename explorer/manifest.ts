/**
 * Writes dist/public/explorer/persisted-documents.json: the explorer's example tabs as a
 * trusted-documents manifest (docs/explorer.md). `npm run build` runs it after the bundle.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tabsManifest } from "./example-tabs.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/public/explorer`;

export function writeExplorerManifest(): string {
  const schemaDoc = readFileSync(`${root}docs/schema.md`, "utf8");
  const manifest = tabsManifest(schemaDoc, (text) => createHash("sha256").update(text, "utf8").digest("hex"));
  mkdirSync(outdir, { recursive: true });
  const path = `${outdir}/persisted-documents.json`;
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) writeExplorerManifest();
