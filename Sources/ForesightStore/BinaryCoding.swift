import ForesightCore

#if _endian(big)
#error("the checkpoint blobs are little-endian; a big-endian port needs byte swapping in BinaryCoding.swift")
#endif

/// Appends fixed-width little-endian values and arrays of plain values to a byte buffer (the blobs of a
/// checkpoint; formats in docs/STATE.md).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping its storage.
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func put<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func put(_ v: Double) { put(v.bitPattern) }
    mutating func put(_ v: Float) { put(v.bitPattern) }

    /// A count (u32) and the elements' bytes as they lie in memory (plain, trivial types only).
    mutating func putArray<T: BitwiseCopyable>(_ a: [T]) {
        put(UInt32(a.count))
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
}

/// Reads what ``ByteWriter`` wrote; every read is bounds-checked and throws on a short or damaged blob.
struct ByteReader {
    private let bytes: [UInt8]
    private var at = 0
    /// The blob's name, for the error message.
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var isAtEnd: Bool { at == bytes.count }

    mutating func get<T: FixedWidthInteger>(_: T.Type = T.self) throws(StoreError) -> T {
        let n = MemoryLayout<T>.size
        guard at + n <= bytes.count else { throw StoreError.damaged("\(what) ends early") }
        var v = T.zero
        withUnsafeMutableBytes(of: &v) { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<at + n])) }
        }
        at += n
        return T(littleEndian: v)
    }

    mutating func getDouble() throws(StoreError) -> Double { Double(bitPattern: try get(UInt64.self)) }
    mutating func getFloat() throws(StoreError) -> Float { Float(bitPattern: try get(UInt32.self)) }

    mutating func getArray<T: BitwiseCopyable>(_: T.Type = T.self, limit: Int = 1 << 31) throws(StoreError) -> [T] {
        let count = Int(try get(UInt32.self))
        let n = count * MemoryLayout<T>.stride
        guard count <= limit, at + n <= bytes.count else { throw StoreError.damaged("\(what) holds an array past its end") }
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<at + n]))
            }
            initialized = count
        }
        at += n
        return out
    }
}

/// Raw arrays of plain values (a timeline's 16-byte entries) to and from blob bytes.
enum PlainArray {
    static func bytes<T: BitwiseCopyable>(_ a: [T]) -> [UInt8] { a.withUnsafeBytes { Array($0) } }

    /// The elements of a blob of `count × stride` bytes; nil when the length does not divide.
    static func elements<T: BitwiseCopyable>(_ raw: UnsafeRawBufferPointer, as _: T.Type = T.self) -> [T]? {
        let stride = MemoryLayout<T>.stride
        guard raw.count % stride == 0 else { return nil }
        let count = raw.count / stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw) }
            initialized = count
        }
    }
}
