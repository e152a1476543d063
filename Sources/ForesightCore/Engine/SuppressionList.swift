/// Customer keys whose events are dropped: the customers erased on request (GDPR), kept as 64-bit hashes of
/// their keys (``hashBytes(_:_:)``, the hash the parser takes of `userId` / `anonymousId`), never as ids.
///
/// The ingest path asks ``isEmpty`` first, a stored flag, so an empty list costs one predictable branch per
/// event. A different key with the same 64-bit hash would be suppressed too: about one chance in 10^10 for
/// a million erasures among a million customers.
public struct SuppressionList: Sendable, Equatable {
    private var hashes: Set<UInt64>
    /// No key is suppressed (the common case, checked on every event).
    public private(set) var isEmpty: Bool

    /// A list holding these key hashes.
    public init(_ hashes: [UInt64] = []) {
        self.hashes = Set(hashes)
        isEmpty = hashes.isEmpty
    }

    /// The number of keys suppressed.
    public var count: Int { hashes.count }

    /// Whether the key with this hash is suppressed.
    @inline(__always)
    public func contains(hash: UInt64) -> Bool { hashes.contains(hash) }

    /// Whether this key is suppressed.
    public func contains(key: String) -> Bool { hashes.contains(Self.hash(key)) }

    /// Adds a key hash; false when it was there already.
    @discardableResult
    public mutating func insert(hash: UInt64) -> Bool {
        isEmpty = false
        return hashes.insert(hash).inserted
    }

    /// The hashes in ascending order (for checkpoints).
    public var sortedHashes: [UInt64] { hashes.sorted() }

    /// The hash a key is suppressed by: ``hashBytes(_:_:)`` of its UTF-8 bytes.
    public static func hash(_ key: String) -> UInt64 {
        var s = key
        return s.withUTF8 { hashBytes(UnsafeRawPointer($0.baseAddress), $0.count) }
    }
}
