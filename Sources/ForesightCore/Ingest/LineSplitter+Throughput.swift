/// How fast ``LineSplitter`` split an in-memory log.
public struct SplitterThroughput: Sendable {
    /// Bytes split.
    public var bytes: Int
    /// Lines handed out.
    public var lines: Int
    /// Wall-clock time of the split alone (building the sample is not counted).
    public var seconds: Double

    /// Millions of bytes per second.
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }
    /// Lines per second.
    public var linesPerSecond: Double { seconds > 0 ? Double(lines) / seconds : 0 }
}

extension LineSplitter {
    /// Splits a synthetic log of about `totalBytes` held in memory, in chunks of `chunkBytes`, and
    /// reports the speed. A measurement to run by hand in a release build, not a test.
    /// - Parameters:
    ///   - totalBytes: size of the sample log.
    ///   - chunkBytes: size of each `feed`, as the log sources read (1 MiB).
    /// - Complexity: O(totalBytes) time and memory.
    public static func measureThroughput(totalBytes: Int = 256 << 20, chunkBytes: Int = 1 << 20) -> SplitterThroughput {
        let sample = sampleLog(totalBytes: totalBytes)
        var splitter = LineSplitter()
        var lines = 0
        var checksum = 0
        let clock = ContinuousClock()
        let start = clock.now
        sample.withUnsafeBytes { all in
            var position = 0
            while position < all.count {
                let end = min(position + chunkBytes, all.count)
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[position..<end])) { line in
                    lines += 1
                    checksum &+= line.length
                }
                position = end
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // The checksum keeps the optimizer from dropping the callback's work.
        precondition(checksum >= lines, "every line has at least one byte")
        return SplitterThroughput(bytes: sample.count, lines: lines, seconds: seconds)
    }

    /// Deterministic JSON Lines of varied length (about 200 bytes each), filling `totalBytes`.
    static func sampleLog(totalBytes: Int) -> [UInt8] {
        var log: [UInt8] = []
        log.reserveCapacity(totalBytes + 512)
        var index = 0
        while log.count < totalBytes {
            let padding = String(repeating: "x", count: (index &* 37) % 120)
            let line = "{\"type\":\"track\",\"userId\":\"u\(index % 50_000)\",\"event\":\"Product Viewed\","
                + "\"timestamp\":\"2024-05-01T12:00:00Z\",\"properties\":{\"sku\":\"\(padding)\"}}\n"
            log.append(contentsOf: line.utf8)
            index += 1
        }
        return log
    }
}
