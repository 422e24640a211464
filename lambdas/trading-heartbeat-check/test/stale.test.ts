import { findStaleHeartbeats } from "../src/stale";

describe("findStaleHeartbeats", () => {
  const now = new Date("2026-03-01T12:00:00Z");

  it("returns only beats older than the threshold, oldest first, with their age", () => {
    const stale = findStaleHeartbeats(
      [
        { serviceId: "fresh", lastBeatAt: "2026-03-01T11:59:30Z" },
        { serviceId: "edge", lastBeatAt: "2026-03-01T11:58:00Z" },
        { serviceId: "old", lastBeatAt: "2026-03-01T11:00:00Z" },
        { serviceId: "late", lastBeatAt: "2026-03-01T11:57:59Z" },
      ],
      now,
      120,
    );
    expect(stale).toEqual([
      { serviceId: "old", lastBeatAt: "2026-03-01T11:00:00Z", ageSeconds: 3600 },
      { serviceId: "late", lastBeatAt: "2026-03-01T11:57:59Z", ageSeconds: 121 },
    ]);
  });

  it("treats an unreadable time as stale and lists it first", () => {
    const stale = findStaleHeartbeats(
      [
        { serviceId: "old", lastBeatAt: "2026-03-01T11:00:00Z" },
        { serviceId: "broken", lastBeatAt: "yesterday" },
      ],
      now,
      60,
    );
    expect(stale.map((s) => [s.serviceId, s.ageSeconds])).toEqual([
      ["broken", null],
      ["old", 3600],
    ]);
  });

  it("reports expected services without any heartbeat as stale", () => {
    const stale = findStaleHeartbeats(
      [{ serviceId: "dry-run-trading", lastBeatAt: now.toISOString() }],
      now,
      60,
      ["dry-run-trading", "live-trading"],
    );
    expect(stale).toEqual([{ serviceId: "live-trading", lastBeatAt: "", ageSeconds: null, missing: true }]);
  });

  it("returns nothing when every beat is fresh", () => {
    expect(findStaleHeartbeats([{ serviceId: "a", lastBeatAt: now.toISOString() }], now, 60)).toEqual([]);
  });
});
