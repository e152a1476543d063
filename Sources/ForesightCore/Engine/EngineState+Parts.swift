/// The counters of a ``DailyActivity`` as plain arrays, for checkpoints.
public struct DailyActivityState: Sendable, Equatable {
    /// Day number of slot 0 (`Int.min` while empty).
    public var firstDay: Int
    /// One array per ``DailyActivity/HourlySeries`` (in its order), 24 slots per day.
    public var hourly: [[Int32]]
    /// Revenue per hour slot.
    public var hourlyRevenue: [Double]
    /// One array per ``DailyActivity/LatestSeries``, one slot per day.
    public var latest: [[Int32]]

    /// Counters as they are stored.
    public init(firstDay: Int, hourly: [[Int32]], hourlyRevenue: [Double], latest: [[Int32]]) {
        self.firstDay = firstDay
        self.hourly = hourly
        self.hourlyRevenue = hourlyRevenue
        self.latest = latest
    }

    /// Why these arrays cannot be a ``DailyActivity``, or nil.
    var problem: String? {
        guard hourly.count == DailyActivity.HourlySeries.allCases.count,
              latest.count == DailyActivity.LatestSeries.allCases.count else { return "activity has the wrong number of series" }
        let days = latest[0].count
        if firstDay == Int.min { return days == 0 && hourlyRevenue.isEmpty ? nil : "activity has days but no first day" }
        if latest.contains(where: { $0.count != days }) || hourly.contains(where: { $0.count != days * 24 })
            || hourlyRevenue.count != days * 24 {
            return "activity series differ in length"
        }
        return nil
    }
}

extension DailyActivity {
    /// The counters, to write in a checkpoint. O(1): the arrays are shared copy-on-write.
    public var state: DailyActivityState {
        DailyActivityState(firstDay: firstDay, hourly: hourly, hourlyRevenue: hourlyRevenue, latest: latest)
    }

    /// Counters restored from a checkpoint; nil when the arrays are inconsistent.
    public init?(restoring state: DailyActivityState) {
        guard state.problem == nil else { return nil }
        self.init()
        firstDay = state.firstDay
        hourly = state.hourly
        hourlyRevenue = state.hourlyRevenue
        latest = state.latest
    }
}

extension RecentEvents {
    /// The events held, oldest first, to write in a checkpoint.
    public var oldestFirst: [RecentEvent] { newest(capacity).reversed() }

    /// A ring holding `events` (oldest first; only the newest `capacity` are kept) after `total` appends.
    public init(restoring events: [RecentEvent], total: Int, capacity: Int = 256) {
        self.init(capacity: capacity)
        for e in events.suffix(capacity) { append(e) }
        self.total = max(total, events.count)
    }
}

/// The table of a ``FingerprintSet`` as it is, for checkpoints: slots in table order (0 is empty).
public struct FingerprintTable: Sendable, Equatable {
    /// The open-addressing slots; the count is a power of two.
    public var slots: [UInt64]

    /// A table as stored.
    public init(slots: [UInt64]) { self.slots = slots }
}

extension FingerprintSet {
    /// The table, to write in a checkpoint. O(1).
    public var table: FingerprintTable { FingerprintTable(slots: slots) }

    /// A set with exactly this table; nil when its size is not a power of two of at least 16.
    public init?(restoring table: FingerprintTable) {
        let n = table.slots.count
        guard n >= 16, n & (n - 1) == 0 else { return nil }
        self.init(capacity: 1)
        slots = table.slots
        mask = n - 1
        count = table.slots.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    }
}

/// A ``DedupWindow`` as plain values, for checkpoints.
public struct DedupWindowState: Sendable, Equatable {
    /// The window in ms (nil: the whole log).
    public var window: Int64?
    /// Event time at which the current generation began (`Int64.min` before the first id).
    public var currentStart: Int64
    public var current: FingerprintTable
    public var previous: FingerprintTable
    /// The bit filter of `previous` (empty before the first rotation).
    public var previousFilter: [UInt64]

    /// A window as stored.
    public init(window: Int64?, currentStart: Int64, current: FingerprintTable, previous: FingerprintTable, previousFilter: [UInt64]) {
        self.window = window
        self.currentStart = currentStart
        self.current = current
        self.previous = previous
        self.previousFilter = previousFilter
    }
}

extension DedupWindow {
    /// The ids held, to write in a checkpoint. O(1).
    public var state: DedupWindowState {
        DedupWindowState(window: window, currentStart: currentStart, current: current.table, previous: previous.table,
                         previousFilter: previousFilter)
    }

    /// A window restored from a checkpoint; nil when a table or the filter is malformed.
    public init?(restoring state: DedupWindowState) {
        guard let current = FingerprintSet(restoring: state.current),
              let previous = FingerprintSet(restoring: state.previous),
              state.previousFilter.isEmpty || state.previousFilter.count == (1 << Self.filterBits) / 64,
              previous.count == 0 || !state.previousFilter.isEmpty else { return nil }
        self.init(window: state.window)
        self.current = current
        self.previous = previous
        currentStart = state.currentStart
        previousFilter = state.previousFilter
    }
}
