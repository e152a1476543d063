import Foundation
import Testing
import ForesightCore

@Suite struct InternerTests {
    @Test func idsAreDenseStableAndRoundTrip() {
        var interner = Interner(capacity: 4)
        let keys = ["", "a", "u000123", "u0001234", "u00012345", String(repeating: "x", count: 300),
                    String(repeating: "x", count: 301), "Product Viewed", "é🙂", "u0001235"]
        let ids = keys.map { interner.intern($0) }
        #expect(ids == (0..<UInt32(keys.count)).map { $0 })
        // Interning again (after the table grew several times) returns the same ids.
        for _ in 0..<3 { #expect(keys.map { interner.intern($0) } == ids) }
        #expect(keys.map { interner.string(interner.lookup($0) ?? 999) } == keys)
        #expect(interner.lookup("u000124") == nil)
        #expect(interner.lookup(String(repeating: "x", count: 302)) == nil)
        #expect(interner.count == keys.count)
    }

    @Test func manyKeysSurviveGrowth() {
        var interner = Interner(capacity: 2)
        for i in 0..<50_000 { #expect(interner.intern("c\(i)") == UInt32(i)) }
        for i in stride(from: 0, to: 50_000, by: 997) { #expect(interner.lookup("c\(i)") == UInt32(i)) }
        #expect(interner.lookup("c50000") == nil)
    }
}

/// Keys of up to 8 bytes are resolved from the slot alone (hash tag and the key as a word), so the word
/// must tell apart keys that differ in any one byte, at every length.
@Test func shortKeysDifferingInOneByteGetDistinctIds() {
    var interner = Interner(capacity: 4)
    var keys: [[UInt8]] = []
    for length in 1...9 {
        for position in 0..<length {
            for value: UInt8 in [0x41, 0x42, 0xC3] {
                var key = [UInt8](repeating: 0x61, count: length)
                key[position] = value
                keys.append(key)
            }
        }
    }
    let unique = Array(Set(keys.map { Data($0) })).map { Array($0) }
    let ids = unique.map { key in key.withUnsafeBytes { interner.intern($0) } }
    #expect(Set(ids).count == unique.count)
    for (key, id) in zip(unique, ids) {
        #expect(key.withUnsafeBytes { interner.lookup($0) } == id)
    }
}

@Suite struct HashingTests {
    /// The byte-at-a-time definition of ``hashBytes(_:_:)``: words of 8 bytes, then the rest zero-padded.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(bytes.count) &* 0xD6E8_FEB8_6659_FD93)
        var i = 0
        while i < bytes.count {
            var w: UInt64 = 0
            for k in 0..<min(8, bytes.count - i) { w |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// Message-id fingerprints are compared across runs, so the hash of every length must stay the same
    /// whatever loads compute it; bytes around the key (here 0xFF) must not leak in.
    @Test func hashOfEveryLengthMatchesTheByteDefinition() {
        for length in 0...40 {
            let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let padded = [UInt8](repeating: 0xFF, count: 8) + key + [UInt8](repeating: 0xFF, count: 8)
            let h = padded.withUnsafeBytes { hashBytes($0.baseAddress! + 8, length) }
            #expect(h == Self.reference(key), "length \(length)")
        }
    }
}
