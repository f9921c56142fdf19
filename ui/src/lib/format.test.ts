import { describe, expect, it } from "vitest";
import { bytes, instant, instantWithOffset, joinLocal, localStamp, zoneText } from "./format";

describe("format", () => {
  it("shows dates the Norwegian way", () => {
    expect(localStamp("2026-03-09 21:14")).toBe("09.03.2026 21:14");
    expect(localStamp("2026-03-09")).toBe("09.03.2026");
    expect(instant("2026-07-01T10:05:00Z")).toBe("01.07.2026 12:05");
    expect(instantWithOffset("2026-07-01T10:05:00Z")).toBe("01.07.2026 12:05 (UTC+2)");
    expect(instantWithOffset("2026-01-05T23:30:00+00:00")).toBe("06.01.2026 00:30 (UTC+1)");
  });
  it("joins and checks the form's date and time", () => {
    expect(joinLocal("9.3.2026", "7:05")).toBe("09.03.2026 07:05");
    expect(joinLocal("09.03.2026", "")).toBe("09.03.2026");
    expect(joinLocal("2026-03-09", "10:00")).toBeNull();
    expect(joinLocal("09.03.2026", "24:00")).toBeNull();
  });
  it("names time zones in words, with the UTC offset for a foreign zone", () => {
    expect(zoneText("Europe/Oslo", "2026-07-01T10:05:00Z")).toBe("norsk tid");
    expect(zoneText("Asia/Kolkata", "2026-07-01T10:05:00Z")).toBe("Asia/Kolkata, UTC+5:30");
    expect(zoneText("America/New_York", "2026-01-15T10:05:00Z")).toBe("America/New_York, UTC\u22125");
    expect(zoneText("UTC", "2026-01-15T10:05:00Z")).toBe("UTC");
    expect(zoneText("Europe/London", "2026-01-15T10:05:00Z")).toBe("Europe/London, UTC");
    expect(zoneText("Nowhere/Atlantis", "2026-01-15T10:05:00Z")).toBe("Nowhere/Atlantis");
  });
  it("sizes with a decimal comma in bokmål", () => {
    expect(bytes(1_500_000)).toBe("1,5 MB");
    expect(bytes(999)).toBe("999 B");
  });
});
