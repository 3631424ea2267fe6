/**
 * Rewrites the catalog block of docs/metrics.md from the code: `npm run docs:metrics`.
 * test/unit/metrics-docs.test.ts fails when the committed page and the code disagree.
 */
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { withCatalog } from "./metrics-catalog-docs.js";

const target = resolve(process.argv[2] ?? "docs/metrics.md");
await writeFile(target, withCatalog(await readFile(target, "utf8")));
console.log(`wrote the metric catalog into ${target}`);
