/// The headline figures of one period at event time.
public struct PeriodFigures: Sendable, Equatable, Codable {
    /// Customers with any event in the period.
    public var activeCustomers: Int
    /// Customers whose first event is in the period.
    public var newCustomers: Int
    /// Customers with an order in the period.
    public var buyers: Int
    public var orders: Int
    public var revenue: Double
    public var events: Int
    /// Buyers ÷ active customers (0 when nobody was active).
    public var conversionRate: Double
}

/// Today (the watermark's UTC day), yesterday and the last 7 days.
public struct ActivityKPIs: Sendable, Equatable, Codable {
    /// The UTC day "today" is, `YYYY-MM-DD` (the day of the newest event).
    public var asOfDay: String
    public var today: PeriodFigures
    public var yesterday: PeriodFigures
    public var last7Days: PeriodFigures
}

extension Engine {
    /// Figures of one UTC day (distinct customers per day are counted as events arrive).
    /// - Complexity: O(1).
    public func dayFigures(_ day: Int) -> PeriodFigures {
        let a = activity
        let active = a.sum(a.activeCustomers, days: 1, endingOn: day)
        let buyers = a.sum(a.buyers, days: 1, endingOn: day)
        return PeriodFigures(activeCustomers: active, newCustomers: a.sum(a.newCustomers, days: 1, endingOn: day),
                             buyers: buyers, orders: a.sum(a.orders, days: 1, endingOn: day),
                             revenue: roundCents(a.revenue(days: 1, endingOn: day)), events: a.sum(a.events, days: 1, endingOn: day),
                             conversionRate: active > 0 ? Double(buyers) / Double(active) : 0)
    }

    /// Figures of the `days` days ending with the watermark's day: a customer counts once however many
    /// days they were active (from the per-day counts of customers' latest event and latest order).
    /// - Complexity: O(days).
    public func recentFigures(days: Int) -> PeriodFigures {
        let a = activity
        let day = watermark.map(Timestamp.day) ?? 0
        let active = a.sum(a.lastSeen, days: days, endingOn: day)
        let buyers = a.sum(a.lastOrder, days: days, endingOn: day)
        return PeriodFigures(activeCustomers: active, newCustomers: a.sum(a.newCustomers, days: days, endingOn: day),
                             buyers: buyers, orders: a.sum(a.orders, days: days, endingOn: day),
                             revenue: roundCents(a.revenue(days: days, endingOn: day)), events: a.sum(a.events, days: days, endingOn: day),
                             conversionRate: active > 0 ? Double(buyers) / Double(active) : 0)
    }

    /// The Overview's KPIs at the watermark.
    public func activityKPIs() -> ActivityKPIs {
        let day = watermark.map(Timestamp.day) ?? 0
        return ActivityKPIs(asOfDay: String(Timestamp.iso8601(Int64(day) * 86_400_000).prefix(10)),
                            today: dayFigures(day), yesterday: dayFigures(day - 1), last7Days: recentFigures(days: 7))
    }
}
