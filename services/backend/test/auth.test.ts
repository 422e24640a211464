import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { type Backend, createResources, startBackend } from "./harness";
import { accessToken, makeKey } from "./tokens";

describe("backend authentication (Cognito JWT via aws-jwt-verify)", () => {
  const moto = useMoto();
  const key = makeKey("key-1");
  const stranger = makeKey("key-1");
  let backend: Backend;

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    const dynamodb = new DynamoDBClient({ region: TEST_REGION });
    const sqs = new SQSClient({ region: TEST_REGION });
    const resources = await createResources(dynamodb, sqs, "auth");
    backend = await startBackend({ ...resources, key });
  });
  afterAll(async () => {
    await backend?.app.close();
  });

  const list = (authorization?: string) =>
    fetch(`${backend.url}/v1/strategies`, { headers: authorization ? { authorization } : {} });

  it("accepts a valid access token", async () => {
    expect((await list(`Bearer ${accessToken(key)}`)).status).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["not a bearer token", "Basic dXNlcjpwYXNz"],
    ["a token signed by another key with the same kid", `Bearer ${accessToken(stranger)}`],
    ["an expired token", `Bearer ${accessToken(key, { exp: Math.floor(Date.now() / 1000) - 60 })}`],
    ["a token for another app client", `Bearer ${accessToken(key, { client_id: "other-client" })}`],
    [
      "an id token where access tokens are required",
      `Bearer ${accessToken(key, { token_use: "id", aud: "test-app-client" })}`,
    ],
    [
      "a token from another user pool",
      `Bearer ${accessToken(key, { iss: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Other" })}`,
    ],
  ])("rejects %s with 401", async (_, authorization) => {
    const response = await list(authorization);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/token/);
  });

  it("leaves health, readiness and the OpenAPI document public", async () => {
    expect((await fetch(`${backend.url}/health`)).status).toBe(200);
    expect((await fetch(`${backend.url}/ready`)).status).toBe(200);
    expect((await fetch(`${backend.url}/openapi.json`)).status).toBe(200);
  });
});
