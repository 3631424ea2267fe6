/**
 * graphql-codegen's client preset for the automation script: every `graphql(`...`)` in this
 * folder becomes a typed document (gql/), checked against the gateway's SDL. Run
 * `npm run automation:codegen` after changing an operation; gql/ is committed.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["examples/automation/*.ts", "!examples/automation/codegen.ts"],
  ignoreNoDocuments: false,
  // Node runs the .ts files as they are (type stripping), and its resolver needs the real file
  // names: the generated imports say "./graphql.ts", not "./graphql".
  importExtension: ".ts",
  generates: {
    "examples/automation/gql/": {
      preset: "client",
      // persisted-documents.json: the manifest a gateway in trusted-documents mode loads.
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        // Strings, not parsed DocumentNodes: `fetch` sends the text, and no `graphql` package
        // is needed at run time.
        documentMode: "string",
        onlyOperationTypes: true,
        // Node's type stripping cannot run TypeScript enums: string unions instead.
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", JSON: "unknown" },
      },
    },
  },
};

export default config;
