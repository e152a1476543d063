import ForesightSim
import Testing

@Test func defaultStartIsTheFirstOfSeptember2026() {
    #expect(SimTime.format(SimTime.defaultStart) == "2026-09-01T00:00:00.000Z")
    #expect(SimTime.parse("2026-09-01") == SimTime.defaultStart)
}

@Test func parsesOffsetsFractionsAndRejectsGarbage() {
    let start = SimTime.defaultStart
    #expect(SimTime.parse("2026-09-01T02:00:00.000+02:00") == start)
    #expect(SimTime.parse("2026-08-31T19:30:00-04:30") == start)
    #expect(SimTime.parse("2026-09-01T00:00:05.123Z") == start + 5_123)
    #expect(SimTime.parse("2026-09-01T00:00") == start)
    #expect(SimTime.parse("2026-13-01") == nil)
    #expect(SimTime.parse("yesterday") == nil)
    #expect(SimTime.parse("2026-09-01T00:00:00Zjunk") == nil)
}

@Test func calendarRoundTripsAcrossLeapYears() {
    for days in stride(from: -800, through: 40_000, by: 37) {
        let date = SimTime.civil(days: days)
        #expect(SimTime.days(year: date.year, month: date.month, day: date.day) == days)
    }
    let leap = Int64(SimTime.days(year: 2028, month: 2, day: 29)) * SimTime.dayMs + 45_296_789
    #expect(SimTime.format(leap) == "2028-02-29T12:34:56.789Z")
    #expect(SimTime.parse(SimTime.format(leap)) == leap)
}

@Test func weekdaysAreMondayBased() {
    #expect(SimTime.weekday(ms: SimTime.defaultStart) == 1)  // 2026-09-01 is a Tuesday
    #expect(SimTime.weekday(ms: 0) == 3)  // 1970-01-01 was a Thursday
}
