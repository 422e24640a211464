import { ApiGatewayLoggingRole } from "../src/edge/api-gateway-logging-role";
import { capture, expectWellFormed, json, mockArn, mockPulumi } from "./harness";

beforeAll(() => mockPulumi());

describe("ApiGatewayLoggingRole", () => {
  it("registers a role API Gateway may assume, once the push-logs policy is attached", async () => {
    const c = await capture(
      (opts) => new ApiGatewayLoggingRole("api-logging", { roleName: "tradai-dev-apigw" }, opts),
    );
    expectWellFormed(c, "tradai:edge:ApiGatewayLoggingRole", "api-logging");
    const role = c.one("aws:iam/role:Role", "api-logging").inputs;
    expect(role.name).toBe("tradai-dev-apigw");
    expect(json(role.assumeRolePolicy).Statement[0].Principal).toEqual({
      Service: "apigateway.amazonaws.com",
    });
    const attachment = c.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-logging-push-logs");
    expect(attachment.inputs).toEqual({
      role: "tradai-dev-apigw",
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    const account = c.one("aws:apigateway/account:Account", "api-logging");
    expect(account.inputs.cloudwatchRoleArn).toBe(mockArn("aws:iam/role:Role", "tradai-dev-apigw"));
    expect(account.opts.dependsOn).toEqual([attachment.resource]);
  });
});
