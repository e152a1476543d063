/// The message ids seen within a window of event time, for dropping repeated `messageId`s.
///
/// Two generations of fingerprints, each covering `window` of event time: an id is a duplicate when either
/// generation holds it; when the newest event passes the end of the current generation, the older one is
/// dropped. So every repeat within `window` of the original is caught, and none older than 2 × `window`
/// is kept. Retries and replays from collectors arrive within minutes; keeping a day keeps the table in
/// the processor's cache, where a whole-log table of 10M ids (128 MiB) costs a cache miss per event.
/// A `window` of nil keeps every id of the log.
public struct DedupWindow: Sendable {
    public let window: Int64?
    @usableFromInline var current = FingerprintSet(capacity: 1 << 14)
    @usableFromInline var previous = FingerprintSet(capacity: 16)
    @usableFromInline var currentStart = Int64.min
    /// A one-hash bit filter of `previous` (256 KiB, stays in cache): most new ids are cleared by it
    /// without touching the previous table.
    @usableFromInline var previousFilter: [UInt64] = []
    @usableFromInline static let filterBits = 21

    /// - Parameter window: milliseconds of event time; nil for the whole log.
    public init(window: Int64?) { self.window = window }

    /// Records the id of an event at `time`; false when it was seen before (a duplicate).
    @inlinable
    public mutating func insert(_ fingerprint: UInt64, at time: Int64) -> Bool {
        if let window {
            if currentStart == Int64.min { currentStart = time }
            if time >= currentStart &+ window {
                rotate(to: time)
            }
            if previous.count > 0 && Self.mayContain(previousFilter, fingerprint) && previous.contains(fingerprint) { return false }
        }
        return current.insert(fingerprint)
    }

    @usableFromInline
    mutating func rotate(to time: Int64) {
        guard let window else { return }
        // A jump of more than two windows leaves nothing worth keeping.
        previous = time >= currentStart &+ 2 * window ? FingerprintSet(capacity: 16) : current
        current = FingerprintSet(capacity: max(1 << 14, previous.count + previous.count / 4))
        currentStart = time - (time - currentStart) % window
        var filter = [UInt64](repeating: 0, count: (1 << Self.filterBits) / 64)
        // Straight over the table and into the filter's buffer: no array of the fingerprints, no bounds or
        // uniqueness check per id (this ran once a day of event time but cost ~60 instructions per event).
        filter.withUnsafeMutableBufferPointer { words in
            previous.forEach { fp in
                let bit = Self.filterBit(fp)
                words[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        previousFilter = filter
    }

    @inline(__always) @usableFromInline
    static func filterBit(_ fp: UInt64) -> Int {
        // The table uses the low bits; the filter takes high ones. 0 is stored as 1 by the table.
        Int(truncatingIfNeeded: (fp == 0 ? 1 : fp) >> (64 - UInt64(filterBits)))
    }

    @inline(__always) @usableFromInline
    static func mayContain(_ filter: [UInt64], _ fp: UInt64) -> Bool {
        let bit = filterBit(fp)
        return filter.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
    }

    /// Where ``insert(_:at:)`` will probe first (the current generation), for ``PrefetchHints``.
    var tableHint: (address: UInt, mask: Int) { current.tableHint }

    /// Ids held.
    public var count: Int { current.count + previous.count }
    /// Bytes held.
    public var byteSize: Int { current.byteSize + previous.byteSize + previousFilter.count * 8 }
}
