import CForesightSupport

/// A validating JSON scanner over one line's bytes: strings (escapes, surrogate pairs, UTF-8), numbers,
/// literals, and nested values it skips. It never allocates on the valid path.
///
/// Positions are byte offsets in the line; errors carry a 1-based column.
///
/// The bytes must be followed by at least 16 readable bytes, the first of them zero (``PaddedLine``):
/// ``string()`` and ``keyWords(_:)`` load 16 bytes at a time without checking the end. A cursor over part
/// of a padded line (a quoted number) may only use ``number()``.
@usableFromInline
struct JSONCursor {
    @usableFromInline let p: UnsafePointer<UInt8>
    @usableFromInline let n: Int
    @usableFromInline var i = 0
    /// Nesting limit for skipped values; deeper input is rejected rather than risking the stack.
    static let maxDepth = 64

    @usableFromInline
    init(_ p: UnsafePointer<UInt8>, _ n: Int) {
        self.p = p
        self.n = n
    }

    /// The byte at the cursor, or 0 at the end (0 is never valid where a byte is expected).
    @inlinable @inline(__always)
    var peek: UInt8 { i < n ? p[i] : 0 }

    @inlinable @inline(__always)
    func fail(_ reason: RejectReason, _ detail: String) -> LineError {
        LineError(reason, column: i + 1, detail)
    }

    @inlinable @inline(__always)
    mutating func skipWS() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i &+= 1 } else { return }
        }
    }

    @inlinable @inline(__always)
    mutating func expect(_ c: UInt8, _ what: String) throws(LineError) {
        guard peek == c else { throw fail(.invalidJSON, i < n ? "expected \(what)" : "line ends early, expected \(what)") }
        i &+= 1
    }

    // MARK: strings

    /// Scans a string starting at its opening quote; returns the span of its content.
    ///
    /// Jumps 16 bytes at a time (SSE2) to the next byte that needs a look: a quote, backslash, control or
    /// non-ASCII byte. Most strings of the log (keys, ids, names) are shorter than 16 bytes, so they take
    /// one vector test. Relies on the padding of the line (``PaddedLine``): 16 bytes are readable at any
    /// position up to the end, and the zero byte at the end stops the scan there.
    @inlinable @inline(__always)
    mutating func string() throws(LineError) -> Span {
        i &+= 1
        let start = i
        var escaped = false
        while true {
            let stops = foresight_string_stops16(p + i)
            if stops == 0 { i &+= 16; continue }
            i &+= stops.trailingZeroBitCount
            guard i < n else { throw fail(.invalidJSON, "unterminated string") }
            let c = p[i]
            if c == 0x22 {
                let span = Span(start: start, count: i - start, escaped: escaped)
                i &+= 1
                return span
            } else if c == 0x5C {
                escaped = true
                try escape()
            } else if c < 0x20 {
                throw fail(.invalidJSON, "control character in a string (must be escaped)")
            } else {
                try utf8Sequence()
            }
        }
    }

    @usableFromInline
    mutating func escape() throws(LineError) {
        let at = i
        func bad(_ detail: String) -> LineError { LineError(.invalidJSON, column: at + 1, detail) }
        i &+= 1
        guard i < n else { throw bad("unterminated escape") }
        switch p[i] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            i &+= 1
        case 0x75:
            let unit = try hex4()
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard i &+ 1 < n, p[i] == 0x5C, p[i &+ 1] == 0x75 else {
                    throw bad("high surrogate \\u\(String(unit, radix: 16)) without its low surrogate")
                }
                i &+= 1
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw bad("high surrogate followed by \\u\(String(low, radix: 16)), not a low surrogate")
                }
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw bad("lone low surrogate \\u\(String(unit, radix: 16))")
            }
        default:
            throw bad("invalid escape sequence")
        }
    }

    /// Reads `uXXXX` (cursor on the `u`) and returns the code unit.
    @usableFromInline
    mutating func hex4() throws(LineError) -> UInt32 {
        i &+= 1
        guard i &+ 4 <= n else { throw fail(.invalidJSON, "\\u escape needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail(.invalidJSON, "\\u escape needs four hex digits")
            }
            v = v << 4 | d
            i &+= 1
        }
        return v
    }

    /// Validates one UTF-8 sequence at the cursor (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    @usableFromInline
    mutating func utf8Sequence() throws(LineError) {
        let c = p[i]
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: throw fail(.invalidUTF8, "byte 0x\(String(c, radix: 16, uppercase: true)) cannot start a UTF-8 character")
        }
        guard i &+ need < n else { throw fail(.invalidUTF8, "truncated UTF-8 character") }
        let second = p[i &+ 1]
        guard second >= lo && second <= hi else { throw fail(.invalidUTF8, "invalid UTF-8 continuation byte") }
        var k = 2
        while k <= need {
            guard p[i &+ k] & 0xC0 == 0x80 else { throw fail(.invalidUTF8, "invalid UTF-8 continuation byte") }
            k &+= 1
        }
        i &+= need &+ 1
    }

    // MARK: numbers

    @usableFromInline static let pow10: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Scans a number per RFC 8259 and returns its value and its text.
    @inlinable
    mutating func number() throws(LineError) -> (Double, Span) {
        let start = i
        var negative = false
        if peek == 0x2D { negative = true; i &+= 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        let c0 = peek
        if c0 == 0x30 {
            i &+= 1
        } else if c0 >= 0x31 && c0 <= 0x39 {
            while i < n, p[i] &- 0x30 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); digits &+= 1 } else { exponent &+= 1 }
                i &+= 1
            }
        } else {
            throw fail(.invalidJSON, "invalid number")
        }
        if peek == 0x2E {
            i &+= 1
            let fracStart = i
            while i < n, p[i] &- 0x30 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); digits &+= 1; exponent &-= 1 }
                i &+= 1
            }
            guard i > fracStart else { throw fail(.invalidJSON, "invalid number: digits expected after '.'") }
        }
        var slow = digits >= 19
        if peek == 0x65 || peek == 0x45 {
            i &+= 1
            var expNegative = false
            if peek == 0x2B || peek == 0x2D { expNegative = peek == 0x2D; i &+= 1 }
            let expStart = i
            var e = 0
            while i < n, p[i] &- 0x30 < 10 {
                if e < 100_000 { e = e &* 10 &+ Int(p[i] &- 0x30) }
                i &+= 1
            }
            guard i > expStart else { throw fail(.invalidJSON, "invalid number: digits expected in exponent") }
            exponent &+= expNegative ? -e : e
        }
        let span = Span(start: start, count: i - start, escaped: false)
        var value: Double
        if !slow && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            value = Double(mantissa)
            if exponent < 0 { value /= Self.pow10[-exponent] } else if exponent > 0 { value *= Self.pow10[exponent] }
        } else {
            slow = true
            let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
            value = Double(text) ?? .nan
            return (value, span)
        }
        return (negative ? -value : value, span)
    }

    // MARK: skipping

    /// Validates and skips any JSON value.
    @usableFromInline
    mutating func skipValue(depth: Int = 0) throws(LineError) {
        switch peek {
        case 0x22: _ = try string()
        case 0x7B: try skipObject(depth: depth + 1)
        case 0x5B: try skipArray(depth: depth + 1)
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        case 0x2D, 0x30...0x39: _ = try number()
        case 0: throw fail(.invalidJSON, "line ends early, expected a value")
        default: throw fail(.invalidJSON, "unexpected character '\(printable(peek))', expected a value")
        }
    }

    @usableFromInline
    mutating func skipObject(depth: Int) throws(LineError) {
        guard depth <= Self.maxDepth else { throw fail(.invalidJSON, "nesting deeper than \(Self.maxDepth)") }
        i &+= 1
        skipWS()
        if peek == 0x7D { i &+= 1; return }
        while true {
            guard peek == 0x22 else { throw fail(.invalidJSON, "expected a quoted key") }
            _ = try string()
            skipWS()
            try expect(0x3A, "':' after a key")
            skipWS()
            try skipValue(depth: depth)
            skipWS()
            if peek == 0x2C { i &+= 1; skipWS(); continue }
            if peek == 0x7D { i &+= 1; return }
            throw fail(.invalidJSON, i < n ? "expected ',' or '}'" : "line ends inside an object")
        }
    }

    @usableFromInline
    mutating func skipArray(depth: Int) throws(LineError) {
        guard depth <= Self.maxDepth else { throw fail(.invalidJSON, "nesting deeper than \(Self.maxDepth)") }
        i &+= 1
        skipWS()
        if peek == 0x5D { i &+= 1; return }
        while true {
            try skipValue(depth: depth)
            skipWS()
            if peek == 0x2C { i &+= 1; skipWS(); continue }
            if peek == 0x5D { i &+= 1; return }
            throw fail(.invalidJSON, i < n ? "expected ',' or ']'" : "line ends inside an array")
        }
    }

    @usableFromInline
    mutating func literal(_ word: StaticString) throws(LineError) {
        let count = word.utf8CodeUnitCount
        guard i &+ count <= n, memcmpBytes(UnsafeRawPointer(p + i), UnsafeRawPointer(word.utf8Start), count) else {
            throw fail(.invalidJSON, "unquoted text where a value should be (strings need double quotes; did you mean \(word)?)")
        }
        i &+= count
    }

    @usableFromInline
    func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "0x" + String(c, radix: 16, uppercase: true)
    }

    /// The bytes of a short unescaped string as two zero-padded words, to compare with literals a word at
    /// a time instead of byte by byte (``KeyWords/init(_:)`` folds a literal to constants at compile time).
    /// An escaped string or one over 16 bytes gives ``KeyWords/none``: no field name of the contract is either.
    @inlinable @inline(__always)
    func keyWords(_ k: Span) -> KeyWords {
        let count = Int(k.count), start = Int(k.start)
        guard !k.escaped, count <= 16, k.start >= 0 else { return .none }
        // Two loads and two masks: the bytes past the key (the line's, or its padding) are masked off.
        let base = UnsafeRawPointer(p + start)
        var w0 = base.loadUnaligned(as: UInt64.self)
        var w1 = base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if count < 8 {
            w0 &= (1 &<< UInt64(count &* 8)) &- 1
            w1 = 0
        } else if count < 16 {
            w1 &= (1 &<< UInt64((count &- 8) &* 8)) &- 1
        }
        return KeyWords(w0: w0, w1: w1, count: count)
    }

    /// Whether the key span equals an ASCII literal.
    @inlinable @inline(__always)
    func key(_ k: Span, is literal: StaticString) -> Bool {
        Int(k.count) == literal.utf8CodeUnitCount && !k.escaped
            && memcmpBytes(UnsafeRawPointer(p + Int(k.start)), UnsafeRawPointer(literal.utf8Start), Int(k.count))
    }
}


/// A string of up to 16 bytes as two little-endian words and its length (see ``JSONCursor/keyWords(_:)``).
@usableFromInline
struct KeyWords: Sendable {
    @usableFromInline let w0: UInt64
    @usableFromInline let w1: UInt64
    @usableFromInline let count: Int

    /// Matches no literal (the count of a real string is never negative).
    @inlinable static var none: KeyWords { KeyWords(w0: 0, w1: 0, count: -1) }

    @inlinable @inline(__always)
    init(w0: UInt64, w1: UInt64, count: Int) {
        self.w0 = w0
        self.w1 = w1
        self.count = count
    }

    /// The words of an ASCII literal of at most 16 bytes. Inlined, the loop over a literal folds to constants.
    @inlinable @inline(__always)
    init(_ literal: StaticString) {
        let n = literal.utf8CodeUnitCount
        var w0: UInt64 = 0, w1: UInt64 = 0
        var k = 0
        while k < n && k < 16 {
            let b = UInt64(literal.utf8Start[k])
            if k < 8 { w0 |= b &<< UInt64(k &* 8) } else { w1 |= b &<< UInt64((k &- 8) &* 8) }
            k &+= 1
        }
        self.init(w0: w0, w1: w1, count: n)
    }

    @inlinable @inline(__always)
    static func == (a: KeyWords, b: KeyWords) -> Bool {
        a.w0 == b.w0 && a.w1 == b.w1 && a.count == b.count
    }
}
