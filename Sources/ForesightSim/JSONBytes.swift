/// Hand-written JSON fragments appended to a byte buffer.
///
/// The generator writes millions of lines, so it never goes through `JSONEncoder` or string
/// interpolation: keys and fixed text are static strings, numbers are formatted digit by digit.
extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of a static string (a key, a brace, a fixed value).
    @inline(__always)
    mutating func appendLiteral(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a non-negative integer in decimal, zero-padded to at least `width` digits.
    @inline(__always)
    mutating func appendDecimal(_ value: Int, width: Int = 1) {
        var v = value < 0 ? 0 : value
        var digits = 1
        var scale = 1
        while v / scale >= 10 {
            scale *= 10
            digits += 1
        }
        var pad = width - digits
        while pad > 0 {
            append(0x30)
            pad -= 1
        }
        while scale > 0 {
            let digit = v / scale
            append(UInt8(truncatingIfNeeded: 0x30 + digit))
            v -= digit * scale
            scale /= 10
        }
    }

    /// Appends a signed integer in decimal.
    mutating func appendSigned(_ value: Int) {
        if value < 0 {
            append(0x2D)
            appendDecimal(-value)
        } else {
            appendDecimal(value)
        }
    }

    /// Appends an amount held in hundredths as a decimal number with two places (`12999` → `129.99`).
    @inline(__always)
    mutating func appendHundredths(_ value: Int) {
        var v = value
        if v < 0 {
            append(0x2D)
            v = -v
        }
        appendDecimal(v / 100)
        append(0x2E)
        appendDecimal(v % 100, width: 2)
    }

    /// Appends 16 lowercase hexadecimal digits.
    @inline(__always)
    mutating func appendHex16(_ value: UInt64) {
        var shift: UInt64 = 60
        while true {
            let nibble = UInt8(truncatingIfNeeded: (value >> shift) & 0xF)
            append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
            if shift == 0 { break }
            shift -= 4
        }
    }

    /// Appends a string as a quoted JSON string, escaping quotes, backslashes and control bytes.
    ///
    /// For the cold path (catalog set-up, rare traits); hot text is pre-encoded once.
    mutating func appendJSONString(_ text: String) {
        append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: appendLiteral("\\\"")
            case 0x5C: appendLiteral("\\\\")
            case 0x0A: appendLiteral("\\n")
            case 0x0D: appendLiteral("\\r")
            case 0x09: appendLiteral("\\t")
            case 0..<0x20:
                appendLiteral("\\u00")
                append(byte >> 4 < 10 ? 0x30 + byte >> 4 : 0x57 + byte >> 4)
                append(byte & 0xF < 10 ? 0x30 + byte & 0xF : 0x57 + byte & 0xF)
            default: append(byte)
            }
        }
        append(0x22)
    }
}

/// A string pre-encoded as a quoted JSON string, ready to append.
func quotedJSON(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.appendJSONString(text)
    return bytes
}
