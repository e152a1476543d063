import Foundation
import ForesightCore
import ForesightSim
import ForesightTestSupport

/// A generated log with bad lines and duplicates, shared by the store tests.
enum StoreFixture {
    static let log: [UInt8] = Generator.generate(GeneratorOptions(customers: 600, days: 40, seed: 77, badRate: 0.01, duplicateRate: 0.02)).bytes

    /// Byte offsets just past each newline.
    static let lineEnds: [Int] = log.enumerated().compactMap { $0.element == 0x0A ? $0.offset + 1 : nil }
}

/// Feeds bytes to a pipeline through a line splitter, as the follower does (complete lines only).
func feed(_ bytes: ArraySlice<UInt8>, into pipeline: inout IngestPipeline, splitter: inout LineSplitter) {
    Array(bytes).withUnsafeBytes { raw in
        splitter.feed(raw) { pipeline.consumeDeferred($0, quarantine: nil) }
    }
    pipeline.flush()
}

/// The pipeline of a whole log read at once.
func replayed(_ bytes: ArraySlice<UInt8>, config: EngineConfig = EngineConfig()) -> IngestPipeline {
    var p = IngestPipeline(engine: Engine(config: config), sourceName: "test")
    var s = LineSplitter()
    feed(bytes, into: &p, splitter: &s)
    return p
}

/// What the reports of two engines say, as JSON (key-sorted), for comparing them.
func reportJSON(_ engine: Engine) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(engine.summary()), as: UTF8.self)
}

/// A position in a file nobody reads (in-process tests).
func position(offset: Int, line: Int) -> LogPosition {
    LogPosition(path: "/nonexistent/test.jsonl", device: 1, inode: 2, offset: Int64(offset), line: line, fingerprintBytes: 0, fingerprint: 0)
}
