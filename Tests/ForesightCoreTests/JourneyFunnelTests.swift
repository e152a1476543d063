import Testing
import ForesightCore
import ForesightTestSupport

/// Funnel semantics on hand-built logs.
@Suite struct JourneyFunnelTests {
    /// One track line; `t` is minutes after 2026-03-01T10:00Z.
    static func line(_ user: String, _ event: String, _ t: Int, seconds: Int = 0) -> String {
        let h = 10 + t / 60, m = t % 60
        let time = "2026-03-\(String(format: "%02d", 1 + h / 24))T\(String(format: "%02d:%02d:%02d", h % 24, m, seconds))Z"
        return #"{"event":"\#(event)","userId":"\#(user)","timestamp":"\#(time)"}"#
    }

    static func engine(_ lines: [String]) -> Engine {
        var e = Engine()
        e.ingest(lines: lines.joined(separator: "\n") + "\n")
        return e
    }

    func users(_ e: Engine, _ steps: String, window: Int64? = nil) throws -> [Int] {
        let report = try e.funnel(try FunnelSteps.parse(steps, windowMs: window), now: e.watermark ?? 0)
        return report.rows.map(\.users)
    }

    @Test func stepsInOrderWithOtherEventsBetween() throws {
        let e = Self.engine([
            Self.line("a", "A", 0), Self.line("a", "X", 1), Self.line("a", "B", 2), Self.line("a", "C", 3),
            Self.line("b", "A", 0), Self.line("b", "C", 1), Self.line("b", "B", 2),   // C before B: stops at B
            Self.line("c", "B", 0), Self.line("c", "C", 1),                            // never did A
        ])
        #expect(try users(e, "A,B,C") == [2, 2, 1])
        let report = try e.funnel(try FunnelSteps.parse("A, B, C"), now: e.watermark ?? 0)
        #expect(report.rows[1].conversionFromPrevious == 1)
        #expect(report.rows[2].conversionFromPrevious == 0.5)
        #expect(report.rows[2].conversionFromFirst == 0.5)
        #expect(report.rows[2].dropOff == 1)
        #expect(report.rows[0].dropOff == 1)   // c never did A
        // a: A at 0, B at 2 (2 min); b: A at 0, B at 2 → median 120 s. C: a only, 1 min after B.
        #expect(report.rows[1].medianSecondsFromPrevious == 120)
        #expect(report.rows[2].medianSecondsFromPrevious == 60)
        #expect(report.rows[0].medianSecondsFromPrevious == nil)
        // Who dropped at C (did A and B, not C): b.
        #expect(report.droppedAt(2).map { e.customers.string($0) } == ["b"])
        #expect(report.droppedAt(0).map { e.customers.string($0) } == ["c"])
    }

    @Test func repeatedStepsNeedDistinctEvents() throws {
        let once = Self.engine([Self.line("a", "A", 0), Self.line("a", "B", 1)])
        #expect(try users(once, "A,A,B") == [1, 0, 0])
        let twice = Self.engine([Self.line("a", "A", 0), Self.line("a", "A", 1), Self.line("a", "B", 2)])
        #expect(try users(twice, "A,A,B") == [1, 1, 1])
        // Earliest matches: the time from the first A to the second is 1 minute.
        let report = try twice.funnel(try FunnelSteps.parse("A,A,B"), now: twice.watermark ?? 0)
        #expect(report.rows[1].medianSecondsFromPrevious == 60)
    }

    @Test func equalTimestampsKeepArrivalOrder() throws {
        // Same second: the timeline keeps the order of arrival, so A then B counts, B then A does not.
        let ab = Self.engine([Self.line("a", "A", 0), Self.line("a", "B", 0)])
        #expect(try users(ab, "A,B") == [1, 1])
        let ba = Self.engine([Self.line("a", "B", 0), Self.line("a", "A", 0)])
        #expect(try users(ba, "A,B") == [1, 0])
        let report = try ab.funnel(try FunnelSteps.parse("A,B"), now: ab.watermark ?? 0)
        #expect(report.rows[1].medianSecondsFromPrevious == 0)
    }

    @Test func outOfOrderLinesAreReadInTimeOrder() throws {
        // Written C, B, A but timed A < B < C.
        let e = Self.engine([Self.line("a", "C", 30), Self.line("a", "B", 20), Self.line("a", "A", 10)])
        #expect(try users(e, "A,B,C") == [1, 1, 1])
        #expect(try users(e, "C,B") == [1, 0])
    }

    @Test func alternativesMatchAnyName() throws {
        let e = Self.engine([
            Self.line("a", "A", 0), Self.line("a", "B1", 1), Self.line("a", "C", 2),
            Self.line("b", "A", 0), Self.line("b", "B2", 1), Self.line("b", "C", 2),
            Self.line("c", "A", 0), Self.line("c", "B3", 1), Self.line("c", "C", 2),
        ])
        #expect(try users(e, "A, B1|B2, C") == [3, 2, 2])
        #expect(try users(e, "A|C, C") == [3, 3])
    }

    @Test func windowCountsFromTheFirstStepAndTriesLaterStarts() throws {
        let e = Self.engine([
            // a: B 90 minutes after A: outside a 1-hour window.
            Self.line("a", "A", 0), Self.line("a", "B", 90),
            // b: an early A that goes nowhere, a later A followed by B within the hour.
            Self.line("b", "A", 0), Self.line("b", "A", 100), Self.line("b", "B", 130), Self.line("b", "C", 170),
        ])
        let hour: Int64 = 3_600_000
        #expect(try users(e, "A,B") == [2, 2])
        #expect(try users(e, "A,B", window: hour) == [2, 1])
        // b's C is 70 minutes after the later A: within 2 hours, not within 1.
        #expect(try users(e, "A,B,C", window: hour) == [2, 1, 0])
        #expect(try users(e, "A,B,C", window: 2 * hour) == [2, 2, 1])
        // Exactly at the window's end still counts.
        #expect(try users(e, "A,B", window: 90 * 60_000) == [2, 2])
    }

    @Test func badStepsAreExplained() throws {
        #expect(throws: JourneyError.self) { try FunnelSteps.parse("A,,B") }
        #expect(throws: JourneyError.self) { try FunnelSteps.parse("A|,B") }
        #expect(throws: JourneyError.self) { try FunnelSteps.parse("  ") }
        do {
            _ = try FunnelSteps.parse("A,,B")
        } catch {
            #expect(error.description.contains("step 2 is empty"))
        }
        let e = Self.engine([Self.line("a", "Product Viewed", 0)])
        do {
            _ = try e.funnel(try FunnelSteps.parse("Product Viewed, Prodct Added"), now: 0)
            Issue.record("an unknown step name must fail")
        } catch {
            #expect(error.description.contains("step 2: no event is named 'Prodct Added'"))
            #expect(error.description.contains("did you mean 'Product Added'"))
        }
        // A built-in name absent from the log is fine: nobody did it.
        #expect(try users(e, "Product Viewed, Order Completed") == [1, 0])
        #expect(throws: JourneyError.self) { try JourneyDuration.parse("7 days") }
        #expect(try JourneyDuration.parse("7d") == 7 * 86_400_000)
        #expect(try JourneyDuration.parse("30m") == 30 * 60_000)
    }
}
