/**
 * What a user may do in a namespace, as SelfSubjectRulesReview reports it (`kubectl auth can-i
 * --list`): every rule from every binding that applies to the user — cluster-wide bindings plus
 * the namespace's RoleBindings — split into resource and non-resource rules the way the real RBAC
 * authoriser's RulesFor does. Role resolution errors are reported in evaluationError.
 */
import type { ClusterStore } from "../store/cluster-store.js";
import { rbacIndexFor } from "./rbac-index.js";
import type { UserInfo } from "./user.js";

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** authorization.k8s.io/v1 SubjectRulesReviewStatus. */
export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export type RulesReviewer = (user: UserInfo, namespace: string) => SubjectRulesReviewStatus;

function nonEmpty<K extends string>(key: K, values: string[] | undefined): Partial<Record<K, string[]>> {
  return values && values.length > 0 ? ({ [key]: values } as Record<K, string[]>) : {};
}

export function createRulesReviewer(store: ClusterStore): RulesReviewer {
  const index = rbacIndexFor(store);
  return (user, namespace) => {
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    const errors: string[] = [];
    index.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (error !== undefined) errors.push(error);
      if (!rule) return true;
      if ((rule.resources?.length ?? 0) > 0) {
        resourceRules.push({
          verbs: rule.verbs,
          ...nonEmpty("apiGroups", rule.apiGroups),
          ...nonEmpty("resources", rule.resources),
          ...nonEmpty("resourceNames", rule.resourceNames),
        });
      }
      if ((rule.nonResourceURLs?.length ?? 0) > 0) {
        nonResourceRules.push({ verbs: rule.verbs, ...nonEmpty("nonResourceURLs", rule.nonResourceURLs) });
      }
      return true;
    });
    const unique = [...new Set(errors)];
    return {
      resourceRules,
      nonResourceRules,
      incomplete: false,
      ...(unique.length > 0
        ? { evaluationError: unique.length === 1 ? unique[0] : `[${unique.join(", ")}]` }
        : {}),
    };
  };
}
