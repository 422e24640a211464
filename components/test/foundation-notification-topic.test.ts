import { NotificationTopic } from "../src/foundation/notification-topic";
import { capture, expectWellFormed, mockArn, mockPulumi, resolve } from "./harness";

const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";

beforeAll(() => mockPulumi());

describe("NotificationTopic", () => {
  it("encrypts the topic with the given key and subscribes nobody by default", async () => {
    const c = await capture(
      (opts) =>
        new NotificationTopic("alerts", { topicName: "tradai-dev-alerts", kmsKeyId: "key-arn" }, opts),
    );
    expectWellFormed(c, "tradai:foundation:NotificationTopic", "alerts");
    expect(c.one(TOPIC, "alerts").inputs).toEqual({ name: "tradai-dev-alerts", kmsMasterKeyId: "key-arn" });
    expect(c.ofType(SUBSCRIPTION)).toEqual([]);
    expect(await resolve(c.component.arn)).toBe(mockArn(TOPIC, "tradai-dev-alerts"));
  });

  it("subscribes each email address, one subscription per address", async () => {
    const c = await capture(
      (opts) =>
        new NotificationTopic(
          "ops",
          { topicName: "tradai-prod-ops", kmsKeyId: "k", emailSubscriptions: ["a@tradai.io", "b@tradai.io"] },
          opts,
        ),
    );
    expect(c.ofType(SUBSCRIPTION).map((s) => [s.name, s.inputs])).toEqual(
      ["a@tradai.io", "b@tradai.io"].map((endpoint, i) => [
        `ops-email-${i}`,
        { topic: mockArn(TOPIC, "tradai-prod-ops"), protocol: "email", endpoint },
      ]),
    );
  });
});
