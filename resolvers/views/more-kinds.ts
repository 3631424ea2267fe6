/** Views of the kinds a console shows beside workloads: config, storage, ingress, autoscaling, policy. */
import type { CacheEntry } from "../../src/cache/entry.js";
import type {
  ConfigMapData,
  HorizontalPodAutoscalerData,
  IngressBackendView,
  IngressData,
  LimitRangeData,
  PersistentVolumeClaimData,
  PersistentVolumeData,
  ResourceQuotaData,
  SecretData,
  ServiceAccountData,
  StorageClassData,
} from "../../src/kinds/index.js";
import type { HorizontalPodAutoscaler } from "../../schema/autoscaling.js";
import {
  AccessMode,
  ClaimPhase,
  knownOr,
  PathType,
  ReclaimPolicy,
  VolumeBindingMode,
  VolumeMode,
  VolumePhase,
} from "../../schema/enums.js";
import type { ConfigMap, Secret, ServiceAccount } from "../../schema/config.js";
import type { Ingress, IngressBackend } from "../../schema/ingress.js";
import type { LimitRange, ResourceQuota } from "../../schema/policy.js";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../../schema/storage.js";
import { conditionList, date, EntryView, type Viewed } from "./entry-view.js";
import { quantityList, resourceQuantity, storageSize } from "./quantities.js";

export type ConfigMapView = ConfigMap & Viewed<ConfigMapData>;
export type SecretView = Secret & Viewed<SecretData>;
export type ServiceAccountView = ServiceAccount & Viewed<ServiceAccountData>;
export type IngressView = Ingress & Viewed<IngressData>;
export type IngressBackendViewOf = IngressBackend & { of: CacheEntry };
export type PersistentVolumeClaimView = PersistentVolumeClaim & Viewed<PersistentVolumeClaimData>;
export type PersistentVolumeView = PersistentVolume & Viewed<PersistentVolumeData>;
export type StorageClassView = StorageClass & Viewed<StorageClassData>;
export type HorizontalPodAutoscalerView = HorizontalPodAutoscaler & Viewed<HorizontalPodAutoscalerData>;
export type ResourceQuotaView = ResourceQuota & Viewed<ResourceQuotaData>;
export type LimitRangeView = LimitRange & Viewed<LimitRangeData>;

class ConfigMapEntryView extends EntryView<ConfigMapData> implements ConfigMapView {
  readonly __typename = "ConfigMap";
  get keys(): string[] {
    return [...this.entry.data.keys];
  }
  get immutable(): boolean {
    return this.entry.data.immutable;
  }
}
export const configMapView = (e: CacheEntry<ConfigMapData>): ConfigMapView => new ConfigMapEntryView(e);

class SecretEntryView extends EntryView<SecretData> implements SecretView {
  readonly __typename = "Secret";
  get type(): string {
    return this.entry.data.type;
  }
  get keys(): string[] {
    return [...this.entry.data.keys];
  }
  get immutable(): boolean {
    return this.entry.data.immutable;
  }
}
export const secretView = (e: CacheEntry<SecretData>): SecretView => new SecretEntryView(e);

class ServiceAccountEntryView extends EntryView<ServiceAccountData> implements ServiceAccountView {
  readonly __typename = "ServiceAccount";
  get secrets(): number {
    return this.entry.data.secrets;
  }
  get imagePullSecrets(): string[] {
    return [...this.entry.data.imagePullSecrets];
  }
  get automountToken(): boolean | null {
    return this.entry.data.automountToken ?? null;
  }
}
export const serviceAccountView = (e: CacheEntry<ServiceAccountData>): ServiceAccountView =>
  new ServiceAccountEntryView(e);

function backend(b: IngressBackendView, of: CacheEntry): IngressBackendViewOf {
  return {
    serviceName: b.serviceName ?? null,
    servicePort: b.servicePort ?? null,
    resource: b.resource ?? null,
    of,
  };
}

class IngressEntryView extends EntryView<IngressData> implements IngressView {
  readonly __typename = "Ingress";
  get className(): string | null {
    return this.entry.data.className ?? null;
  }
  get hosts(): string[] {
    const hosts = this.entry.data.rules.map((r) => r.host).filter((h): h is string => h !== undefined);
    return [...new Set(hosts)];
  }
  get rules(): Ingress["rules"] {
    return this.entry.data.rules.map((r) => ({
      host: r.host ?? null,
      paths: r.paths.map((p) => ({
        path: p.path ?? null,
        pathType: knownOr(PathType, p.pathType),
        backend: backend(p.backend, this.entry),
      })),
    }));
  }
  get defaultBackend(): IngressBackendViewOf | null {
    const d = this.entry.data.defaultBackend;
    return d ? backend(d, this.entry) : null;
  }
  get tls(): Ingress["tls"] {
    return this.entry.data.tls.map((t) => ({
      hosts: [...t.hosts],
      secretName: t.secretName ?? null,
      of: this.entry,
    }));
  }
  get addresses(): string[] {
    return [...this.entry.data.addresses];
  }
}
export const ingressView = (e: CacheEntry<IngressData>): IngressView => new IngressEntryView(e);

class PersistentVolumeClaimEntryView
  extends EntryView<PersistentVolumeClaimData>
  implements PersistentVolumeClaimView
{
  readonly __typename = "PersistentVolumeClaim";
  get phase(): ClaimPhase {
    return knownOr(ClaimPhase, this.entry.data.phase);
  }
  get storageClassName(): string | null {
    return this.entry.data.storageClassName ?? null;
  }
  get volumeName(): string | null {
    return this.entry.data.volumeName ?? null;
  }
  get accessModes(): AccessMode[] {
    return this.entry.data.accessModes.map((m) => knownOr(AccessMode, m));
  }
  get requested(): PersistentVolumeClaim["requested"] {
    return storageSize(this.entry.data.requested);
  }
  get capacity(): PersistentVolumeClaim["capacity"] {
    return storageSize(this.entry.data.capacity);
  }
  get volumeMode(): VolumeMode | null {
    const mode = this.entry.data.volumeMode;
    return mode === undefined ? null : knownOr(VolumeMode, mode);
  }
}
export const persistentVolumeClaimView = (
  e: CacheEntry<PersistentVolumeClaimData>,
): PersistentVolumeClaimView => new PersistentVolumeClaimEntryView(e);

class PersistentVolumeEntryView extends EntryView<PersistentVolumeData> implements PersistentVolumeView {
  readonly __typename = "PersistentVolume";
  get phase(): VolumePhase {
    return knownOr(VolumePhase, this.entry.data.phase);
  }
  get capacity(): PersistentVolume["capacity"] {
    return storageSize(this.entry.data.capacity);
  }
  get accessModes(): AccessMode[] {
    return this.entry.data.accessModes.map((m) => knownOr(AccessMode, m));
  }
  get reclaimPolicy(): ReclaimPolicy | null {
    const policy = this.entry.data.reclaimPolicy;
    return policy === undefined ? null : knownOr(ReclaimPolicy, policy);
  }
  get storageClassName(): string | null {
    return this.entry.data.storageClassName ?? null;
  }
  get claimRef(): PersistentVolume["claimRef"] {
    const { claimNamespace, claimName } = this.entry.data;
    return claimName === undefined ? null : { namespaceName: claimNamespace ?? "", name: claimName };
  }
  get volumeMode(): VolumeMode | null {
    const mode = this.entry.data.volumeMode;
    return mode === undefined ? null : knownOr(VolumeMode, mode);
  }
  get reason(): string | null {
    return this.entry.data.reason ?? null;
  }
}
export const persistentVolumeView = (e: CacheEntry<PersistentVolumeData>): PersistentVolumeView =>
  new PersistentVolumeEntryView(e);

class StorageClassEntryView extends EntryView<StorageClassData> implements StorageClassView {
  readonly __typename = "StorageClass";
  get provisioner(): string {
    return this.entry.data.provisioner;
  }
  get reclaimPolicy(): ReclaimPolicy {
    return knownOr(ReclaimPolicy, this.entry.data.reclaimPolicy);
  }
  get volumeBindingMode(): VolumeBindingMode {
    return knownOr(VolumeBindingMode, this.entry.data.volumeBindingMode);
  }
  get allowVolumeExpansion(): boolean {
    return this.entry.data.allowVolumeExpansion;
  }
  get isDefault(): boolean {
    return this.entry.data.isDefault;
  }
}
export const storageClassView = (e: CacheEntry<StorageClassData>): StorageClassView =>
  new StorageClassEntryView(e);

class HorizontalPodAutoscalerEntryView
  extends EntryView<HorizontalPodAutoscalerData>
  implements HorizontalPodAutoscalerView
{
  readonly __typename = "HorizontalPodAutoscaler";
  get scaleTargetRef(): HorizontalPodAutoscaler["scaleTargetRef"] {
    const d = this.entry.data;
    return { kind: d.targetKind, name: d.targetName, apiVersion: d.targetApiVersion ?? null };
  }
  get minReplicas(): number {
    return this.entry.data.minReplicas;
  }
  get maxReplicas(): number {
    return this.entry.data.maxReplicas;
  }
  get currentReplicas(): number {
    return this.entry.data.currentReplicas;
  }
  get desiredReplicas(): number {
    return this.entry.data.desiredReplicas;
  }
  get metrics(): HorizontalPodAutoscaler["metrics"] {
    return this.entry.data.metrics.map((m) => ({
      ...m,
      target: m.target ?? null,
      current: m.current ?? null,
    }));
  }
  get lastScaleTime(): Date | null {
    return date(this.entry.data.lastScaleTime);
  }
  get conditions(): HorizontalPodAutoscaler["conditions"] {
    return conditionList(this.entry.data.conditions);
  }
}
export const horizontalPodAutoscalerView = (
  e: CacheEntry<HorizontalPodAutoscalerData>,
): HorizontalPodAutoscalerView => new HorizontalPodAutoscalerEntryView(e);

class ResourceQuotaEntryView extends EntryView<ResourceQuotaData> implements ResourceQuotaView {
  readonly __typename = "ResourceQuota";
  get resources(): ResourceQuota["resources"] {
    const { hard, used } = this.entry.data;
    return Object.keys(hard)
      .sort()
      .map((resource) => ({
        resource,
        hard: resourceQuantity(resource, hard[resource]!),
        used: used[resource] === undefined ? null : resourceQuantity(resource, used[resource]),
      }));
  }
  get scopes(): string[] {
    return [...this.entry.data.scopes];
  }
}
export const resourceQuotaView = (e: CacheEntry<ResourceQuotaData>): ResourceQuotaView =>
  new ResourceQuotaEntryView(e);

class LimitRangeEntryView extends EntryView<LimitRangeData> implements LimitRangeView {
  readonly __typename = "LimitRange";
  get limits(): LimitRange["limits"] {
    return this.entry.data.limits.map((l) => ({
      type: l.type,
      max: quantityList(l.max),
      min: quantityList(l.min),
      default: quantityList(l.default),
      defaultRequest: quantityList(l.defaultRequest),
      maxLimitRequestRatio: quantityList(l.maxLimitRequestRatio),
    }));
  }
}
export const limitRangeView = (e: CacheEntry<LimitRangeData>): LimitRangeView => new LimitRangeEntryView(e);
