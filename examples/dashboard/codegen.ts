/**
 * graphql-codegen's client preset: every `graphql(`...`)` in src/ becomes a typed document
 * (src/gql/), checked against the gateway's SDL. `npm run dashboard` runs it before building;
 * run `npm run dashboard:codegen` after changing an operation.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

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
      // persisted-documents.json: every operation by the SHA-256 of its text, the manifest a
      // gateway in trusted-documents mode loads (docs/security.md); the documents carry the hash
      // (`__meta__.hash`), which the client sends instead of the text (src/apollo/client.ts).
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      // Apollo Client adds __typename to every selection before sending; the registered text
      // must be the one that runs, so it carries them too.
      documentTransforms: [addTypenameSelectionDocumentTransform],
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
