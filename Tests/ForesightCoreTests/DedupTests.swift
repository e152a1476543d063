import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct DedupTests {
    static let hour: Int64 = 3_600_000

    @Test func repeatsWithinTheWindowAreDuplicates() {
        var d = DedupWindow(window: 24 * Self.hour)
        do { let r = d.insert(1, at: 0); #expect(r) }
        do { let r = d.insert(1, at: 5 * Self.hour); #expect(!r) }
        do { let r = d.insert(2, at: 23 * Self.hour); #expect(r) }
        // The first generation rolls over at 24 h but is still checked.
        do { let r = d.insert(1, at: 30 * Self.hour); #expect(!r) }
        do { let r = d.insert(2, at: 47 * Self.hour); #expect(!r) }
        // Two windows later the first ids are forgotten.
        do { let r = d.insert(1, at: 49 * Self.hour); #expect(r) }
    }

    @Test func aJumpForgetsEverything() {
        var d = DedupWindow(window: Self.hour)
        do { let r = d.insert(7, at: 0); #expect(r) }
        do { let r = d.insert(7, at: 10 * Self.hour); #expect(r) }
        do { let r = d.insert(7, at: 10 * Self.hour + 1); #expect(!r) }
    }

    @Test func wholeLogWindowKeepsEveryId() {
        var d = DedupWindow(window: nil)
        do { let r = d.insert(9, at: 0); #expect(r) }
        do { let r = d.insert(9, at: 10_000 * Self.hour); #expect(!r) }
        #expect(d.count == 1)
    }

    @Test func engineCountsDuplicatesOnce() {
        var e = Engine()
        let line = #"{"event":"x","userId":"u","timestamp":"2026-03-01T10:00:00Z","messageId":"m-1"}"#
        let outcomes = e.ingest(lines: [line, line, line].joined(separator: "\n"))
        #expect(outcomes == [.accepted(customer: 0), .duplicate, .duplicate])
        #expect(e.stats.accepted == 1)
        #expect(e.stats.duplicates == 2)
        #expect(e.profile("u")?.events == 1)
    }
}
