/**
 * The repository stands alone: every relative link in its Markdown resolves to a file or folder
 * inside it (a link to a sibling checkout, like ../shared/..., works only on one machine).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

/** Relative link targets (and code spans naming a ../ path) of one Markdown file, anchors dropped. */
function relativeTargets(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  const spans = [...text.matchAll(/`(\.\.\/[^`\s]+)`/g)].map((m) => m[1]!);
  return [...links, ...spans]
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target) && !target.startsWith("#"))
    .map((target) => target.replace(/#.*$/, ""));
}

describe("Markdown links", () => {
  const files = markdownFiles(root);

  it("are found in README.md and docs/", () => {
    expect(files.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(["README.md", "docs/architecture.md"]),
    );
  });

  for (const file of files) {
    it(`${relative(root, file)} links only to files inside the repository`, () => {
      for (const target of relativeTargets(readFileSync(file, "utf8"))) {
        const path = resolve(dirname(file), target);
        const inside = !relative(root, path).startsWith("..");
        expect({ target, inside, exists: existsSync(path) }).toEqual({ target, inside: true, exists: true });
      }
    });
  }
});
