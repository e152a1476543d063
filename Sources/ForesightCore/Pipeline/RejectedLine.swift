/// A rejected line as the quarantine file and the dashboard show it.
public struct RejectedLine: Sendable, Equatable, Codable {
    /// The log it came from.
    public var file: String
    /// Byte offset of the line's first byte in the file.
    public var offset: Int64
    /// 1-based line number.
    public var line: Int
    public var reason: RejectReason
    /// 1-based byte column of the fault, 0 when the whole line is at fault.
    public var column: Int
    public var detail: String
    /// The line's text (invalid UTF-8 repaired, cut at ``RejectedLine/maxTextBytes``).
    public var text: String

    /// Longest text kept for a rejected line.
    public static let maxTextBytes = 2048

    public init(file: String, offset: Int64, line: Int, reason: RejectReason, column: Int, detail: String, text: String) {
        self.file = file
        self.offset = offset
        self.line = line
        self.reason = reason
        self.column = column
        self.detail = detail
        self.text = text
    }

    /// One line for a person: `events.jsonl:120 (byte 48213) col 17: not valid JSON — expected ':' after a key`.
    public var message: String {
        let at = column > 0 ? " col \(column)" : ""
        return "\(file):\(line) (byte \(offset))\(at): \(reason.label) — \(detail)"
    }
}

/// The last rejected lines, oldest first, in a fixed-size ring.
public struct RecentRejects: Sendable {
    public let capacity: Int
    private var items: [RejectedLine] = []
    private var next = 0

    public init(capacity: Int = 500) { self.capacity = capacity }

    public mutating func append(_ item: RejectedLine) {
        if items.count < capacity { items.append(item) } else {
            items[next] = item
            next = (next + 1) % capacity
        }
    }

    /// Drops the rejected lines whose text names one of these customer keys (erasure): a rejected line
    /// may still carry the id, the email or the name of an erased customer.
    public mutating func removeLines(ofCustomers keys: [String]) {
        guard !keys.isEmpty else { return }
        let kept = all.filter { line in !keys.contains { !$0.isEmpty && line.text.contains($0) } }
        items = kept
        next = kept.count == capacity ? 0 : kept.count
    }

    /// Oldest first.
    public var all: [RejectedLine] { Array(items[next...] + items[..<next]) }
    public var count: Int { items.count }
}
