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

    init(active: Int, new: Int, buyers: Int, orders: Int, revenue: Double, events: Int) {
        activeCustomers = active
        newCustomers = new
        self.buyers = buyers
        self.orders = orders
        self.revenue = roundCents(revenue)
        self.events = events
        conversionRate = active > 0 ? Double(buyers) / Double(active) : 0
    }
}

/// Today so far (the watermark's UTC day up to the watermark's hour), yesterday up to the same hour,
/// the whole of yesterday, and the last 7 days.
public struct ActivityKPIs: Sendable, Equatable, Codable {
    /// The UTC day "today" is, `YYYY-MM-DD` (the day of the newest event).
    public var asOfDay: String
    /// Hours of today covered (the watermark's hour + 1): comparisons use as many hours of yesterday.
    public var hoursCovered: Int
    public var today: PeriodFigures
    public var yesterdaySameTime: PeriodFigures
    public var yesterday: PeriodFigures
    public var last7Days: PeriodFigures
}

extension Engine {
    /// Figures of the hours `hours` (since 1970) within one UTC day: each customer is counted once a day.
    /// - Complexity: O(hours).
    public func figures(hours: Range<Int>) -> PeriodFigures {
        let a = activity
        return PeriodFigures(active: a.sum(.activeCustomers, hours: hours), new: a.sum(.newCustomers, hours: hours),
                             buyers: a.sum(.buyers, hours: hours), orders: a.sum(.orders, hours: hours),
                             revenue: a.revenue(hours: hours), events: a.sum(.events, hours: hours))
    }

    /// Figures of the `days` days ending with the watermark's day: a customer counts once however many
    /// days they were active (from the per-day counts of customers' latest event and latest order).
    /// - Complexity: O(days).
    public func recentFigures(days: Int) -> PeriodFigures {
        let a = activity
        let day = watermark.map(Timestamp.day) ?? 0
        let hours = (day - days + 1) * 24..<(day + 1) * 24
        return PeriodFigures(active: a.sum(.lastSeen, days: days, endingOn: day), new: a.sum(.newCustomers, hours: hours),
                             buyers: a.sum(.lastOrder, days: days, endingOn: day), orders: a.sum(.orders, hours: hours),
                             revenue: a.revenue(hours: hours), events: a.sum(.events, hours: hours))
    }

    /// The Overview's KPIs at the watermark.
    public func activityKPIs() -> ActivityKPIs {
        let w = watermark ?? 0
        let day = Timestamp.day(w)
        let hoursCovered = Int((w - Int64(day) * 86_400_000) / 3_600_000) + 1
        let start = day * 24
        return ActivityKPIs(
            asOfDay: String(Timestamp.iso8601(Int64(day) * 86_400_000).prefix(10)), hoursCovered: hoursCovered,
            today: figures(hours: start..<start + hoursCovered),
            yesterdaySameTime: figures(hours: start - 24..<start - 24 + hoursCovered),
            yesterday: figures(hours: start - 24..<start),
            last7Days: recentFigures(days: 7))
    }
}
