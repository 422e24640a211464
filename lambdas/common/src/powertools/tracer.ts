import { Tracer } from "@aws-lambda-powertools/tracer";
import { SERVICE_NAME } from "./service";

/**
 * X-Ray tracer; a no-op outside Lambda or when `POWERTOOLS_TRACE_ENABLED=false`. Kept in its own module
 * so functions that do not trace do not bundle the X-Ray SDK (about 130 KB).
 */
export const tracer = /* @__PURE__ */ new Tracer({ serviceName: SERVICE_NAME });
