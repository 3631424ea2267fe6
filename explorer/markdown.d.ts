// esbuild's text loader (build.ts): a Markdown file imported as its text.
declare module "*.md" {
  const text: string;
  export default text;
}
