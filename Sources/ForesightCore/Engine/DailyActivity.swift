/// Per-day and per-hour counters over event time, kept current on every event, so that "today" and
/// "last 7 days" figures are sums over a few slots instead of scans over all customers.
///
/// Days are UTC days since 1970; the arrays grow in either direction as events arrive.
public struct DailyActivity: Sendable, Equatable {
    /// Day number of slot 0 (`Int.min` while empty).
    public private(set) var firstDay = Int.min
    public private(set) var events: [Int32] = []
    public private(set) var orders: [Int32] = []
    public private(set) var revenue: [Double] = []
    /// Customers whose first event is on the day.
    public private(set) var newCustomers: [Int32] = []
    /// Customers whose latest event is on the day.
    public private(set) var lastSeen: [Int32] = []
    /// Customers whose latest order is on the day.
    public private(set) var lastOrder: [Int32] = []
    /// Distinct customers with an event on the day.
    public private(set) var activeCustomers: [Int32] = []
    /// Distinct customers with an order on the day.
    public private(set) var buyers: [Int32] = []
    /// Events per hour, slot 0 = hour 0 of `firstDay`.
    public private(set) var hourlyEvents: [Int32] = []

    public init() {}

    /// Number of days covered.
    public var dayCount: Int { events.count }

    @inline(__always)
    mutating func slot(_ day: Int) -> Int {
        if firstDay == Int.min {
            firstDay = day
            grow(back: 1)
            return 0
        }
        if day < firstDay { growFront(firstDay - day) }
        let i = day - firstDay
        if i >= events.count { grow(back: i - events.count + 1) }
        return i
    }

    private mutating func grow(back n: Int) {
        events += repeatElement(0, count: n)
        orders += repeatElement(0, count: n)
        revenue += repeatElement(0, count: n)
        newCustomers += repeatElement(0, count: n)
        lastSeen += repeatElement(0, count: n)
        lastOrder += repeatElement(0, count: n)
        activeCustomers += repeatElement(0, count: n)
        buyers += repeatElement(0, count: n)
        hourlyEvents += repeatElement(0, count: n * 24)
    }

    private mutating func growFront(_ n: Int) {
        events.insert(contentsOf: repeatElement(0, count: n), at: 0)
        orders.insert(contentsOf: repeatElement(0, count: n), at: 0)
        revenue.insert(contentsOf: repeatElement(0, count: n), at: 0)
        newCustomers.insert(contentsOf: repeatElement(0, count: n), at: 0)
        lastSeen.insert(contentsOf: repeatElement(0, count: n), at: 0)
        lastOrder.insert(contentsOf: repeatElement(0, count: n), at: 0)
        activeCustomers.insert(contentsOf: repeatElement(0, count: n), at: 0)
        buyers.insert(contentsOf: repeatElement(0, count: n), at: 0)
        hourlyEvents.insert(contentsOf: repeatElement(0, count: n * 24), at: 0)
        firstDay -= n
    }

    mutating func countEvent(at time: Int64) {
        let day = Timestamp.day(time)
        let i = slot(day)
        events[i] &+= 1
        let hour = Int((time - Int64(day) * 86_400_000) / 3_600_000)
        hourlyEvents[i * 24 + hour] &+= 1
    }

    /// The per-customer series that move when a customer's first/last time changes.
    enum CustomerSeries { case newCustomers, lastSeen, lastOrder }

    /// Moves one customer from the old day's slot to the new day's in a per-customer series.
    mutating func move(_ which: CustomerSeries, from old: Int64?, to new: Int64) {
        let newDay = Timestamp.day(new)
        let oldDay = old.map(Timestamp.day)
        if oldDay == newDay { return }
        // The new slot first: growing the front shifts indices, and the old day's slot already exists.
        let n = slot(newDay)
        let oldSlot = oldDay.map { slot($0) }
        switch which {
        case .newCustomers:
            if let o = oldSlot { newCustomers[o] &-= 1 }
            newCustomers[n] &+= 1
        case .lastSeen:
            if let o = oldSlot { lastSeen[o] &-= 1 }
            lastSeen[n] &+= 1
        case .lastOrder:
            if let o = oldSlot { lastOrder[o] &-= 1 }
            lastOrder[n] &+= 1
        }
    }

    /// Counts a customer as active (or as a buyer) on the day of `time`, once per day.
    mutating func countDistinct(buyer: Bool, at time: Int64) {
        let i = slot(Timestamp.day(time))
        if buyer { buyers[i] &+= 1 } else { activeCustomers[i] &+= 1 }
    }

    mutating func addOrder(at time: Int64, revenue amount: Double, count: Int32) {
        let i = slot(Timestamp.day(time))
        orders[i] &+= count
        revenue[i] += amount
    }

    /// Sum of a per-day series over the `days` days ending with `lastDay` (inclusive).
    public func sum(_ series: [Int32], days: Int, endingOn lastDay: Int) -> Int {
        guard firstDay != Int.min else { return 0 }
        var total = 0
        for d in (lastDay - days + 1)...lastDay {
            let i = d - firstDay
            if i >= 0 && i < series.count { total += Int(series[i]) }
        }
        return total
    }

    /// Revenue over the `days` days ending with `lastDay`.
    public func revenue(days: Int, endingOn lastDay: Int) -> Double {
        guard firstDay != Int.min else { return 0 }
        var total = 0.0
        for d in (lastDay - days + 1)...lastDay {
            let i = d - firstDay
            if i >= 0 && i < revenue.count { total += revenue[i] }
        }
        return total
    }

    /// Events per hour for the `hours` hours ending with the hour of `time` (oldest first).
    public func hourly(hours: Int, endingAt time: Int64) -> [Int] {
        guard firstDay != Int.min else { return Array(repeating: 0, count: hours) }
        let lastHour = Int(time / 3_600_000) - firstDay * 24
        return ((lastHour - hours + 1)...lastHour).map { h in
            h >= 0 && h < hourlyEvents.count ? Int(hourlyEvents[h]) : 0
        }
    }

    /// Per-day values of a series for the `days` days ending with `lastDay` (oldest first).
    public func daily(_ series: [Int32], days: Int, endingOn lastDay: Int) -> [Int] {
        ((lastDay - days + 1)...lastDay).map { d in
            let i = d - firstDay
            return firstDay != Int.min && i >= 0 && i < series.count ? Int(series[i]) : 0
        }
    }
}
