/// The channel an event arrived through (`context.channel` in the event log).
///
/// Stored in four bits of a timeline entry, so there are at most 15 cases besides `.none`.
public enum Channel: UInt8, CaseIterable, Sendable, Codable {
    case none = 0
    case web, app, email, sms, push, store, support, ads
    /// A channel name outside the contract's list.
    case other

    /// The name as written in the log (`web`, `email`, …); `-` for none.
    public var label: String { staticLabel.description }

    /// Maps the raw bytes of a channel name to a case without building a `String`.
    @inlinable
    public static func match(_ bytes: UnsafeRawBufferPointer) -> Channel {
        guard let first = bytes.first else { return .none }
        let candidate: Channel
        switch (bytes.count, first) {
        case (3, 0x77): candidate = .web
        case (3, 0x61): candidate = bytes[1] == 0x70 ? .app : .ads
        case (5, 0x65): candidate = .email
        case (3, 0x73): candidate = .sms
        case (4, 0x70): candidate = .push
        case (5, 0x73): candidate = .store
        case (7, 0x73): candidate = .support
        default: return .other
        }
        return bytesEqual(bytes, candidate.staticLabel) ? candidate : .other
    }

    @usableFromInline
    var staticLabel: StaticString {
        switch self {
        case .none: return "-"
        case .web: return "web"
        case .app: return "app"
        case .email: return "email"
        case .sms: return "sms"
        case .push: return "push"
        case .store: return "store"
        case .support: return "support"
        case .ads: return "ads"
        case .other: return "other"
        }
    }

    /// The bit of this channel in a profile's channel set.
    public var bit: UInt16 { 1 << UInt16(rawValue) }
}

/// Compares raw bytes with an ASCII string literal without allocating.
@inlinable
func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    guard bytes.count == literal.utf8CodeUnitCount else { return false }
    guard let base = bytes.baseAddress else { return true }
    return memcmpBytes(base, UnsafeRawPointer(literal.utf8Start), bytes.count)
}

@inlinable
func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ string: String) -> Bool {
    var s = string
    return s.withUTF8 { utf8 in
        guard utf8.count == bytes.count else { return false }
        return bytes.elementsEqual(UnsafeRawBufferPointer(utf8))
    }
}
