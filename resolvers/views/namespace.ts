import type { CacheEntry } from "../../src/cache/entry.js";
import type { NamespaceData } from "../../src/kinds/index.js";
import { knownOr, NamespacePhase } from "../../schema/enums.js";
import type { Namespace } from "../../schema/namespace.js";
import { EntryView, type Viewed } from "./entry-view.js";

export type NamespaceView = Namespace & Viewed<NamespaceData>;

class NamespaceEntryView extends EntryView<NamespaceData> implements NamespaceView {
  readonly __typename = "Namespace";

  constructor(
    entry: CacheEntry<NamespaceData>,
    private readonly workspaceLabel: string,
  ) {
    super(entry);
  }
  get phase(): NamespacePhase {
    return knownOr(NamespacePhase, this.entry.data.phase);
  }
  get workspaceName(): string | null {
    return this.entry.labels[this.workspaceLabel] ?? null;
  }
}

export function namespaceView(entry: CacheEntry<NamespaceData>, workspaceLabel: string): NamespaceView {
  return new NamespaceEntryView(entry, workspaceLabel);
}
