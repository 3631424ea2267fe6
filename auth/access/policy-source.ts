import type { ScopeGrant } from "../../src/cache/scope.js";
import type { Subject } from "../subject.js";
export interface PolicyInput { subject: { user: string; groups: readonly string[] }; action: string; resource: { cluster?: string; workspace?: string; namespace?: string; group?: string; kind?: string; name?: string }; request?: Record<string, unknown>; }
export interface PolicyDecision { allowed: boolean; reason?: string }
export interface PolicySource { grants(subject: Subject): Promise<readonly ScopeGrant[] | "everything">; allow(input: PolicyInput): Promise<PolicyDecision>; }
