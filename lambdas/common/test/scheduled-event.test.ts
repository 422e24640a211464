import { InvalidEventError, parseScheduledEvent } from "../src/index";
import { scheduledEvent } from "../testing/index";

describe("parseScheduledEvent", () => {
  it("accepts a rule's scheduled event and an EventBridge Scheduler one, defaulting the detail", () => {
    const event = scheduledEvent(new Date("2026-03-01T06:00:00Z"));
    expect(parseScheduledEvent(event)).toEqual(event);

    const { detail: _detail, ...withoutDetail } = { ...event, source: "aws.scheduler" };
    expect(parseScheduledEvent(withoutDetail)).toMatchObject({ source: "aws.scheduler", detail: {} });
  });

  it("names every failing field of anything else", () => {
    const bad = { ...scheduledEvent(new Date()), "detail-type": "Object Created", time: "yesterday" };
    expect(() => parseScheduledEvent(bad)).toThrow(InvalidEventError);
    expect(() => parseScheduledEvent(bad)).toThrow(/invalid EventBridge scheduled event: detail-type.*time/s);
    expect(() => parseScheduledEvent(null)).toThrow(InvalidEventError);
  });
});
