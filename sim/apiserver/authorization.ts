/** The authoriser attributes of a request (k8s.io/apiserver authorizer.AttributesRecord). */
import type { RequestAttributes, UserInfo } from "../auth/user.js";
import type { RequestInfo } from "./request-info.js";

export function attributesOf(info: RequestInfo, user: UserInfo): RequestAttributes {
  return {
    user,
    verb: info.verb,
    resourceRequest: info.isResourceRequest,
    group: info.apiGroup,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
    path: info.path,
  };
}
