/**
 * Role bindings made by mutation, persisted in the shared store as one document (bindings are
 * few; one document keeps every replica's view whole). Writers compare-and-set it; every change
 * is announced on a channel so each replica reloads at once, and `current()` answers from memory
 * so the request path never waits on the store.
 */
import { randomUUID } from "node:crypto";
import type { SharedStore, Unsubscribe } from "../../src/store/shared-store.js";
import type { RoleRef } from "../subject.js";

export interface StoredRoleBinding extends RoleRef {
  readonly id: string;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** Who made it (a user name) and when (seconds since the epoch). */
  readonly createdBy: string;
  readonly createdAt: number;
}

export type NewRoleBinding = Omit<StoredRoleBinding, "id" | "createdAt">;

const DOCUMENT = "access:role-bindings";
const CHANNEL = "access:role-bindings-changed";
const MAX_ATTEMPTS = 20;

export class RoleBindingConflictError extends Error {
  constructor() {
    super("role bindings are being changed concurrently by other replicas; retry");
    this.name = "RoleBindingConflictError";
  }
}

export class PersistedRoleBindings {
  private bindings: readonly StoredRoleBinding[] = [];
  private unsubscribe: Unsubscribe | undefined;
  /** Bumped on every reload that changed the list: caches of access results key on it. */
  revision = 0;

  private constructor(private readonly store: SharedStore) {}

  /** Loads the bindings and follows their changes. */
  static async start(store: SharedStore): Promise<PersistedRoleBindings> {
    const persisted = new PersistedRoleBindings(store);
    persisted.unsubscribe = await store.subscribe(CHANNEL, () => void persisted.reload().catch(() => {}));
    await persisted.reload();
    return persisted;
  }

  current(): readonly StoredRoleBinding[] {
    return this.bindings;
  }

  async create(binding: NewRoleBinding): Promise<StoredRoleBinding> {
    const created: StoredRoleBinding = {
      ...binding,
      id: randomUUID(),
      createdAt: Math.floor(Date.now() / 1000),
    };
    await this.edit((list) => [...list, created]);
    return created;
  }

  /** The removed binding; undefined when there is none with that id. */
  async delete(id: string): Promise<StoredRoleBinding | undefined> {
    let removed: StoredRoleBinding | undefined;
    await this.edit((list) => {
      removed = list.find((b) => b.id === id);
      return removed ? list.filter((b) => b.id !== id) : undefined;
    });
    return removed;
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** Applies `change` to the stored list (undefined: nothing to write) until its write wins. */
  private async edit(
    change: (list: readonly StoredRoleBinding[]) => readonly StoredRoleBinding[] | undefined,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const text = await this.store.get(DOCUMENT);
      const next = change(parse(text));
      if (next === undefined) return;
      if (await this.store.compareAndSet(DOCUMENT, text, JSON.stringify(next))) {
        this.apply(next);
        await this.store.publish(CHANNEL, "changed");
        return;
      }
    }
    throw new RoleBindingConflictError();
  }

  private async reload(): Promise<void> {
    this.apply(parse(await this.store.get(DOCUMENT)));
  }

  private apply(next: readonly StoredRoleBinding[]): void {
    if (JSON.stringify(next) === JSON.stringify(this.bindings)) return;
    this.bindings = next;
    this.revision++;
  }
}

function parse(text: string | undefined): readonly StoredRoleBinding[] {
  if (text === undefined) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as StoredRoleBinding[]) : [];
}
