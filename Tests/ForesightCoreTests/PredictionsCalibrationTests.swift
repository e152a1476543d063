import Testing
import ForesightCore
import ForesightTestSupport

/// RFM-T summaries from events: the transaction-day rule, cancellations, the calibration and hold-out
/// boundaries, and the repeat value that Gamma-Gamma reads.
@Suite struct PredictionsCalibrationTests {
    static func order(_ user: String, _ time: String, _ revenue: Double, id: String) -> String {
        #"{"type":"track","event":"Order Completed","userId":"\#(user)","timestamp":"\#(time)","messageId":"\#(id)","properties":{"order_id":"\#(id)","revenue":\#(revenue)}}"#
    }

    static let lines = [
        // u1: two orders on Jan 1 (one transaction worth 15), Jan 3 (20, plus a cancelled 4), Jan 6 (30);
        // hold-out: two orders on Jan 12 (one transaction), one after the hold-out end.
        order("u1", "2026-01-01T10:00:00Z", 10, id: "a1"),
        order("u1", "2026-01-01T15:00:00Z", 5, id: "a2"),
        order("u1", "2026-01-03T09:00:00Z", 20, id: "a3"),
        order("u1", "2026-01-03T09:30:00Z", 4, id: "a4"),
        #"{"type":"track","event":"Order Cancelled","userId":"u1","timestamp":"2026-01-03T10:00:00Z","properties":{"order_id":"a4"}}"#,
        order("u1", "2026-01-06T18:00:00Z", 30, id: "a5"),
        order("u1", "2026-01-12T08:00:00Z", 7, id: "a6"),
        order("u1", "2026-01-12T20:00:00Z", 8, id: "a7"),
        order("u1", "2026-02-01T08:00:00Z", 9, id: "a8"),
        // u2: first buys after the calibration end: left out.
        order("u2", "2026-01-15T08:00:00Z", 50, id: "b1"),
        // u3: one order in the last second of the calibration end day.
        order("u3", "2026-01-10T23:59:59Z", 12, id: "c1"),
        // u4: no order at all.
        #"{"type":"page","userId":"u4","name":"Home","timestamp":"2026-01-02T08:00:00Z"}"#,
        // u5: the later order arrives first.
        order("u5", "2026-01-08T08:00:00Z", 40, id: "e2"),
        order("u5", "2026-01-02T08:00:00Z", 60, id: "e1"),
        // u6: 23:30 at UTC−2 is 01:30 UTC on Jan 5, the same UTC day as the next order.
        order("u6", "2026-01-04T23:30:00-02:00", 11, id: "f1"),
        order("u6", "2026-01-05T00:30:00Z", 13, id: "f2"),
        // u7: only a cancelled order.
        order("u7", "2026-01-02T08:00:00Z", 70, id: "g1"),
        #"{"type":"track","event":"Order Cancelled","userId":"u7","timestamp":"2026-01-02T09:00:00Z","properties":{"order_id":"g1"}}"#,
    ]

    static func engine() -> Engine {
        var engine = Engine()
        engine.ingest(lines: lines.joined(separator: "\n"))
        return engine
    }

    static func summary(_ data: CalibrationData, _ engine: Engine, _ key: String) -> CustomerSummary? {
        guard let id = engine.customers.lookup(key) else { return nil }
        return data.customers.first { $0.customer == id }
    }

    @Test func summariesFollowTheTransactionDayRule() throws {
        let engine = Self.engine()
        let data = engine.calibrationData(end: ms("2026-01-10T06:00:00Z"), holdoutEnd: ms("2026-01-20T00:00:00Z"), unit: .day)
        #expect(data.calibrationEndDay == Timestamp.daysFromCivil(year: 2026, month: 1, day: 10))
        #expect(data.customers.count == 4)  // u1, u3, u5, u6

        let u1 = try #require(Self.summary(data, engine, "u1"))
        #expect(u1.frequency == 2)
        #expect(u1.recencyDays == 5)
        #expect(u1.ageDays == 9)
        #expect(u1.monetaryValue == 25)  // (20 + 30) / 2: the cancelled order does not count
        #expect(u1.firstValue == 15)
        #expect(u1.holdoutTransactions == 1)

        let u3 = try #require(Self.summary(data, engine, "u3"))
        #expect(u3 == CustomerSummary(customer: u3.customer, frequency: 0, recencyDays: 0, ageDays: 0, monetaryValue: 0, firstValue: 12))

        let u5 = try #require(Self.summary(data, engine, "u5"))
        #expect(u5.frequency == 1)
        #expect(u5.recencyDays == 6)
        #expect(u5.ageDays == 8)
        #expect(u5.monetaryValue == 40)
        #expect(u5.firstValue == 60)

        let u6 = try #require(Self.summary(data, engine, "u6"))
        #expect(u6.frequency == 0)
        #expect(u6.firstValue == 24)
        #expect(u6.ageDays == 5)

        #expect(Self.summary(data, engine, "u2") == nil)
        #expect(Self.summary(data, engine, "u4") == nil)
        #expect(Self.summary(data, engine, "u7") == nil)
        #expect(data.repeatBuyers == 2)
        #expect(data.repeatTransactions == 3)
        #expect(data.holdoutTransactions == 1)
        #expect(data.holdoutLength == 10)
    }

    @Test func unitScalesRecencyAndAge() throws {
        let engine = Self.engine()
        let data = engine.calibrationData(end: ms("2026-01-10T00:00:00Z"), unit: .week)
        let u1 = try #require(Self.summary(data, engine, "u1"))
        #expect(abs(data.recency(u1) - 5.0 / 7) < 1e-12)
        #expect(abs(data.age(u1) - 9.0 / 7) < 1e-12)
        // Without a hold-out period nothing is counted after the end.
        #expect(u1.holdoutTransactions == 0)
        #expect(data.holdoutLength == 0)
    }

    @Test func anEarlierEndDropsLaterBuyersAndTransactions() throws {
        let engine = Self.engine()
        let data = engine.calibrationData(end: ms("2026-01-03T00:00:00Z"), holdoutEnd: ms("2026-01-06T00:00:00Z"), unit: .day)
        let u1 = try #require(Self.summary(data, engine, "u1"))
        #expect(u1.frequency == 1)
        #expect(u1.ageDays == 2)
        #expect(u1.monetaryValue == 20)
        #expect(u1.holdoutTransactions == 1)  // Jan 6, the last day of the hold-out
        let u5 = try #require(Self.summary(data, engine, "u5"))
        #expect(u5.frequency == 0)
        #expect(u5.holdoutTransactions == 0)  // Jan 8 is after the hold-out end
        #expect(Self.summary(data, engine, "u6") == nil)
    }
}
