/**
 * The script's GraphQL operations. graphql-codegen reads them (codegen.ts) and writes gql/, whose
 * `graphql()` returns each as a TypedDocumentString: its text for the request body, and the
 * types of its variables and answer for the compiler.
 */
import { graphql } from "./gql/index.ts";

/** What the filter selects now, as the gateway lists it (a dry run restarts nothing). */
export const RestartWorkloads = graphql(`
  mutation RestartWorkloads($input: WorkloadRestartInput!) {
    workloadRestart(input: $input) {
      outcomes {
        cluster
        status
        replayed
        target {
          id
          kind
          namespace
          name
        }
        error {
          code
          message
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);
