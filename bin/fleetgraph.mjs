#!/usr/bin/env node
// The CLI runs the compiled output: `npm run build` first (npm scripts do it for you).
await import("../dist/src/main.js");
