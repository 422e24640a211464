/**
 * Flow 4 on the dev plan: what the edge refuses the way AWS would. API Gateway's Cognito authorizer
 * (as planned: token kind, user pool, scopes) answers 401 with its own messages; the load balancer's web
 * ACL blocks (403) anything without the origin header API Gateway adds. A request with the token the
 * plan accepts passes both, so each refusal is about the one thing that is wrong.
 */
import { refusalsFlow } from "./flows";
import { usePlatform } from "./harness";

jest.setTimeout(120_000);

describe("flow 4: refusals at the edge, on the dev plan", () => {
  const platform = usePlatform({ services: ["backend-api"] });
  let flow: Awaited<ReturnType<typeof refusalsFlow>>;
  beforeAll(async () => {
    flow = await refusalsFlow(platform());
  });

  it("passes a request with the token kind and scopes the planned authorizer accepts", () => {
    expect(flow.good.status).toBe(200);
  });

  it("refuses the other token kind with API Gateway's 401 Unauthorized", () => {
    expect(flow.wrongKind).toEqual({ status: 401, body: JSON.stringify({ message: "Unauthorized" }) });
  });

  it("refuses an expired token with API Gateway's expiry message", () => {
    expect(flow.expired).toEqual({
      status: 401,
      body: JSON.stringify({ message: "The incoming token has expired" }),
    });
  });

  it("refuses a token of another user pool and a request without a token", () => {
    expect(flow.otherPool.status).toBe(401);
    expect(flow.noToken.status).toBe(401);
  });

  it("blocks requests at the load balancer without the origin header, or with a wrong one (403)", () => {
    expect(flow.noOriginHeader.status).toBe(403);
    expect(flow.forgedOriginHeader.status).toBe(403);
  });
});
