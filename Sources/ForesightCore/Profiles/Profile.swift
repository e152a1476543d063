/// One order of a customer. A later event with the same `order_id` updates it.
public struct OrderRecord: Sendable, Equatable {
    /// Hash of the `order_id` (0 when the event had none: every such event is an order of its own).
    public var key: UInt64
    public var time: Int64
    public var revenue: Double
    public var refunded: Double = 0
    public var cancelled = false
    /// Range of the order's product ids in ``Engine/orderProducts``.
    public var productStart: UInt32
    public var productCount: UInt16

    /// An order (as the engine records it, or as a checkpoint restores it).
    public init(key: UInt64, time: Int64, revenue: Double, refunded: Double = 0, cancelled: Bool = false,
                productStart: UInt32, productCount: UInt16) {
        self.key = key
        self.time = time
        self.revenue = revenue
        self.refunded = refunded
        self.cancelled = cancelled
        self.productStart = productStart
        self.productCount = productCount
    }
}

/// Traits from `identify` calls; later calls overwrite the fields they carry.
public struct Traits: Sendable, Equatable {
    public var email: String?
    public var name: String?
    /// Label ids (``Engine/labels``); `UInt32.max` when unknown.
    public var country = UInt32.max
    public var city = UInt32.max
    public var plan = UInt32.max
    public var timezone = UInt32.max
    /// 0 when unknown.
    public var age: UInt8 = 0
    public var emailOptIn = Consent.unknown
    public var smsOptIn = Consent.unknown

    /// Nothing known.
    public init() {}
}

/// A customer's aggregates, kept current on every event, plus the compact timeline they derive from.
public struct Profile: Sendable {
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min
    public var events: UInt32 = 0
    /// Sessions: runs of events with gaps under the session gap (30 min by default).
    public var sessions: UInt32 = 0
    /// Completed, not cancelled, distinct orders.
    public var orderCount: UInt32 = 0
    /// Revenue of those orders (before refunds).
    public var revenue: Double = 0
    public var refunds: Double = 0
    public var firstOrder = Int64.max
    public var lastOrder = Int64.min
    public var pageViews: UInt32 = 0
    public var productViews: UInt32 = 0
    public var cartAdds: UInt32 = 0
    public var cartRemoves: UInt32 = 0
    public var checkouts: UInt32 = 0
    public var emailsDelivered: UInt32 = 0
    public var emailOpens: UInt32 = 0
    public var emailClicks: UInt32 = 0
    public var supportTickets: UInt32 = 0
    /// Reviews rated 4 or 5, shares and referrals.
    public var advocacy: UInt32 = 0
    public var sentimentSum: Float = 0
    public var sentimentCount: UInt32 = 0
    /// Set of ``Channel`` bits used.
    public var channels: UInt16 = 0
    /// Index + 1 into ``Engine/traits``; 0 when the customer was never identified.
    public var traitsIndex: UInt32 = 0
    /// Events in time order.
    public var timeline: [TimelineEntry] = []
    public var orders: [OrderRecord] = []

    public init() {}

    /// Average order value (0 without orders).
    public var averageOrderValue: Double { orderCount > 0 ? revenue / Double(orderCount) : 0 }
    /// Mean support/review sentiment in [-1, 1], nil when none was sent.
    public var meanSentiment: Double? { sentimentCount > 0 ? Double(sentimentSum) / Double(sentimentCount) : nil }
    /// Channels used, in ``Channel`` order.
    public var channelList: [Channel] { Channel.allCases.filter { $0 != .none && channels & $0.bit != 0 } }
}
