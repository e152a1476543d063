/// Counts of what a generator or simulator wrote.
public struct OutputCounts: Sendable, Equatable {
    /// Good event lines written (a duplicate's second copy not included).
    public var events = 0
    /// Lines written a second time, with the same `messageId`.
    public var duplicates = 0
    /// Events replaced by a bad line.
    public var badLines = 0
    /// Bytes written.
    public var bytes = 0

    /// Lines written in all.
    public var lines: Int { events + duplicates + badLines }

    /// Creates zero counts.
    public init() {}
}

/// The last step before bytes leave: copies lines through, now and then replacing one with bad
/// input or writing one twice, as the `--bad-rate` and `--duplicate-rate` options ask.
///
/// It draws from its own random stream, so the good events are the same whatever the two rates.
struct OutputStage {
    let badRate: Double
    let duplicateRate: Double
    private var random: SimRandom
    private(set) var counts = OutputCounts()

    init(seed: UInt64, badRate: Double, duplicateRate: Double) {
        self.badRate = badRate
        self.duplicateRate = duplicateRate
        random = SimRandom(seed: deriveSeed(seed, 0xBAD))
    }

    /// Writes one complete line (its newline included) to `out`.
    @inline(__always)
    mutating func emit(line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let before = out.count
        if badRate > 0 && random.chance(badRate) {
            BadLine.append(replacing: line, random: &random, into: &out)
            counts.badLines += 1
        } else {
            out.append(contentsOf: line)
            counts.events += 1
            if duplicateRate > 0 && random.chance(duplicateRate) {
                out.append(contentsOf: line)
                counts.duplicates += 1
            }
        }
        counts.bytes += out.count - before
    }
}
