import ForesightCore
import ForesightSim
import Testing

/// ``IngestPipeline/consumeDeferred(_:quarantine:)`` applies each line during the next call; after
/// ``IngestPipeline/flush()`` the state must be exactly what ``IngestPipeline/consume(_:quarantine:)`` builds.
@Suite struct DeferredIngestTests {
    /// Splits `bytes` in chunks of odd sizes (so lines straddle chunks and are carried) and feeds every line.
    static func feed(_ bytes: [UInt8], chunk: Int, maxLineBytes: Int = 1 << 20, _ body: (Line) -> Void) {
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        bytes.withUnsafeBytes { all in
            var at = 0
            while at < all.count {
                let end = min(at + chunk, all.count)
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[at..<end]), body)
                at = end
            }
        }
        splitter.finish(body)
    }

    /// An entry as comparable values: `value` by its bits, since NaN (no value) is not equal to itself.
    struct EntryKey: Equatable {
        var time: Int64, name: UInt16, channel: Channel, kind: ItemKind, item: UInt32, value: UInt32
        init(_ e: TimelineEntry) {
            (time, name, channel, kind, item, value) = (e.time, e.name, e.channel, e.kind, e.item, e.value.bitPattern)
        }
    }

    static func expectSameState(_ a: IngestPipeline, _ b: IngestPipeline) {
        let e = a.engine, f = b.engine
        #expect(e.stats == f.stats)
        #expect(e.profiles.count == f.profiles.count)
        #expect(e.customers.strings == f.customers.strings)
        #expect(e.eventNames.strings == f.eventNames.strings)
        #expect(e.products.strings == f.products.strings)
        #expect(e.labels.strings == f.labels.strings)
        #expect(e.activity == f.activity)
        #expect(e.traits == f.traits)
        #expect(e.orderProducts == f.orderProducts)
        #expect(e.recentEvents.newest(256).map { [UInt64($0.customer)] } == f.recentEvents.newest(256).map { [UInt64($0.customer)] })
        #expect(e.recentEvents.newest(256).map { EntryKey($0.entry) } == f.recentEvents.newest(256).map { EntryKey($0.entry) })
        #expect(a.recentRejects.all == b.recentRejects.all)
        #expect(a.bytesConsumed == b.bytesConsumed)
        for c in 0..<min(e.profiles.count, f.profiles.count) {
            let p = e.profiles[c], q = f.profiles[c]
            #expect(p.timeline.map(EntryKey.init) == q.timeline.map(EntryKey.init), "customer \(c)")
            #expect(p.orders == q.orders, "customer \(c)")
            #expect(p.events == q.events && p.sessions == q.sessions && p.firstSeen == q.firstSeen
                    && p.lastSeen == q.lastSeen && p.revenue == q.revenue && p.refunds == q.refunds
                    && p.channels == q.channels && p.traitsIndex == q.traitsIndex && p.advocacy == q.advocacy
                    && p.sentimentSum == q.sentimentSum && p.orderCount == q.orderCount, "customer \(c)")
        }
    }

    @Test(arguments: [4093, 65_537])
    func deferredMatchesLineByLine(chunk: Int) {
        // Bad lines, duplicates and out-of-order events from the generator; lines over the limit too.
        let log = Generator.generate(GeneratorOptions(customers: 400, days: 20, seed: 11, badRate: 0.03, duplicateRate: 0.03)).bytes
        var direct = IngestPipeline(sourceName: "log")
        var deferred = IngestPipeline(sourceName: "log")
        Self.feed(log, chunk: chunk, maxLineBytes: 600) { direct.consume($0, quarantine: nil) }
        Self.feed(log, chunk: chunk, maxLineBytes: 600) { deferred.consumeDeferred($0, quarantine: nil) }
        deferred.flush()
        #expect(direct.engine.stats.accepted > 1_000)
        #expect(direct.engine.stats.duplicates > 0)
        #expect(direct.engine.stats.rejected > 0)
        Self.expectSameState(direct, deferred)
    }

    /// A synchronous `consume` after deferred ones first completes the pending line, keeping the order.
    @Test func mixingDeferredAndDirectKeepsTheOrder() {
        let lines = [
            #"{"event":"a","userId":"u","timestamp":"2026-03-01T10:00:00Z","messageId":"m1"}"#,
            #"{"event":"b","userId":"u","timestamp":"2026-03-01T10:01:00Z","messageId":"m1"}"#,
            #"not json"#,
            #"{"event":"c","userId":"v","timestamp":"2026-03-01T10:02:00Z","messageId":"m2"}"#,
            #"{"event":"d","userId":"u","timestamp":"2026-03-01T09:59:00Z","messageId":"m3"}"#,
        ]
        var direct = IngestPipeline(sourceName: "log")
        var mixed = IngestPipeline(sourceName: "log")
        for (k, text) in lines.enumerated() {
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBytes { raw in
                let line = Line(bytes: UnsafeRawBufferPointer(raw), offset: Int64(k * 100), number: k + 1, length: raw.count)
                direct.consume(line, quarantine: nil)
                if k == 3 { mixed.consume(line, quarantine: nil) } else { mixed.consumeDeferred(line, quarantine: nil) }
                // The caller's buffer is gone after the call: the pending line must not depend on it.
                for i in raw.indices { raw[i] = 0x20 }
            }
        }
        mixed.flush()
        #expect(direct.engine.stats.duplicates == 1)
        Self.expectSameState(direct, mixed)
    }
}
