import { describe, expect, it } from "vitest";
import { bytes, instant, joinLocal, localStamp } from "./format";

describe("format", () => {
  it("shows dates the Norwegian way", () => {
    expect(localStamp("2026-03-09 21:14")).toBe("09.03.2026 21:14");
    expect(localStamp("2026-03-09")).toBe("09.03.2026");
    expect(instant("2026-07-01T10:05:00Z")).toBe("01.07.2026 12:05");
  });
  it("joins and checks the form's date and time", () => {
    expect(joinLocal("9.3.2026", "7:05")).toBe("09.03.2026 07:05");
    expect(joinLocal("09.03.2026", "")).toBe("09.03.2026");
    expect(joinLocal("2026-03-09", "10:00")).toBeNull();
    expect(joinLocal("09.03.2026", "24:00")).toBeNull();
  });
  it("sizes with a decimal comma in bokmål", () => {
    expect(bytes(1_500_000)).toBe("1,5 MB");
    expect(bytes(999)).toBe("999 B");
  });
});
