/**
 * The explorer's example tabs as data, without the bundler's Markdown import (examples.ts): a
 * first look, a live subscription, then every operation of docs/schema.md. Also read by
 * manifest.ts, which registers them for gateways with trusted documents.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const FIRST_LOOK = `# Who you are, the clusters, and a few of the pods you may read.
# Log in first (top right): every request needs a token.
query FirstLook {
  viewer {
    user
    roles {
      role
      namespace
    }
  }
  clusters {
    nodes {
      name
      health {
        status
        kubernetesVersion
      }
    }
  }
  pods(first: 5) {
    totalCount
    nodes {
      clusterName
      namespaceName
      name
      phase
    }
  }
}
`;

const LIVE_DEPLOYMENTS = `# Live changes over graphql-ws: the current Deployments, then every change as it happens.
subscription DeploymentChanges {
  workloadChanges(filter: { kinds: [DEPLOYMENT] }, sendInitial: true) {
    type
    cluster
    object {
      namespaceName
      name
      replicas {
        desired
        ready
      }
    }
  }
}
`;

/**
 * Each fenced ```graphql block of `markdown`, headed by a comment naming its section. GraphiQL
 * titles a tab by its operation's name: an anonymous query is named after its first root field
 * (`{ pods ... }` -> `query Pods`), numbered when several start alike.
 */
export function examplesFrom(markdown: string, source: string): ExampleTab[] {
  const tabs: ExampleTab[] = [];
  const used = new Map<string, number>();
  let section = "";
  const fence = /^(#{2,4}) (.+)$|^```graphql\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    if (match[2] !== undefined) section = match[2].trim();
    if (match[3] === undefined) continue;
    let query = match[3];
    const root = /^\{\s*(\w+)/.exec(query)?.[1];
    if (root !== undefined) {
      const name = root[0]!.toUpperCase() + root.slice(1);
      const count = (used.get(name) ?? 0) + 1;
      used.set(name, count);
      query = `query ${count === 1 ? name : `${name}${count}`} ${query}`;
    }
    tabs.push({ query: `# ${source}: ${section}\n${query}` });
  }
  return tabs;
}

/** Every tab, docs/schema.md's text given. */
export function tabsOf(schemaDoc: string): ExampleTab[] {
  return [{ query: FIRST_LOOK }, { query: LIVE_DEPLOYMENTS }, ...examplesFrom(schemaDoc, "docs/schema.md")];
}

/**
 * The tabs as a trusted-documents manifest (GraphQL Codegen's format: `sha256:<hex>` -> text), so a
 * gateway in `allowList` mode runs them as the explorer sends them, unedited. The hash is given:
 * this file is also bundled for the browser.
 */
export function tabsManifest(schemaDoc: string, sha256Hex: (text: string) => string): Record<string, string> {
  return Object.fromEntries(tabsOf(schemaDoc).map(({ query }) => [`sha256:${sha256Hex(query)}`, query]));
}
