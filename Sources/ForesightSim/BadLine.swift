/// Realistic bad input made from a good line, one of the kinds the event log contract rejects.
enum BadLine: CaseIterable {
    case truncated
    case missingTimestamp
    case missingCustomer
    case trackWithoutEvent
    case wrongType
    case invalidUTF8
    case notAnObject

    /// Appends a bad line (newline included) derived from `line`, a good line ending in a newline.
    static func append(replacing line: UnsafeBufferPointer<UInt8>, random: inout SimRandom, into out: inout [UInt8]) {
        let body = UnsafeBufferPointer(rebasing: line[0..<max(0, line.count - 1)])
        let kind = allCases[random.below(allCases.count)]
        if !kind.append(from: body, random: &random, into: &out) {
            truncate(body, random: &random, into: &out)
        }
        out.append(0x0A)
    }

    /// Writes this kind of damage; false when the line has no field to damage that way.
    private func append(from body: UnsafeBufferPointer<UInt8>, random: inout SimRandom, into out: inout [UInt8]) -> Bool {
        switch self {
        case .truncated:
            Self.truncate(body, random: &random, into: &out)
            return true
        case .missingTimestamp:
            return Self.removeField(",\"timestamp\":", from: body, into: &out)
        case .missingCustomer:
            return Self.removeField(",\"userId\":", from: body, into: &out)
                || Self.removeField(",\"anonymousId\":", from: body, into: &out)
        case .trackWithoutEvent:
            return Self.removeField(",\"event\":", from: body, into: &out)
        case .wrongType:
            let replacement: StaticString = random.chance(0.5) ? "{}" : "[\"u1\"]"
            return Self.replaceValue(of: "\"userId\":", with: replacement, in: body, into: &out)
                || Self.replaceValue(of: "\"timestamp\":", with: "true", in: body, into: &out)
        case .invalidUTF8:
            guard let at = Self.find("\"event\":\"", in: body) ?? Self.find("\"userId\":\"", in: body) else {
                return false
            }
            let cut = min(body.count, at + 10)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: body[0..<cut]))
            let invalid: [[UInt8]] = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xE2, 0x82]]
            out.append(contentsOf: invalid[random.below(invalid.count)])
            out.append(contentsOf: UnsafeBufferPointer(rebasing: body[cut...]))
            return true
        case .notAnObject:
            let shapes: [StaticString] = ["[1,2]", "\"Order Completed\"", "42", "null", "[{\"type\":\"track\"}]"]
            out.appendLiteral(shapes[random.below(shapes.count)])
            return true
        }
    }

    /// Keeps a random prefix that stops before the closing brace.
    private static func truncate(_ body: UnsafeBufferPointer<UInt8>, random: inout SimRandom, into out: inout [UInt8]) {
        let cut = body.count > 12 ? random.between(8, body.count - 2) : max(0, body.count - 1)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[0..<cut]))
    }

    /// Copies the line without the field that starts with `key` (its leading comma included).
    private static func removeField(_ key: StaticString, from body: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard let start = find(key, in: body) else { return false }
        let end = valueEnd(in: body, from: start + key.utf8CodeUnitCount)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[0..<start]))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[end...]))
        return true
    }

    /// Copies the line with the value of `key` replaced.
    private static func replaceValue(
        of key: StaticString, with value: StaticString, in body: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]
    ) -> Bool {
        guard let start = find(key, in: body) else { return false }
        let valueStart = start + key.utf8CodeUnitCount
        let end = valueEnd(in: body, from: valueStart)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[0..<valueStart]))
        out.appendLiteral(value)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[end...]))
        return true
    }

    /// The end of a scalar value (a string without commas, or a number): the next `,` or `}`.
    private static func valueEnd(in body: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var i = index
        while i < body.count && body[i] != 0x2C && body[i] != 0x7D { i += 1 }
        return i
    }

    /// The first position of `pattern` in `body`.
    private static func find(_ pattern: StaticString, in body: UnsafeBufferPointer<UInt8>) -> Int? {
        let p = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        guard p.count <= body.count, let first = p.first else { return nil }
        var i = 0
        while i + p.count <= body.count {
            if body[i] == first {
                var k = 1
                while k < p.count && body[i + k] == p[k] { k += 1 }
                if k == p.count { return i }
            }
            i += 1
        }
        return nil
    }
}
