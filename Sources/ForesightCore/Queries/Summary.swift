/// Totals and breakdowns of the whole log: what `foresight report` prints and the Overview shows.
public struct Summary: Codable, Sendable, Equatable {
    /// Accepted events, duplicates excluded.
    public var events: Int
    public var customers: Int
    /// Customers with traits from an `identify` call.
    public var identifiedCustomers: Int
    /// Customers with at least one order, and with two or more.
    public var buyers: Int
    public var repeatBuyers: Int
    public var duplicates: Int
    /// Events of erased customers, dropped (see `foresight forget`).
    public var suppressed: Int
    public var rejected: Int
    public var rejectedByReason: [String: Int]
    public var eventsByName: [String: Int]
    public var eventsByChannel: [String: Int]
    public var orders: Int
    /// Revenue of completed, not cancelled orders, before refunds (rounded to cents).
    public var revenue: Double
    public var refunds: Double
    public var averageOrderValue: Double
    public var sessions: Int
    public var outOfOrder: Int
    public var products: Int
    public var categories: Int
    /// ISO-8601 UTC of the oldest and newest event; nil for an empty log.
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    /// Lines read: accepted + duplicates + suppressed + rejected.
    public var lines: Int
    /// Today, yesterday and the last 7 days at the newest event's time (the Overview's tiles).
    public var activity: ActivityKPIs
}

extension Engine {
    /// The whole-log summary.
    /// - Complexity: O(customers + events) (channel counts walk the timelines).
    public func summary() -> Summary {
        var buyers = 0, repeatBuyers = 0, sessions = 0
        var byChannel = [Int](repeating: 0, count: Channel.allCases.count)
        for p in profiles {
            if p.orderCount > 0 { buyers += 1 }
            if p.orderCount > 1 { repeatBuyers += 1 }
            sessions += Int(p.sessions)
            for e in p.timeline { byChannel[Int(e.channel.rawValue)] += 1 }
        }
        var byName: [String: Int] = [:]
        for (id, count) in stats.eventsByName.enumerated() where count > 0 {
            byName[eventNames.string(UInt32(id)), default: 0] += count
        }
        var byReason: [String: Int] = [:]
        for (i, reason) in RejectReason.allCases.enumerated() { byReason[reason.rawValue] = stats.rejectedByReason[i] }
        var channels: [String: Int] = [:]
        for channel in Channel.allCases where byChannel[Int(channel.rawValue)] > 0 {
            channels[channel == .none ? "unspecified" : channel.label] = byChannel[Int(channel.rawValue)]
        }
        return Summary(
            events: stats.accepted,
            customers: profiles.count,
            identifiedCustomers: traits.count,
            buyers: buyers,
            repeatBuyers: repeatBuyers,
            duplicates: stats.duplicates,
            suppressed: stats.suppressed,
            rejected: stats.rejected,
            rejectedByReason: byReason,
            eventsByName: byName,
            eventsByChannel: channels,
            orders: stats.orders,
            revenue: roundCents(stats.revenue),
            refunds: roundCents(stats.refunds),
            averageOrderValue: stats.orders > 0 ? roundCents(stats.revenue / Double(stats.orders)) : 0,
            sessions: sessions,
            outOfOrder: stats.outOfOrder,
            products: products.count,
            categories: categories.count,
            firstTimestamp: stats.accepted > 0 ? Timestamp.iso8601(stats.firstTimestamp) : nil,
            lastTimestamp: stats.accepted > 0 ? Timestamp.iso8601(stats.lastTimestamp) : nil,
            lines: stats.lines,
            activity: activityKPIs()
        )
    }
}

/// Rounds money to cents, so reports do not print float noise.
public func roundCents(_ v: Double) -> Double { (v * 100).rounded() / 100 }
