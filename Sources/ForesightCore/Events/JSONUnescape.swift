/// Decodes the escapes of a JSON string's content (already validated by ``JSONCursor``) into UTF-8.
enum JSONUnescape {
    static func decode(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        let n = raw.count
        while i < n {
            let c = raw[i]
            guard c == 0x5C, i + 1 < n else { out.append(c); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex(raw, i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF && i + 6 <= n && raw[i] == 0x5C && raw[i + 1] == 0x75 {
                    let low = hex(raw, i + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(scalar, &out)
            default: out.append(e)
            }
        }
    }

    private static func hex(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        var k = at
        while k < at + 4 && k < raw.count {
            let c = raw[k]
            let d: UInt32 = c <= 0x39 ? UInt32(c &- 0x30) : (c <= 0x46 ? UInt32(c &- 0x37) : UInt32(c &- 0x57))
            v = v << 4 | (d & 0xF)
            k += 1
        }
        return v
    }

    private static func appendUTF8(_ s: UInt32, _ out: inout [UInt8]) {
        switch s {
        case ..<0x80: out.append(UInt8(s))
        case ..<0x800:
            out.append(UInt8(0xC0 | (s >> 6)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18)))
            out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
