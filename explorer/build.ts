/**
 * Bundles the explorer (main.tsx: GraphiQL, React, graphql-ws) into dist/public/explorer/ with
 * esbuild: one script and one stylesheet that the gateway serves itself (src/http/explorer.ts).
 * `npm run build` runs it after tsc (node runs this file as TypeScript); it does nothing when the
 * bundle is newer than every input it read last time, so `npm start` stays quick.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/public/explorer`;
const metafile = `${outdir}/meta.json`;

/** True when the bundle exists and no file it was built from changed since. */
function upToDate(): boolean {
  try {
    const built = statSync(`${outdir}/explorer.js`).mtimeMs;
    const meta = JSON.parse(readFileSync(metafile, "utf8")) as { inputs: Record<string, unknown> };
    const inputs = [...Object.keys(meta.inputs), "package-lock.json", "explorer/build.ts"];
    return inputs.every((input) => statSync(`${root}${input}`).mtimeMs <= built);
  } catch {
    return false;
  }
}

export async function buildExplorer(): Promise<void> {
  if (upToDate()) return;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { explorer: "explorer/main.tsx" },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    metafile: true,
    legalComments: "linked",
    // docs/schema.md's operations become the explorer's example tabs (examples.ts).
    loader: { ".md": "text", ".woff": "file", ".woff2": "file", ".ttf": "file", ".svg": "file" },
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  writeFileSync(metafile, JSON.stringify(result.metafile));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildExplorer();
