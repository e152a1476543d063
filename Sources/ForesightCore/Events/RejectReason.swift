/// Why a line of the event log was rejected. The raw values are the keys of `rejectedByReason` in reports
/// and of the `reason` field in the quarantine file.
public enum RejectReason: String, CaseIterable, Sendable, Codable, Comparable {
    case invalidJSON = "invalid_json"
    case notAnObject = "not_an_object"
    case invalidUTF8 = "invalid_utf8"
    case missingCustomer = "missing_customer"
    case missingEventName = "missing_event_name"
    case missingTimestamp = "missing_timestamp"
    case invalidTimestamp = "invalid_timestamp"
    case wrongFieldType = "wrong_field_type"
    case unsupportedType = "unsupported_type"
    case lineTooLong = "line_too_long"

    /// A short phrase a person reads on screen.
    public var label: String {
        switch self {
        case .invalidJSON: return "not valid JSON"
        case .notAnObject: return "not a JSON object"
        case .invalidUTF8: return "invalid UTF-8"
        case .missingCustomer: return "no userId or anonymousId"
        case .missingEventName: return "track without event name"
        case .missingTimestamp: return "no timestamp"
        case .invalidTimestamp: return "unreadable timestamp"
        case .wrongFieldType: return "field of the wrong type"
        case .unsupportedType: return "unsupported type"
        case .lineTooLong: return "line too long"
        }
    }

    /// What a user can do about lines rejected for this reason.
    public var advice: String {
        switch self {
        case .invalidJSON, .notAnObject: return "each line must be one JSON object; check the writer for truncated or merged lines"
        case .invalidUTF8: return "the log must be UTF-8; re-encode the source"
        case .missingCustomer: return "send userId or anonymousId with every call"
        case .missingEventName: return "track calls need an \"event\" name"
        case .missingTimestamp: return "add \"timestamp\" (ISO-8601 with offset, or epoch seconds/ms)"
        case .invalidTimestamp: return "use ISO-8601 with Z or an offset (2026-03-01T10:00:00Z), or epoch seconds/ms after 1970"
        case .wrongFieldType: return "see EVENTS.md for each field's type"
        case .unsupportedType: return "type must be track, identify, page or screen"
        case .lineTooLong: return "raise --max-line-bytes or fix the writer"
        }
    }

    public static func < (a: RejectReason, b: RejectReason) -> Bool { a.rawValue < b.rawValue }
}

/// A rejected line: the reason, where in the line (1-based byte column, 0 when the whole line is at
/// fault) and a detail naming the field or the character.
public struct LineError: Error, Sendable, Equatable {
    public var reason: RejectReason
    public var column: Int
    public var detail: String

    public init(_ reason: RejectReason, column: Int, _ detail: String) {
        self.reason = reason
        self.column = column
        self.detail = detail
    }
}
