/** The request context every resolver receives; built by createRequestContext in src/query-service. */
export { createRequestContext, type RequestContext } from "../src/query-service/index.js";
