/**
 * The explorer's example tabs: a first look (who am I, the clusters, a few pods), a live
 * subscription, then every operation of docs/schema.md — bundled from the file itself, so the
 * examples are the documented ones and follow the doc when it changes.
 */
import schemaDoc from "../docs/schema.md";
import { tabsOf, type ExampleTab } from "./example-tabs.ts";

export type { ExampleTab };

export function exampleTabs(): ExampleTab[] {
  return tabsOf(schemaDoc);
}
