/// A run of bytes inside the line being parsed: the raw text of a string (without its quotes) or of a number.
public struct Span: Sendable, Equatable {
    /// Offset of the first byte in the line; -1 when the field was absent (or null).
    public var start: Int32 = -1
    public var count: Int32 = 0
    /// The string held escapes (`\n`, `\u00e9`, …) and must be decoded before use.
    public var escaped = false

    public init() {}
    public init(start: Int, count: Int, escaped: Bool) {
        self.start = Int32(truncatingIfNeeded: start)
        self.count = Int32(truncatingIfNeeded: count)
        self.escaped = escaped
    }

    /// The field was present and not null.
    @inlinable public var isPresent: Bool { start >= 0 }
    /// Present with at least one byte.
    @inlinable public var isNonEmpty: Bool { start >= 0 && count > 0 }
}

/// The Segment call types the contract accepts.
public enum EventType: UInt8, Sendable, Codable {
    case track, identify, page, screen
}

/// A product object from `properties` or `properties.products`.
public struct RawProduct: Sendable {
    public var id = Span()
    public var category = Span()
    public var brand = Span()
    public var price = Double.nan
    public var quantity = Double.nan
    public init() {}
}

/// Consent as sent: a boolean trait, or nothing.
public enum Consent: UInt8, Sendable, Codable {
    case unknown = 0, granted, denied

    public var label: String {
        switch self {
        case .unknown: return "unknown"
        case .granted: return "yes"
        case .denied: return "no"
        }
    }
}

/// The fields with meaning of one event line, as spans into the line (no `String`s built).
/// Reused from line to line by ``EventParser``. Absent numbers are NaN.
public struct RawEvent: Sendable {
    public var type: EventType = .track
    public var typeSpan = Span()
    public var userId = Span()
    public var anonymousId = Span()
    public var event = Span()
    public var name = Span()
    public var messageId = Span()
    /// ``hashBytes(_:_:)`` of `userId`, `anonymousId` and `messageId`, taken while parsing; valid only when the
    /// span is present and not escaped (else 0; not cleared by ``reset()``, the spans say whether to use them).
    public var userIdHash: UInt64 = 0
    public var anonymousIdHash: UInt64 = 0
    public var messageIdHash: UInt64 = 0
    public var timestamp: Int64 = 0
    public var hasTimestamp = false

    // context
    public var channel = Span()
    public var campaignName = Span()
    public var campaignSource = Span()
    public var campaignMedium = Span()

    // properties
    public var revenue = Double.nan
    public var total = Double.nan
    public var value = Double.nan
    public var orderId = Span()
    public var product = RawProduct()
    public var products: [RawProduct] = []
    public var sentiment = Double.nan
    public var rating = Double.nan

    // traits
    public var hasTraits = false
    public var email = Span()
    public var traitName = Span()
    public var country = Span()
    public var city = Span()
    public var plan = Span()
    public var timezone = Span()
    public var age = Double.nan
    public var emailOptIn = Consent.unknown
    public var smsOptIn = Consent.unknown

    public init() { products.reserveCapacity(16) }

    /// Clears every field, keeping the products array's storage. Field by field: assigning a fresh value
    /// would go through the type's value witnesses, several hundred instructions per line.
    @inlinable
    public mutating func reset() {
        type = .track
        typeSpan = Span(); userId = Span(); anonymousId = Span(); event = Span(); name = Span(); messageId = Span()
        timestamp = 0; hasTimestamp = false
        channel = Span(); campaignName = Span(); campaignSource = Span(); campaignMedium = Span()
        revenue = .nan; total = .nan; value = .nan
        orderId = Span(); product = RawProduct()
        if !products.isEmpty { products.removeAll(keepingCapacity: true) }
        sentiment = .nan; rating = .nan
        hasTraits = false
        email = Span(); traitName = Span(); country = Span(); city = Span(); plan = Span(); timezone = Span()
        age = .nan; emailOptIn = .unknown; smsOptIn = .unknown
    }

    /// The order amount: `revenue`, else `total`, else `value`; NaN when none was sent.
    @inlinable public var amount: Double {
        if !revenue.isNaN { return revenue }
        if !total.isNaN { return total }
        return value
    }

    /// The customer key: `userId` when present and non-empty, else `anonymousId`.
    @inlinable public var customerKey: Span { userId.isNonEmpty ? userId : anonymousId }

    /// The hash of ``customerKey`` taken while parsing, nil when it must be computed (escaped key).
    @inlinable public var customerKeyHash: UInt64? {
        let key = customerKey
        guard key.isPresent, !key.escaped else { return nil }
        return userId.isNonEmpty ? userIdHash : anonymousIdHash
    }
}
