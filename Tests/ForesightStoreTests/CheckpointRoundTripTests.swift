import Foundation
import Testing
import ForesightCore
import ForesightTestSupport
@testable import ForesightStore

/// A checkpoint restores the engine exactly: checkpoint at a line, restore, read the rest, and every query
/// agrees with reading the whole log at once.
@Suite struct CheckpointRoundTripTests {
    func bytes(_ t: [TimelineEntry]) -> [UInt8] { t.withUnsafeBytes { Array($0) } }

    @Test(arguments: [0.0, 0.13, 0.5, 0.77, 1.0])
    func restoredThenContinuedEqualsCleanReplay(fraction: Double) throws {
        let dir = try TemporaryDirectory("store-roundtrip")
        defer { dir.cleanup() }
        let log = StoreFixture.log
        let cut = fraction == 0 ? 0 : StoreFixture.lineEnds[Int(Double(StoreFixture.lineEnds.count - 1) * fraction)]
        var first = IngestPipeline(sourceName: "test")
        var splitter = LineSplitter()
        feed(log[..<cut], into: &first, splitter: &splitter)

        let store = try StateStore(path: dir.file("s.sqlite"))
        var written = WrittenState()
        let outcome = try store.writeCheckpoint(first.engine.exportState(), position: position(offset: cut, line: splitter.nextLineNumber),
                                                appliedSuppression: 0, written: &written)
        guard case .written(let report) = outcome else { Issue.record("not written: \(outcome)"); return }
        #expect(report.full)
        #expect(report.customers == first.engine.profiles.count)

        let loaded = try #require(try StateStore(path: dir.file("s.sqlite")).loadCheckpoint())
        #expect(loaded.position?.offset == Int64(cut))
        #expect(try reportJSON(loaded.engine) == reportJSON(first.engine))
        var resumed = IngestPipeline(engine: loaded.engine, sourceName: "test")
        var rest = LineSplitter(startOffset: Int64(cut), startLine: loaded.position?.line ?? 1)
        feed(log[cut...], into: &resumed, splitter: &rest)

        let clean = replayed(log[...])
        #expect(try reportJSON(resumed.engine) == reportJSON(clean.engine))
        let a = resumed.engine, b = clean.engine
        #expect(a.customers.strings == b.customers.strings)
        #expect(a.eventNames.strings == b.eventNames.strings)
        #expect(a.products.strings == b.products.strings)
        #expect(a.labels.strings == b.labels.strings)
        #expect(a.traits == b.traits)
        #expect(a.orderProducts == b.orderProducts)
        #expect(a.productCategory == b.productCategory)
        #expect(a.activity == b.activity)
        #expect(a.stats == b.stats)
        #expect(bytes(a.recentEvents.newest(256).map(\.entry)) == bytes(b.recentEvents.newest(256).map(\.entry)))
        for c in stride(from: 0, to: b.profiles.count, by: 7) {
            // Entries hold NaN values (no amount): compared as bytes.
            #expect(bytes(a.profiles[c].timeline) == bytes(b.profiles[c].timeline))
            #expect(a.profiles[c].orders == b.profiles[c].orders)
            #expect(a.customerDetail(UInt32(c), now: b.watermark ?? 0) == b.customerDetail(UInt32(c), now: b.watermark ?? 0))
        }
    }

    @Test func anIncrementalCheckpointWritesOnlyTheCustomersWhoChanged() throws {
        let dir = try TemporaryDirectory("store-incremental")
        defer { dir.cleanup() }
        let log = StoreFixture.log
        let ends = StoreFixture.lineEnds
        let cuts = [ends[ends.count / 2], ends[ends.count / 2 + 40], ends.count > 0 ? log.count : 0]
        var p = IngestPipeline(sourceName: "test")
        var splitter = LineSplitter()
        let store = try StateStore(path: dir.file("s.sqlite"))
        var written = WrittenState()
        var start = 0
        var reports: [CheckpointReport] = []
        for cut in cuts {
            feed(log[start..<cut], into: &p, splitter: &splitter)
            start = cut
            if case .written(let r) = try store.writeCheckpoint(p.engine.exportState(), position: position(offset: cut, line: splitter.nextLineNumber),
                                                                 appliedSuppression: 0, written: &written) { reports.append(r) }
        }
        #expect(reports.count == 3)
        #expect(reports[0].full && !reports[1].full && !reports[2].full)
        // 40 lines touch at most 40 customers.
        #expect(reports[1].customersWritten <= 40 && reports[1].customersWritten > 0)
        let loaded = try #require(try store.loadCheckpoint())
        #expect(try reportJSON(loaded.engine) == reportJSON(replayed(log[...]).engine))
    }

    @Test func theKeyCheckerRefusesADamagedState() throws {
        var engine = replayed(StoreFixture.log[...]).engine
        var state = engine.exportState()
        state.profiles.removeLast()
        #expect(throws: EngineStateError.self) { try Engine(restoring: state) }
        var other = engine.exportState()
        other.profiles[0].traitsIndex = UInt32(other.traits.count + 5)
        #expect(throws: EngineStateError.self) { try Engine(restoring: other) }
    }
}
