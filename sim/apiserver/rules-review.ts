/**
 * SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules that apply to the requesting
 * user in spec.namespace, from the cluster's RBAC objects. Created (201) but never stored.
 */
import { isJsonObject } from "../../src/kube/object.js";
import { statusErrors } from "../errors.js";
import { readObject } from "./request-body.js";
import type { ResourceRequest } from "./resource-request.js";
import { typedJson } from "./serialize.js";

export async function serveRulesReview(r: ResourceRequest): Promise<void> {
  // A server without a rules reviewer does not serve the resource at all.
  if (!r.ctx.reviewRules) throw statusErrors.pathNotFound();
  const body = await readObject(r.req);
  const spec = isJsonObject(body.spec) ? body.spec : {};
  const namespace = typeof spec.namespace === "string" ? spec.namespace : "";
  // The registry refuses a review without a namespace before consulting any authoriser.
  if (namespace === "") throw statusErrors.badRequest("no namespace on request");
  const status = r.ctx.reviewRules(r.user, namespace);
  const metadata = isJsonObject(body.metadata) ? body.metadata : {};
  const answer = { metadata: { ...metadata, creationTimestamp: null }, spec: { namespace }, status };
  await r.reply.json(201, typedJson("authorization.k8s.io/v1", "SelfSubjectRulesReview", answer));
}
