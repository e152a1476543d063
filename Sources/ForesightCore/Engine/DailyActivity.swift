/// Per-hour and per-day counters over event time, kept current on every event, so that "today",
/// "same time yesterday" and "last 7 days" figures are sums over a few slots instead of scans over all
/// customers.
///
/// Hours and days are UTC; the arrays grow in either direction as events arrive.
public struct DailyActivity: Sendable, Equatable {
    /// Day number (since 1970-01-01) of day slot 0; hour slot 0 is hour 0 of that day. `Int.min` while empty.
    public internal(set) var firstDay = Int.min

    /// Per-hour series.
    public enum HourlySeries: Int, CaseIterable, Sendable {
        /// Accepted events.
        case events
        /// Completed orders (a cancellation subtracts at the order's hour).
        case orders
        /// Customers whose first event is in the hour.
        case newCustomers
        /// Customers active on a day, counted at the hour of their first event that day.
        case activeCustomers
        /// Customers with an order on a day, counted at the hour of their first order that day.
        case buyers
    }

    /// Per-day series of customers' latest times (a customer moves when their latest time moves).
    public enum LatestSeries: Int, CaseIterable, Sendable {
        case lastSeen, lastOrder
    }

    var hourly: [[Int32]] = Array(repeating: [], count: HourlySeries.allCases.count)
    var hourlyRevenue: [Double] = []
    var latest: [[Int32]] = Array(repeating: [], count: LatestSeries.allCases.count)

    public init() {}

    /// Number of days covered.
    public var dayCount: Int { latest[0].count }

    /// Slot of a day, growing the arrays as needed.
    @inline(__always)
    mutating func slot(_ day: Int) -> Int {
        if firstDay == Int.min {
            firstDay = day
            grow(front: 0, back: 1)
            return 0
        }
        if day < firstDay { grow(front: firstDay - day, back: 0) }
        let i = day - firstDay
        if i >= dayCount { grow(front: 0, back: i - dayCount + 1) }
        return i
    }

    private mutating func grow(front: Int, back: Int) {
        for k in hourly.indices {
            hourly[k].insert(contentsOf: repeatElement(0, count: front * 24), at: 0)
            hourly[k] += repeatElement(0, count: back * 24)
        }
        hourlyRevenue.insert(contentsOf: repeatElement(0, count: front * 24), at: 0)
        hourlyRevenue += repeatElement(0, count: back * 24)
        for k in latest.indices {
            latest[k].insert(contentsOf: repeatElement(0, count: front), at: 0)
            latest[k] += repeatElement(0, count: back)
        }
        firstDay -= front
    }

    /// Hour slot of a time (growing the arrays as needed).
    @inline(__always)
    mutating func hourSlot(_ time: Int64) -> Int {
        let day = Timestamp.day(time)
        let d = slot(day)
        return d * 24 + Int((time - Int64(day) * 86_400_000) / 3_600_000)
    }

    /// Adds `amount` to an hourly series at the hour of `time`.
    @inline(__always)
    mutating func add(_ series: HourlySeries, at time: Int64, _ amount: Int32 = 1) {
        let h = hourSlot(time)
        hourly[series.rawValue][h] &+= amount
    }

    mutating func addRevenue(at time: Int64, _ amount: Double) {
        let h = hourSlot(time)
        hourlyRevenue[h] += amount
    }

    /// Moves one customer in a per-day "latest" series from the old time's day to the new one's
    /// (`old` nil: the customer is new to the series).
    mutating func move(_ series: LatestSeries, from old: Int64?, to new: Int64) {
        let newDay = Timestamp.day(new)
        let oldDay = old.map(Timestamp.day)
        if oldDay == newDay { return }
        // The new slot first: growing the front shifts indices, and the old day's slot already exists.
        let n = slot(newDay)
        if let oldDay { latest[series.rawValue][slot(oldDay)] &-= 1 }
        latest[series.rawValue][n] &+= 1
    }

    /// Moves a customer's first-seen hour (an out-of-order event can make a customer older).
    mutating func moveNewCustomer(from old: Int64?, to new: Int64) {
        if let old { add(.newCustomers, at: old, -1) }
        add(.newCustomers, at: new)
    }

    // MARK: reading

    /// Sum of an hourly series over [from, to) hours since 1970.
    public func sum(_ series: HourlySeries, hours: Range<Int>) -> Int {
        guard firstDay != Int.min else { return 0 }
        let base = firstDay * 24
        let values = hourly[series.rawValue]
        let lo = max(hours.lowerBound - base, 0), hi = min(hours.upperBound - base, values.count)
        guard lo < hi else { return 0 }
        var total = 0
        for h in lo..<hi { total += Int(values[h]) }
        return total
    }

    /// Revenue over [from, to) hours since 1970.
    public func revenue(hours: Range<Int>) -> Double {
        guard firstDay != Int.min else { return 0 }
        let base = firstDay * 24
        let lo = max(hours.lowerBound - base, 0), hi = min(hours.upperBound - base, hourlyRevenue.count)
        guard lo < hi else { return 0 }
        return hourlyRevenue[lo..<hi].reduce(0, +)
    }

    /// Sum of a "latest" series over the `days` days ending with `lastDay` (inclusive).
    public func sum(_ series: LatestSeries, days: Int, endingOn lastDay: Int) -> Int {
        daily(series, days: days, endingOn: lastDay).reduce(0, +)
    }

    /// Per-day values of a "latest" series for the `days` days ending with `lastDay`, oldest first.
    public func daily(_ series: LatestSeries, days: Int, endingOn lastDay: Int) -> [Int] {
        guard firstDay != Int.min, days > 0 else { return Array(repeating: 0, count: max(0, days)) }
        let values = latest[series.rawValue]
        return ((lastDay - days + 1)...lastDay).map { d in
            let i = d - firstDay
            return i >= 0 && i < values.count ? Int(values[i]) : 0
        }
    }

    /// Per-day sums of an hourly series for the `days` days ending with `lastDay`, oldest first.
    public func daily(_ series: HourlySeries, days: Int, endingOn lastDay: Int) -> [Int] {
        guard days > 0 else { return [] }
        return ((lastDay - days + 1)...lastDay).map { d in sum(series, hours: d * 24..<(d + 1) * 24) }
    }

    /// Per-hour values of a series for the `hours` hours ending with the hour of `time`, oldest first.
    public func hourly(_ series: HourlySeries, hours: Int, endingAt time: Int64) -> [Int] {
        guard hours > 0 else { return [] }
        let last = Int(time / 3_600_000)
        return ((last - hours + 1)...last).map { h in sum(series, hours: h..<h + 1) }
    }
}
