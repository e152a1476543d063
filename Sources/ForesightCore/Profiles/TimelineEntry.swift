/// What the `item` of a timeline entry refers to.
public enum ItemKind: UInt8, Sendable {
    case none = 0
    /// A product id (``Engine/products``).
    case product
    /// A category id (``Engine/categories``).
    case category
    /// A page or screen name, or a search query (``Engine/labels``).
    case label
    /// An email campaign name (``Engine/labels``).
    case campaign
    /// An index into the customer's ``Profile/orders``.
    case order
}

/// One event of a customer's timeline in 16 bytes: time, name, channel and one item with a value.
///
/// Packing: bits 0–41 time in ms since 1970 (to 2109), 42–55 name id (16,383 names; later names share
/// the last id), 56–59 channel, 60–63 item kind.
public struct TimelineEntry: Sendable, Equatable, BitwiseCopyable {
    @usableFromInline var packed: UInt64
    /// Product, category, label, campaign or order index, as ``kind`` says.
    public var item: UInt32
    /// The amount (order revenue, refund), price, or sentiment, as fits the event; NaN when none.
    public var value: Float32

    /// The largest name id a timeline entry can hold.
    public static let maxNameID: UInt16 = (1 << 14) - 1

    @inlinable
    public init(time: Int64, name: UInt16, channel: Channel, kind: ItemKind, item: UInt32, value: Float32) {
        let t = UInt64(clamping: max(0, time)) & ((1 << 42) - 1)
        let n = UInt64(min(name, Self.maxNameID))
        packed = t | n << 42 | UInt64(channel.rawValue & 0xF) << 56 | UInt64(kind.rawValue & 0xF) << 60
        self.item = item
        self.value = value
    }

    /// Milliseconds since 1970.
    @inlinable public var time: Int64 { Int64(packed & ((1 << 42) - 1)) }
    /// The event name id.
    @inlinable public var name: UInt16 { UInt16(truncatingIfNeeded: (packed >> 42) & 0x3FFF) }
    @inlinable public var channel: Channel { Channel(rawValue: UInt8((packed >> 56) & 0xF)) ?? .other }
    @inlinable public var kind: ItemKind { ItemKind(rawValue: UInt8(packed >> 60)) ?? .none }
}
