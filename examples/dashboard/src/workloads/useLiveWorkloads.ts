/**
 * Keeps the workload table live. The subscription asks for the fields the table shows, with each
 * workload's `id`: Apollo's cache stores objects by id, so an UPDATED event (a scale, a rollout)
 * rewrites the row already on screen without a refetch. Only what changes the page's membership
 * and counts — a workload ADDED or DELETED — refetches the page.
 */
import { useEffect, useRef } from "react";
import { useSubscription } from "@apollo/client/react";
import { graphql } from "../gql";
import type { WorkloadFilter } from "../gql/graphql";

export const WorkloadUpdates = graphql(`
  subscription WorkloadUpdates($filter: WorkloadFilter) {
    workloadChanges(filter: $filter) {
      type
      cluster
      object {
        id
        status
        ready
        replicas {
          desired
          ready
          available
        }
      }
    }
  }
`);

/** Refetches at most once a second however many objects are added or deleted. */
const REFETCH_DELAY_MS = 1000;

export function useLiveWorkloads(filter: WorkloadFilter, refetch: () => unknown) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useSubscription(WorkloadUpdates, {
    variables: { filter },
    onData: ({ data }) => {
      const type = data.data?.workloadChanges.type;
      if ((type === "ADDED" || type === "DELETED" || type === "RESET") && timer.current === undefined) {
        timer.current = setTimeout(() => {
          timer.current = undefined;
          void refetch();
        }, REFETCH_DELAY_MS);
      }
    },
  });
}
