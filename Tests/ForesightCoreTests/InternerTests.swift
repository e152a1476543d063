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
