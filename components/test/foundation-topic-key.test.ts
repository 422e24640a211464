import { TopicKey } from "../src/foundation/topic-key";
import { ACCOUNT_ID, capture, expectWellFormed, json, mockPulumi, REGION } from "./harness";

beforeAll(() => mockPulumi({ state: { "aws:kms/key:Key": () => ({ keyId: "key-1" }) } }));

describe("TopicKey", () => {
  it("lets the account (through SNS only), CloudWatch alarms and EventBridge use a rotated key", async () => {
    const c = await capture((opts) => new TopicKey("topic-key", { aliasName: "tradai-dev-sns" }, opts));
    expectWellFormed(c, "tradai:foundation:TopicKey", "topic-key");
    const key = c.one("aws:kms/key:Key", "topic-key").inputs;
    expect(key).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const statements = json(key.policy).Statement as {
      Sid: string;
      Principal: unknown;
      Condition?: unknown;
    }[];
    expect(Object.fromEntries(statements.map((s) => [s.Sid, [s.Principal, s.Condition]]))).toEqual({
      AccountAdministers: [{ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, undefined],
      AccountPublishesThroughSns: [
        { AWS: "*" },
        {
          StringEquals: { "kms:CallerAccount": ACCOUNT_ID, "kms:ViaService": `sns.${REGION}.amazonaws.com` },
        },
      ],
      CloudWatchAlarmsPublish: [
        { Service: "cloudwatch.amazonaws.com" },
        { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      ],
      // EventBridge sends no source account to KMS: a condition would drop its deliveries.
      EventBridgePublishes: [{ Service: "events.amazonaws.com" }, undefined],
    });
    expect(c.one("aws:kms/alias:Alias", "topic-key").inputs).toEqual({
      name: "alias/tradai-dev-sns",
      targetKeyId: "key-1",
    });
  });
});
