/**
 * One simulated cluster's object store, shaped like etcd behind the API server: a single revision
 * counter, objects by resource/namespace/name, a bounded history of changes for watches and
 * consistent paginated lists, and compaction (watches or continue tokens older than the history
 * get 410 Expired). It knows nothing of HTTP: controllers and the REST layer both write here, so
 * every change produces the same watch events a real cluster would.
 *
 * Stored objects are never mutated in place: every write stores a new object. Readers may keep
 * references; writers clone first (see `mutate`).
 */
import { createHash } from "node:crypto";
import type { KubeObject } from "../../src/kube/object.js";
import type { ResourceKind } from "../kinds.js";
import { StatusError, statusErrors } from "../errors.js";
import { decodeContinue } from "./continue-token.js";
import { readPage } from "./list-page.js";
import { validateName } from "./object-names.js";
import type {
  ListOptions,
  ListResult,
  StoreEvent,
  StoreOptions,
  WatchEventType,
  WatchOptions,
} from "./types.js";
import { deliver, type Watcher } from "./watcher.js";
import { ChangeHistory } from "./change-history.js";
import { CommitLog, type Commit } from "./commit-log.js";
import { OwnerIndex } from "./owner-index.js";

export type * from "./types.js";

const NAMESPACE_RESOURCE = "/namespaces";

function resourceKey(kind: ResourceKind): string {
  return `${kind.group}/${kind.plural}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ClusterStore {
  readonly clusterName: string;
  private rev = 0;
  private readonly history: ChangeHistory;
  private readonly commits = new CommitLog();
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly owners = new OwnerIndex();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly pending: StoreEvent[] = [];
  private dispatching = false;
  private nameCounter = 0;
  private readonly now: () => Date;

  constructor(options: StoreOptions) {
    this.clusterName = options.clusterName;
    this.history = new ChangeHistory(options.historySize ?? 5000);
    this.now = options.now ?? (() => new Date());
  }

  get revision(): number {
    return this.rev;
  }

  /** The oldest revision a watch or continue token may still start from. */
  get compactedRevision(): number {
    return this.history.compactedRevision;
  }

  get(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resourceKey(kind))?.get(objectKey(kind.namespaced ? namespace : undefined, name));
  }

  mustGet(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(kind, namespace, name);
    if (!obj) throw statusErrors.notFound(kind.group, kind.plural, name);
    return obj;
  }

  count(kind: ResourceKind): number {
    return this.objects.get(resourceKey(kind))?.size ?? 0;
  }

  /** Every object of a kind (optionally in one namespace), in key order. */
  all(kind: ResourceKind, namespace?: string): KubeObject[] {
    return this.list(kind, namespace === undefined ? {} : { namespace }).items;
  }

  /** Objects whose metadata.ownerReferences name this uid. */
  ownedBy(uid: string): { resource: string; object: KubeObject }[] {
    const out: { resource: string; object: KubeObject }[] = [];
    for (const { resource, key } of this.owners.ownedBy(uid)) {
      const obj = this.objects.get(resource)?.get(key);
      if (obj) out.push({ resource, object: obj });
    }
    return out;
  }

  list(kind: ResourceKind, options: ListOptions): ListResult {
    const rk = resourceKey(kind);
    let snapshotRev = this.rev;
    let start = "";
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken);
      if (token.rv < this.history.compactedRevision) {
        throw statusErrors.expired(
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        );
      }
      snapshotRev = token.rv;
      start = token.start;
    }
    const prefix = options.namespace && kind.namespaced ? `${options.namespace}/` : "";
    const current = this.objects.get(rk);
    let keys = this.keysOf(rk);
    let lookup = (key: string): KubeObject | undefined => current?.get(key);
    if (snapshotRev < this.rev) {
      // State at snapshotRev: undo every later change to this resource, newest first.
      const overrides = new Map<string, KubeObject | undefined>();
      for (const ev of this.history.newestFirstAfter(snapshotRev)) {
        if (ev.resource !== kind) continue;
        overrides.set(objectKey(ev.object.metadata.namespace, ev.object.metadata.name!), ev.prev);
      }
      if (overrides.size > 0) {
        const merged = new Set(keys);
        for (const key of overrides.keys()) merged.add(key);
        keys = [...merged].sort();
        lookup = (key) => (overrides.has(key) ? overrides.get(key) : current?.get(key));
      }
    }
    return readPage(keys, lookup, {
      prefix,
      start,
      revision: snapshotRev,
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.predicate ? { predicate: options.predicate } : {}),
    });
  }

  create(kind: ResourceKind, input: KubeObject): KubeObject {
    const meta = input.metadata ?? {};
    let name = meta.name;
    if (!name && meta.generateName) name = meta.generateName + this.randomSuffix();
    const namespace = kind.namespaced ? meta.namespace : undefined;
    if (!name) {
      throw statusErrors.invalid(kind.group, kind.kind, "", [
        { field: "metadata.name", message: "Required value: name or generateName is required" },
      ]);
    }
    validateName(kind, name);
    if (kind.namespaced) {
      if (!namespace)
        throw statusErrors.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      const ns = this.objects.get(NAMESPACE_RESOURCE)?.get(namespace);
      if (!ns) throw statusErrors.notFound("", "namespaces", namespace);
      if (ns.metadata.deletionTimestamp) {
        throw new StatusError(
          403,
          "Forbidden",
          `${kind.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
          { name, group: kind.group, kind: kind.plural },
        );
      }
    }
    const rk = resourceKey(kind);
    const key = objectKey(namespace, name);
    if (this.objects.get(rk)?.has(key)) throw statusErrors.alreadyExists(kind.group, kind.plural, name);
    const revision = this.rev + 1;
    const { apiVersion: _a, kind: _k, ...body } = input;
    const {
      name: _n,
      namespace: _ns,
      uid: _u,
      resourceVersion: _rv,
      creationTimestamp: _ct,
      deletionTimestamp: _dt,
      generation: _g,
      generateName,
      ...rest
    } = meta;
    const stored: KubeObject = {
      ...body,
      metadata: {
        name,
        ...(generateName ? { generateName } : {}),
        ...(namespace ? { namespace } : {}),
        ...rest,
        uid: this.uidFor(revision),
        resourceVersion: String(revision),
        creationTimestamp: this.timestamp(),
        ...(kind.hasGeneration ? { generation: 1 } : {}),
      },
    };
    this.commit(kind, key, stored, undefined, "ADDED");
    return stored;
  }

  /**
   * Replaces an object. With `checkVersion` (the REST update path when the body carries a
   * resourceVersion) a stale version is a 409 Conflict.
   */
  update(kind: ResourceKind, input: KubeObject, options: { checkVersion?: boolean } = {}): KubeObject {
    const namespace = kind.namespaced ? input.metadata.namespace : undefined;
    const name = input.metadata.name;
    if (!name) {
      throw statusErrors.invalid(kind.group, kind.kind, "", [
        { field: "metadata.name", message: "Required value: name is required" },
      ]);
    }
    const key = objectKey(namespace, name);
    const prev = this.objects.get(resourceKey(kind))?.get(key);
    if (!prev) throw statusErrors.notFound(kind.group, kind.plural, name);
    if (options.checkVersion && input.metadata.resourceVersion) {
      if (input.metadata.resourceVersion !== prev.metadata.resourceVersion) {
        throw statusErrors.conflict(kind.group, kind.plural, name);
      }
    }
    if (input.metadata.uid && input.metadata.uid !== prev.metadata.uid) {
      throw statusErrors.conflict(kind.group, kind.plural, name);
    }
    const revision = this.rev + 1;
    const { apiVersion: _a, kind: _k, ...body } = input;
    const specChanged = kind.hasGeneration && JSON.stringify(body.spec) !== JSON.stringify(prev.spec);
    const stored: KubeObject = {
      ...body,
      metadata: {
        ...input.metadata,
        name,
        ...(namespace ? { namespace } : {}),
        uid: prev.metadata.uid!,
        creationTimestamp: prev.metadata.creationTimestamp!,
        resourceVersion: String(revision),
        ...(kind.hasGeneration
          ? { generation: (prev.metadata.generation ?? 1) + (specChanged ? 1 : 0) }
          : {}),
        ...(prev.metadata.deletionTimestamp ? { deletionTimestamp: prev.metadata.deletionTimestamp } : {}),
      },
    };
    if (stored.metadata.deletionTimestamp && !this.hasFinalizers(stored)) {
      this.commit(kind, key, undefined, prev, "DELETED", { ...stored });
      return stored;
    }
    if (
      JSON.stringify(stored) ===
      JSON.stringify({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(revision) } })
    ) {
      return prev; // a no-op write changes nothing and emits no event, as on a real server
    }
    this.commit(kind, key, stored, prev, "MODIFIED");
    return stored;
  }

  /** Clones the current object, applies `change`, and writes it back (no-op when `change` returns false). */
  mutate(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    change: (draft: KubeObject) => void | boolean,
  ): KubeObject | undefined {
    const current = this.get(kind, namespace, name);
    if (!current) return undefined;
    const draft = structuredClone(current);
    if (change(draft) === false) return current;
    return this.update(kind, draft);
  }

  /**
   * Deletes an object. Objects with finalizers (and namespaces, until their contents are gone)
   * get a deletionTimestamp instead and stay until the finalizers are removed.
   */
  delete(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
  ): { object: KubeObject; removed: boolean } {
    const ns = kind.namespaced ? namespace : undefined;
    const key = objectKey(ns, name);
    const prev = this.objects.get(resourceKey(kind))?.get(key);
    if (!prev) throw statusErrors.notFound(kind.group, kind.plural, name);
    if (
      (preconditions.uid && preconditions.uid !== prev.metadata.uid) ||
      (preconditions.resourceVersion && preconditions.resourceVersion !== prev.metadata.resourceVersion)
    ) {
      throw new StatusError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${kind.group ? `${kind.plural}.${kind.group}` : kind.plural} "${name}": Precondition failed: UID in precondition: ${preconditions.uid ?? ""}, UID in object meta: ${prev.metadata.uid}`,
        { name, group: kind.group, kind: kind.plural },
      );
    }
    const revision = this.rev + 1;
    if (this.hasFinalizers(prev)) {
      if (prev.metadata.deletionTimestamp) return { object: prev, removed: false };
      const marked: KubeObject = {
        ...prev,
        metadata: {
          ...prev.metadata,
          resourceVersion: String(revision),
          deletionTimestamp: this.timestamp(),
          deletionGracePeriodSeconds: 0,
        },
      };
      if (kind.plural === "namespaces" && kind.group === "") {
        marked.status = { ...(prev.status as object), phase: "Terminating" };
      }
      this.commit(kind, key, marked, prev, "MODIFIED");
      return { object: marked, removed: false };
    }
    const deleted: KubeObject = {
      ...prev,
      metadata: { ...prev.metadata, resourceVersion: String(revision) },
    };
    this.commit(kind, key, undefined, prev, "DELETED", deleted);
    return { object: deleted, removed: true };
  }

  /**
   * Starts a watch: replays history after `fromRevision` (410 Expired when it is older than the
   * history), then delivers live changes. Selector transitions become ADDED / DELETED.
   */
  watch(kind: ResourceKind, options: WatchOptions, onEvent: (event: StoreEvent) => void): () => void {
    const watcher: Watcher = {
      kind,
      namespace: kind.namespaced ? options.namespace : undefined,
      predicate: options.predicate,
      onEvent,
    };
    if (options.fromRevision !== undefined) {
      const compacted = this.history.compactedRevision;
      if (options.fromRevision < compacted) {
        throw statusErrors.expired(`too old resource version: ${options.fromRevision} (${compacted + 1})`);
      }
      for (const ev of this.history.after(options.fromRevision)) {
        if (ev.resource === kind) deliver(watcher, ev);
      }
    }
    const rk = resourceKey(kind);
    let set = this.watchers.get(rk);
    if (!set) this.watchers.set(rk, (set = new Set()));
    set.add(watcher);
    return () => set.delete(watcher);
  }

  /** Every committed change, in order; listeners must not assume they may write synchronously. */
  onChange(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Drops the whole history, as an etcd compaction would: every watch or continue token from an
   * earlier revision gets 410. The revision moves on by one, as it would on a real cluster where
   * leases and endpoints are written constantly, so a client that is fully caught up is expired
   * too and must relist.
   */
  compact(): void {
    this.rev += 1;
    this.history.compactAt(this.rev);
  }

  /** When the recent revisions after `from` up to `to` were committed (see CommitLog). */
  commitsBetween(from: number, to: number, resource?: string): Commit[] {
    return this.commits.between(from, to, resource);
  }

  watcherCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  private hasFinalizers(obj: KubeObject): boolean {
    if ((obj.metadata.finalizers?.length ?? 0) > 0) return true;
    // Namespaces carry their finalizers in spec ("kubernetes" until their contents are deleted).
    const specFinalizers = (obj.spec as { finalizers?: unknown } | undefined)?.finalizers;
    return Array.isArray(specFinalizers) && specFinalizers.length > 0;
  }

  private commit(
    kind: ResourceKind,
    key: string,
    next: KubeObject | undefined,
    prev: KubeObject | undefined,
    type: WatchEventType,
    deletedObject?: KubeObject,
  ): void {
    const rk = resourceKey(kind);
    this.rev += 1;
    this.commits.record(this.rev, type, kind, (next ?? deletedObject ?? prev)?.metadata.namespace);
    let bucket = this.objects.get(rk);
    if (!bucket) this.objects.set(rk, (bucket = new Map<string, KubeObject>()));
    if (next) {
      if (!bucket.has(key)) this.sortedKeys.delete(rk);
      bucket.set(key, next);
    } else {
      bucket.delete(key);
      this.sortedKeys.delete(rk);
    }
    this.owners.update({ resource: rk, key }, prev?.metadata.ownerReferences, next?.metadata.ownerReferences);
    const event: StoreEvent = {
      type,
      resource: kind,
      object: next ?? deletedObject!,
      prev,
      revision: this.rev,
    };
    this.history.push(event);
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length > 0) {
        const ev = this.pending.shift()!;
        const set = this.watchers.get(resourceKey(ev.resource));
        if (set) for (const w of set) deliver(w, ev);
        for (const listener of this.listeners) listener(ev);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private keysOf(rk: string): string[] {
    let keys = this.sortedKeys.get(rk);
    if (!keys) {
      keys = [...(this.objects.get(rk)?.keys() ?? [])].sort();
      this.sortedKeys.set(rk, keys);
    }
    return keys;
  }

  private uidFor(revision: number): string {
    const h = createHash("sha1").update(`${this.clusterName}/${revision}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private randomSuffix(): string {
    const alphabet = "bcdfghjklmnpqrstvwxz2456789";
    const h = createHash("sha1").update(`${this.clusterName}/name/${++this.nameCounter}`).digest();
    let out = "";
    for (let i = 0; i < 5; i++) out += alphabet[h[i]! % alphabet.length];
    return out;
  }

  private timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }
}
