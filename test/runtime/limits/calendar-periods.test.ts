import { describe, expect, it } from "vitest";
import { currentPeriod, dayOf, monthOf } from "../../../runtime/limits/calendar-periods.ts";

describe("dayOf(now) and monthOf(now)", () => {
  it.each([
    { now: "2026-03-31T23:59:59.999Z", day: "2026-03-31", dayEnds: "2026-04-01T00:00:00.000Z", month: "2026-03", monthEnds: "2026-04-01T00:00:00.000Z" },
    { now: "2026-12-31T12:00:00.000Z", day: "2026-12-31", dayEnds: "2027-01-01T00:00:00.000Z", month: "2026-12", monthEnds: "2027-01-01T00:00:00.000Z" },
    { now: "2028-02-28T05:00:00.000Z", day: "2028-02-28", dayEnds: "2028-02-29T00:00:00.000Z", month: "2028-02", monthEnds: "2028-03-01T00:00:00.000Z" },
    { now: "2026-07-01T00:00:00.000Z", day: "2026-07-01", dayEnds: "2026-07-02T00:00:00.000Z", month: "2026-07", monthEnds: "2026-08-01T00:00:00.000Z" },
  ])("$now is in day $day and month $month (UTC)", ({ now, day, dayEnds, month, monthEnds }) => {
    const at = Date.parse(now);
    expect(dayOf(at)).toEqual({ id: day, startsAt: Date.parse(`${day}T00:00:00.000Z`), endsAt: Date.parse(dayEnds) });
    expect(monthOf(at)).toEqual({ id: month, startsAt: Date.parse(`${month}-01T00:00:00.000Z`), endsAt: Date.parse(monthEnds) });
  });

  it("currentPeriod moves on when the period ends, and back if the clock does", () => {
    const today = currentPeriod(dayOf);
    expect(today(Date.parse("2026-03-31T10:00:00Z")).id).toBe("2026-03-31");
    expect(today(Date.parse("2026-04-01T00:00:00Z")).id).toBe("2026-04-01");
    expect(today(Date.parse("2026-03-31T23:59:59Z")).id).toBe("2026-03-31");
  });
});
