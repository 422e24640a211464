/** The local platform: `startPlatform` (what `tradai local up` runs) and the commands around it. */
export * from "./commands";
export { acceptedToken } from "./components/authorizer";
export type { TokenRequest } from "./components/identity";
export * from "./plan-source";
export * from "./platform";
export * from "./topology";
