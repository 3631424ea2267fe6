/**
 * graphql-codegen's client preset: every `graphql(`...`)` in src/ becomes a typed document
 * (src/gql/), checked against the gateway's SDL. `npm run dashboard` runs it before building;
 * run `npm run dashboard:codegen` after changing an operation.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: [
    "examples/dashboard/src/**/*.tsx",
    "examples/dashboard/src/**/*.ts",
    "!examples/dashboard/src/gql/**",
  ],
  ignoreNoDocuments: false,
  generates: {
    "examples/dashboard/src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Only the types the operations use: the SDL has hundreds the dashboard never touches.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown" },
      },
    },
    // Which concrete types implement each interface (Workload, KubeObject, Node…): Apollo's
    // cache needs it to match `... on Workload` against a Deployment in an answer.
    "examples/dashboard/src/gql/possible-types.ts": {
      plugins: ["fragment-matcher"],
      config: { useExplicitTyping: true },
    },
  },
};

export default config;
