/**
 * Preloaded into local service processes (`node --require`): aws-jwt-verify downloads the user pool's
 * JWKS from `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json` with `https.request`,
 * which no SDK endpoint variable reaches. When `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` is set (the
 * SDK's own variable for that service), requests to the Cognito host go there instead, over plain HTTP
 * on loopback; nothing else is touched, and without the variable this module does nothing.
 *
 * CommonJS TypeScript that Node runs as it is (it strips the types): a service starts from its bundle as
 * its image does, with no TypeScript loader in the process.
 */
const target = process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
if (target) {
  const https = require("node:https") as typeof import("node:https");
  const http = require("node:http") as typeof import("node:http");
  const original = https.request.bind(https);
  const cognitoHost = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/;
  const local = new URL(target);
  const redirect = (url: URL): URL => new URL(`${url.pathname}${url.search}`, local);
  // biome-ignore lint/suspicious/noExplicitAny: https.request has several overloads; this forwards them all.
  (https as { request: unknown }).request = (input: any, ...rest: any[]) => {
    const url = typeof input === "string" ? new URL(input) : input instanceof URL ? input : undefined;
    if (url && cognitoHost.test(url.hostname)) {
      return http.request(redirect(url), ...rest);
    }
    return original(input, ...rest);
  };
}
