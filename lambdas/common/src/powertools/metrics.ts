import { Metrics } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE, SERVICE_NAME } from "./service";

/** CloudWatch embedded-metric-format metrics (written to the log, published by CloudWatch Logs). */
export const metrics = /* @__PURE__ */ new Metrics({
  serviceName: SERVICE_NAME,
  namespace: METRICS_NAMESPACE,
});
