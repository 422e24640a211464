import { Logger } from "@aws-lambda-powertools/logger";
import { SERVICE_NAME } from "./service";

/** The structured JSON logger, created once per execution environment. */
export const logger = /* @__PURE__ */ new Logger({ serviceName: SERVICE_NAME });
