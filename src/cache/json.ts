/** Total accessors over untyped Kubernetes JSON: a missing or mistyped field reads as empty. */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number => (typeof v === "number" ? v : 0);
export const time = (v: unknown): number | undefined => (typeof v === "string" ? Date.parse(v) : undefined);
