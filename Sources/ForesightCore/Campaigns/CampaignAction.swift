import Foundation

/// Why a trigger that held for a customer sent nothing.
public enum SuppressionReason: String, Sendable, Codable, CaseIterable {
    /// The channel's opt-in trait is not true.
    case noConsent = "no_consent"
    /// The same trigger fired (or held out) this customer within its cooldown.
    case cooldown
    /// The customer is in the trigger's control group: recorded, not sent, for the uplift.
    case heldOut = "held_out"
    /// The customer already got the maximum messages in the last 24 hours, or in the last 7 days.
    case capDay = "cap_day"
    case capWeek = "cap_week"
    /// Due in the customer's quiet hours, and the quiet hours drop rather than delay.
    case quietHours = "quiet_hours"

    /// In words, for the screen.
    public var label: String {
        switch self {
        case .noConsent: return "no consent"
        case .cooldown: return "cooldown"
        case .heldOut: return "held out"
        case .capDay: return "daily cap"
        case .capWeek: return "weekly cap"
        case .quietHours: return "quiet hours"
        }
    }
}

/// A payload field of an action: a profile field or score (as segment rules name them) or one of the
/// identity fields.
public enum PayloadField: Sendable, Equatable {
    case rule(RuleField)
    case email, customerName, product, timezone

    /// Names accepted in `payload:`.
    public static var names: [String] { RuleField.allNames + ["email", "name", "product", "timezone"] }

    public static func named(_ text: String) -> PayloadField? {
        switch text {
        case "email": return .email
        case "name": return .customerName
        case "product": return .product
        case "timezone": return .timezone
        default: return RuleField.named(text).map(PayloadField.rule)
        }
    }

    public var name: String {
        switch self {
        case .rule(let f): return f.rawValue
        case .email: return "email"
        case .customerName: return "name"
        case .product: return "product"
        case .timezone: return "timezone"
        }
    }
}

/// A payload value: a number, text, or true/false.
public enum PayloadValue: Sendable, Equatable, Codable {
    case number(Double)
    case text(String)
    case bool(Bool)

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let v): try c.encode(v)
        case .text(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let v = try? c.decode(Double.self) { self = .number(v) } else {
            self = .text(try c.decode(String.self))
        }
    }

    /// As shown on screen.
    public var text: String {
        switch self {
        case .number(let v): return v == v.rounded() && abs(v) < 1e12 ? String(Int(v)) : String(format: "%.2f", v)
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// One decision of a trigger for a customer: fired into the outbox, or suppressed with a reason.
public struct CampaignDecision: Sendable, Equatable {
    /// Stable and unique: the same trigger, customer and cause give the same id on every replay (the
    /// outbox writes each id once).
    public var id: ActionID
    public var trigger: String
    /// Index of the trigger in the runner's configuration.
    public var triggerIndex: Int
    /// Dense customer id (renumbered by an erasure) and the customer's key (the log's userId/anonymousId).
    public var customer: UInt32
    public var customerKey: String
    public var channel: MessageChannel
    public var template: String
    public var payload: [(name: String, value: PayloadValue)]
    /// Event time of the cause (the event, the timer's due time, the segment change, the score run).
    public var causeTime: Int64
    /// Event time the message goes out (later than the cause when delayed by quiet hours).
    public var sendTime: Int64
    /// Why it fired ("Product Added not followed by Order Completed within 1h").
    public var because: String
    /// nil: fired; else why not.
    public var suppressed: SuppressionReason?
    /// Set when quiet hours moved the send time.
    public var delayed: Bool

    public var fired: Bool { suppressed == nil }

    public static func == (a: CampaignDecision, b: CampaignDecision) -> Bool {
        a.id == b.id && a.suppressed == b.suppressed && a.sendTime == b.sendTime
    }

    /// The action as one outbox line (JSON, keys in a fixed order, no newline).
    public var jsonLine: String {
        var out = "{\"id\":" + CampaignJSON.string(id.description)
        out += ",\"trigger\":" + CampaignJSON.string(trigger)
        out += ",\"customer\":" + CampaignJSON.string(customerKey)
        out += ",\"channel\":" + CampaignJSON.string(channel.rawValue)
        out += ",\"template\":" + CampaignJSON.string(template)
        out += ",\"payload\":{"
        out += payload.map { CampaignJSON.string($0.name) + ":" + CampaignJSON.value($0.value) }.joined(separator: ",")
        out += "},\"eventTime\":" + CampaignJSON.string(Timestamp.iso8601(causeTime))
        out += ",\"sendAt\":" + CampaignJSON.string(Timestamp.iso8601(sendTime))
        out += ",\"because\":" + CampaignJSON.string(because)
        if let s = suppressed { out += ",\"suppressed\":" + CampaignJSON.string(s.rawValue) }
        if delayed { out += ",\"delayedByQuietHours\":true" }
        out += "}"
        return out
    }
}

/// JSON text for outbox lines (the outbox is written by hand so that its key order is fixed).
enum CampaignJSON {
    static func string(_ s: String) -> String { jsonQuoted(s) }

    static func value(_ v: PayloadValue) -> String {
        switch v {
        case .number(let d):
            guard d.isFinite else { return "null" }
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String((d * 10_000).rounded() / 10_000)
        case .text(let s): return string(s)
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// Stable ids and the control-group hash.
public enum CampaignHash {
    /// A 128-bit id of a trigger, a customer key and the cause (kind and time).
    public static func actionID(trigger: String, customerKey: String, cause: String, time: Int64) -> ActionID {
        actionID(triggerHash: hashString(trigger), keyHash: hashString(customerKey), cause: cause, time: time)
    }

    /// ``actionID(trigger:customerKey:cause:time:)`` from the hashes of the trigger name and the key.
    static func actionID(triggerHash: UInt64, keyHash: UInt64, cause: String, time: Int64) -> ActionID {
        let code: UInt64
        switch cause {
        case "event": code = 1
        case "timer": code = 2
        case "enter": code = 3
        case "leave": code = 4
        case "score": code = 5
        default: code = hashString(cause)
        }
        let high = mix(triggerHash ^ mix(keyHash ^ mix(code &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: time))))
        let low = mix(high ^ mix(keyHash &+ 0xD6E8_FEB8_6659_FD93) ^ triggerHash.byteSwapped)
        return ActionID(high: high, low: low)
    }

    /// Whether a customer is in a trigger's control group: a stable hash of the customer key and the
    /// trigger name, mapped to [0, 1), below the share. The same customer stays in the same group of a
    /// trigger on every run and every machine; different triggers hold out different customers.
    public static func isHeldOut(customerKey: String, trigger: String, share: Double) -> Bool {
        isHeldOut(keyHash: hashString(customerKey), triggerHash: hashString(trigger), share: share)
    }

    static func isHeldOut(keyHash: UInt64, triggerHash: UInt64, share: Double) -> Bool {
        guard share > 0 else { return false }
        let h = mix(mix(triggerHash ^ 0x636F_6E74_726F_6C00) ^ mix(keyHash))
        return Double(h >> 11) / Double(1 << 53) < share
    }

    /// The SplitMix64 finaliser.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// A message's 128-bit id; written as 32 hex digits.
public struct ActionID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 hex digits.
    public init?(hex: some StringProtocol) {
        guard hex.count == 32, let h = UInt64(hex.prefix(16), radix: 16), let l = UInt64(hex.suffix(16), radix: 16) else { return nil }
        high = h
        low = l
    }

    public var description: String { CampaignHash.hex(high) + CampaignHash.hex(low) }
}
