/**
 * Kubernetes events across the fleet: the latest few from a query, then each new one as the
 * gateway's watch caches see it (eventChanges over graphql-ws). The subscription is within the
 * same access as the query, so each person sees the events of what they may read.
 */
import { useState } from "react";
import { useQuery, useSubscription } from "@apollo/client/react";
import { graphql } from "../gql";
import type { EventFieldsFragment } from "../gql/graphql";
import { time } from "../format/units";

graphql(`
  fragment EventFields on Event {
    id
    clusterName
    namespaceName
    type
    reason
    message
    count
    lastTimestamp
    involvedObject {
      kind
      name
    }
  }
`);

export const RecentEvents = graphql(`
  query RecentEvents {
    events(first: 10) {
      nodes {
        ...EventFields
      }
    }
  }
`);

export const EventUpdates = graphql(`
  subscription EventUpdates {
    eventChanges {
      type
      object {
        ...EventFields
      }
    }
  }
`);

const SHOWN = 25;

export function LiveEvents() {
  const recent = useQuery(RecentEvents);
  const [live, setLive] = useState<EventFieldsFragment[]>([]);
  const subscription = useSubscription(EventUpdates, {
    onData: ({ data }) => {
      const event = data.data?.eventChanges;
      if (event?.object && (event.type === "ADDED" || event.type === "UPDATED")) {
        const object = event.object;
        // An event that repeats comes again as UPDATED (its count up): show it once, on top.
        setLive((shown) => [object, ...shown.filter((e) => e.id !== object.id)].slice(0, SHOWN));
      }
    },
  });
  const liveIds = new Set(live.map((e) => e.id));
  const events = [...live, ...(recent.data?.events.nodes ?? []).filter((e) => !liveIds.has(e.id))];

  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">
        Events
        {subscription.error ? (
          <button className="badge problem" onClick={() => subscription.restart()}>
            live events stopped — resume
          </button>
        ) : (
          <span className="badge">live</span>
        )}
      </h2>
      {events.length === 0 && <p>No events yet.</p>}
      <ol className="events" data-testid="events">
        {events.slice(0, SHOWN).map((e) => (
          <li key={e.id} className={e.type === "WARNING" ? "warning" : undefined} data-testid="event">
            <time>{time(e.lastTimestamp)}</time> <strong>{e.reason}</strong> {e.involvedObject.kind}{" "}
            {e.clusterName}/{e.namespaceName}/{e.involvedObject.name}: {e.message}
            {e.count > 1 && <> (×{e.count})</>}
          </li>
        ))}
      </ol>
    </section>
  );
}
