/**
 * `npm start` builds before it runs, so the build must be incremental: `tsc -b` with the
 * tsbuildinfo inside dist/, so an unchanged tree is "up to date" without compiling anything, and
 * deleting dist/ deletes the buildinfo with it (a buildinfo left elsewhere would make tsc skip
 * emitting into the empty dist/). The dynamic part builds into a scratch directory, never into
 * dist/, which other tests run from.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const tsc = join(root, "node_modules/typescript/bin/tsc");
const scratch = mkdtempSync(join(tmpdir(), "fleetgraph-build-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [tsc, ...args], { cwd: root, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface Options {
  outDir: string;
  incremental?: boolean;
  tsBuildInfoFile?: string;
}
const shown = JSON.parse(run(["-p", "tsconfig.build.json", "--showConfig"]).output) as {
  compilerOptions: Options;
};
const options = shown.compilerOptions;
const buildInfoInOutDir = relative(
  resolve(root, options.outDir),
  resolve(root, options.tsBuildInfoFile ?? ""),
);

describe("the build", () => {
  it("is `tsc -b` over tsconfig.build.json, incremental, its buildinfo inside dist/", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    // Then the explorer's bundle (explorer/build.ts), which skips itself when up to date too, and
    // its example tabs as a trusted-documents manifest (explorer/manifest.ts).
    expect(pkg.scripts.build).toBe(
      "tsc -b tsconfig.build.json && node explorer/build.ts && node explorer/manifest.ts",
    );
    expect(pkg.scripts.start).toMatch(/^npm run --silent build && /);
    expect(options.incremental).toBe(true);
    expect(resolve(root, options.outDir)).toBe(join(root, "dist"));
    expect(buildInfoInOutDir).not.toMatch(/^\.\.|^\//);
  });

  it("compiles nothing when nothing changed, and everything again once its output directory is gone", () => {
    // The same build into a scratch output directory, the buildinfo at the same place inside it.
    const outDir = join(scratch, "dist");
    const config = join(scratch, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, "tsconfig.build.json"),
        compilerOptions: {
          outDir,
          tsBuildInfoFile: join(outDir, buildInfoInOutDir),
          // Types are looked up from the config's own directory, which is not the project's here.
          typeRoots: [join(root, "node_modules/@types")],
        },
      }),
    );
    const first = run(["-b", config]);
    expect(first.output).toBe("");
    expect(first.status).toBe(0);
    expect(existsSync(join(outDir, "src/main.js"))).toBe(true);
    expect(existsSync(join(outDir, buildInfoInOutDir))).toBe(true);

    const again = run(["-b", config, "--verbose"]);
    expect(again.status).toBe(0);
    expect(again.output).toMatch(/is up to date because newest input .* is older than output/);

    rmSync(outDir, { recursive: true });
    const afterDelete = run(["-b", config, "--verbose"]);
    expect(afterDelete.status).toBe(0);
    expect(afterDelete.output).not.toMatch(/is up to date/);
    expect(existsSync(join(outDir, "src/main.js"))).toBe(true);
  }, 180_000);
});
