/** Quantity maps (quotas, limit ranges) and storage sizes as the schema's shapes. */
import { quantityOrNull } from "../../src/kube/quantity.js";
import type { Quantities } from "../../src/kinds/index.js";
import type { ResourceQuantity } from "../../schema/common.js";
import type { StorageSize } from "../../schema/storage.js";

export const quantityValue = quantityOrNull;

export function resourceQuantity(resource: string, quantity: string): ResourceQuantity {
  return { resource, quantity, value: quantityValue(quantity) };
}

export function quantityList(q: Quantities): ResourceQuantity[] {
  return Object.keys(q)
    .sort()
    .map((k) => resourceQuantity(k, q[k]!));
}

export function storageSize(quantity: string | undefined): StorageSize | null {
  if (quantity === undefined) return null;
  const bytes = quantityValue(quantity);
  return { quantity, bytes: bytes === null ? null : Math.round(bytes) };
}
