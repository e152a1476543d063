import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct SegmentTimerWithEventTests {
    /// A customer whose timer is due in the flush that also has her event: the segments reading the clock are
    /// evaluated too, not only those reading what the event changed.
    @Test func aDueTimerIsNotLostWhenTheCustomerAlsoHadAnEvent() throws {
        let segments = SegmentsConfiguration(file: "t", segments: [
            RuleSegment(name: "Quiet buyers", rule: try CompiledRule.compile("days_since_order > 2").get()),
        ])
        var p = IngestPipeline(sourceName: "t")
        p.segments = LiveSegments(configuration: segments)
        feed(&p, [track("ann", "Order Completed", "2026-03-01T10:00:00Z", "\"order_id\":\"o1\",\"revenue\":10")])
        p.flushSegments()
        #expect(p.segments?.membership.sizes == [0])
        // Three days later a page view; the flush has both her due timer (day 2) and her event.
        feed(&p, [track("ann", "Page Viewed", "2026-03-04T10:00:00Z")])
        p.flushSegments()
        #expect(p.segments?.membership.sizes == [1])
    }
}

@Suite struct SegmentParallelFlushTests {
    /// A deterministic log of `customers` customers over `days` days: identifies with a country and opt-ins,
    /// sessions of page and product views, cart adds, orders (some cancelled), support tickets.
    static func log(customers: Int, days: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        let t0 = ms("2026-01-01T00:00:00Z")
        func iso(_ t: Int64) -> String { Timestamp.iso8601(t) }
        var events: [(Int64, String)] = []
        let countries = ["DE", "AT", "CH", "US", "FR"]
        for c in 0..<customers {
            let user = "u\(c)"
            let start = t0 + Int64(pick(days * 24)) * 3_600_000
            events.append((start, identify(user, iso(start), email: pick(3) > 0, sms: pick(2) == 0)
                .replacingOccurrences(of: "}}", with: ",\"country\":\"\(countries[pick(5)])\",\"age\":\(18 + pick(50))}}")))
            var t = start
            for _ in 0..<(1 + pick(8)) {
                t += Int64(1 + pick(9 * 24)) * 3_600_000
                for _ in 0..<(1 + pick(4)) {
                    t += Int64(pick(600_000))
                    events.append((t, track(user, pick(3) == 0 ? "Product Viewed" : "Page Viewed", iso(t))))
                }
                if pick(3) == 0 { t += 60_000; events.append((t, track(user, "Product Added", iso(t)))) }
                if pick(4) == 0 {
                    t += 60_000
                    let order = "o\(c)-\(t)"
                    events.append((t, track(user, "Order Completed", iso(t), "\"order_id\":\"\(order)\",\"revenue\":\(10 + pick(400))")))
                    if pick(10) == 0 { events.append((t + 1000, track(user, "Order Cancelled", iso(t + 1000), "\"order_id\":\"\(order)\""))) }
                }
                if pick(15) == 0 { events.append((t + 5000, track(user, "Ticket Opened", iso(t + 5000)))) }
            }
        }
        return events.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The changes, membership and timers after replaying `lines` with the 20 sample rules, flushing every
    /// `every` lines, with the flush's evaluation split into `parts`.
    static func replay(_ lines: [String], every: Int, parts: Int) throws -> (changes: [SegmentChange], members: [[UInt32]], due: [Int64], sizes: [Int]) {
        let segments = try SegmentsBenchmark.sampleRules.enumerated().map { i, text in
            RuleSegment(name: "S\(i)", rule: try CompiledRule.compile(text).get())
        }
        var p = IngestPipeline(sourceName: "t")
        var live = LiveSegments(configuration: SegmentsConfiguration(file: "t", segments: segments))
        live.flushParts = parts
        live.keepsChanges = true
        p.segments = live
        var changes: [SegmentChange] = []
        for start in stride(from: 0, to: lines.count, by: every) {
            feed(&p, Array(lines[start..<min(lines.count, start + every)]))
            p.flushSegments()
            changes += p.segments?.lastChanges ?? []
        }
        // And the clock a month on: the timers alone.
        if let end = p.engine.watermark { p.engine.advanceClock(to: end + 30 * 86_400_000) }
        p.flushSegments()
        changes += p.segments?.lastChanges ?? []
        let m = try #require(p.segments?.membership)
        let members = (0..<m.segments.count).map { m.members(of: $0) }
        let due = (0..<UInt32(p.engine.profiles.count)).map { m.dueTime(of: $0) }
        return (changes, members, due, m.sizes)
    }

    /// A flush evaluated in parts side by side decides exactly what one pass does: the same changes in the same
    /// order (with their clauses and times), the same members and due times.
    @Test func aFlushInPartsDecidesWhatOnePassDoes() throws {
        let lines = Self.log(customers: 3000, days: 60, seed: 11)
        #expect(lines.count > 20_000)
        let serial = try Self.replay(lines, every: 4000, parts: 1)
        let parallel = try Self.replay(lines, every: 4000, parts: 3)
        #expect(serial.changes.count > 5000)
        #expect(serial.changes.contains { $0.byClock } && serial.changes.contains { !$0.byClock })
        #expect(serial.sizes.filter { $0 > 0 }.count >= 12, "\(serial.sizes)")
        #expect(parallel.changes.count == serial.changes.count)
        Self.expectSame(parallel.changes, serial.changes)
        #expect(parallel.members.map(\.count) == serial.members.map(\.count))
        let sameMembers = parallel.members == serial.members
        #expect(sameMembers, "the members differ")
        #expect(parallel.due.count == serial.due.count)
        let firstDue = parallel.due.indices.first { parallel.due[$0] != serial.due[$0] }
        #expect(firstDue == nil, "due times differ first at customer \(firstDue ?? -1)")
        #expect(parallel.sizes == serial.sizes)
        // The sizes are the members counted.
        #expect(parallel.sizes == parallel.members.map(\.count))
    }
}

extension SegmentParallelFlushTests {
    /// Fails at the first change that differs, naming both (not the whole lists).
    static func expectSame(_ a: [SegmentChange], _ b: [SegmentChange], sourceLocation: SourceLocation = #_sourceLocation) {
        let first = a.indices.first { $0 < b.count && a[$0] != b[$0] }
        #expect(first == nil, "change \(first ?? -1) differs: \(first.map { String(describing: a[$0]) } ?? "") vs \(first.map { String(describing: b[$0]) } ?? "")",
                sourceLocation: sourceLocation)
    }

    /// With the changes explained (each names the clause that moved the customer), every customer marked at once:
    /// the parts explain what one pass explains.
    @Test func explainedChangesAreTheSameInParts() throws {
        let lines = Self.log(customers: 2000, days: 40, seed: 5)
        var p = IngestPipeline(sourceName: "t")
        feed(&p, lines)
        let segments = try SegmentsBenchmark.sampleRules.enumerated().map { i, text in
            RuleSegment(name: "S\(i)", rule: try CompiledRule.compile(text).get())
        }
        let now = try #require(p.engine.watermark)
        func flush(parts: Int) -> (changes: [SegmentChange], sizes: [Int]) {
            var m = SegmentMembership(segments: segments)
            #expect(m.explainsChanges)
            var batch = SegmentUpdateBatch()
            batch.parts = parts
            for c in 0..<UInt32(p.engine.profiles.count) { batch.mark(customer: c) }
            let changes = batch.flush(into: &m, engine: p.engine, scores: NoSegmentScores(), now: now)
            return (changes, m.sizes)
        }
        let serial = flush(parts: 1), parallel = flush(parts: 4)
        #expect(serial.changes.count > 2000)
        #expect(serial.changes.allSatisfy { !$0.clause.isEmpty })
        #expect(parallel.changes.count == serial.changes.count)
        Self.expectSame(parallel.changes, serial.changes)
        #expect(parallel.sizes == serial.sizes)
    }
}
