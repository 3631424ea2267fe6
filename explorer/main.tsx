/**
 * The explorer page (served at /explorer and to browsers at /graphql; src/http/explorer.ts):
 * GraphiQL with the schema's docs, history, variables and subscriptions, example tabs from
 * docs/schema.md, and a bar to log in and out through the gateway's OIDC flow (session.ts).
 */
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import "./explorer.css";
import { useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { exampleTabs } from "./examples.ts";
import { gatewayFetcher } from "./fetcher.ts";
import { GatewaySession, type SessionState } from "./session.ts";

const session = new GatewaySession();
const tabs = exampleTabs();

function SessionBar({ state }: { state: SessionState }) {
  return (
    <header className="fleetgraph-bar">
      <strong>Fleetgraph explorer</strong>
      <span className="fleetgraph-session" data-testid="session">
        {state.kind === "signed-in" && (
          <>
            Signed in as <b data-testid="user">{state.user}</b>
            {state.groups.length > 0 && (
              <span className="fleetgraph-groups"> ({state.groups.join(", ")})</span>
            )}{" "}
            <button type="button" onClick={() => void session.logOut()}>
              Log out
            </button>
          </>
        )}
        {state.kind === "signing-in" && <>Signing in… (finish in the login window)</>}
        {state.kind === "signed-out" && (
          <>
            {state.error && <span className="fleetgraph-error">{state.error} </span>}
            Not signed in: every request needs a token.{" "}
            <button type="button" onClick={() => session.logIn()}>
              Log in
            </button>
          </>
        )}
      </span>
    </header>
  );
}

function Explorer() {
  const [state, setState] = useState<SessionState>(session.state);
  useEffect(() => session.onChange(setState), []);
  // A new fetcher per login: GraphiQL fetches the schema again with the new caller's token (the
  // schema needs one), and the socket of a previous caller is closed.
  const user = state.kind === "signed-in" ? state.user : undefined;
  const gateway = useMemo(() => gatewayFetcher(session), [user]);
  useEffect(() => () => gateway.dispose(), [gateway]);
  return (
    <div className="fleetgraph-explorer">
      <SessionBar state={state} />
      <div className="fleetgraph-graphiql">
        <GraphiQL fetcher={gateway.fetcher} defaultTabs={tabs} defaultEditorToolsVisibility="variables" />
      </div>
    </div>
  );
}

createRoot(document.getElementById("explorer")!).render(<Explorer />);
