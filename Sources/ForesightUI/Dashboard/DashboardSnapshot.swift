import ForesightCore

/// How the log is being read, as the header says it.
public enum FeedMode: Equatable, Sendable {
    case replaying, live, paused, ended
    case failed(String)

    public var label: String {
        switch self {
        case .replaying: return "REPLAYING"
        case .live: return "LIVE"
        case .paused: return "PAUSED"
        case .ended: return "ENDED"
        case .failed: return "ERROR"
        }
    }
}

/// The header line's figures.
public struct HeaderData: Equatable, Sendable {
    public var source: String
    public var mode: FeedMode
    public var eventsPerSecond: Double
    public var customers: Int
    public var events: Int
    public var watermark: Int64?
    /// Replay progress: bytes read of total, and seconds left at the current rate.
    public var bytesRead: Int64
    public var totalBytes: Int64?
    public var secondsLeft: Double?
    /// The latest notice about the followed file (rotation, truncation) or an error.
    public var notice: String?
    /// Where every rejected line is written, if anywhere.
    public var quarantinePath: String?

    public init(source: String, mode: FeedMode, eventsPerSecond: Double = 0, customers: Int = 0, events: Int = 0,
                watermark: Int64? = nil, bytesRead: Int64 = 0, totalBytes: Int64? = nil, secondsLeft: Double? = nil,
                notice: String? = nil) {
        self.source = source
        self.mode = mode
        self.eventsPerSecond = eventsPerSecond
        self.customers = customers
        self.events = events
        self.watermark = watermark
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.secondsLeft = secondsLeft
        self.notice = notice
    }
}

/// One row of the Overview's live tail.
public struct TailRow: Equatable, Sendable {
    public var customerIndex: UInt32
    public var time: Int64
    public var customer: String
    public var event: String
    public var item: String?
    public var amount: Double?
    public var channel: String
}

/// What the Overview shows.
public struct OverviewData: Equatable, Sendable {
    /// Nil until the first event sets the watermark (there is no "today" yet).
    public var kpis: ActivityKPIs?
    /// Events per hour of event time over the last 48 hours, oldest first.
    public var hourly: [Int]
    public var eventsByName: [(name: String, count: Int)]
    public var totalEvents: Int
    public var duplicates: Int
    public var rejected: Int
    public var rejectedByReason: [(reason: RejectReason, count: Int)]
    public var tail: [TailRow]
    /// Events ever added to the live tail (to keep a selection on its event as new ones arrive).
    public var tailTotal: Int = 0

    public static func == (a: OverviewData, b: OverviewData) -> Bool {
        a.kpis == b.kpis && a.hourly == b.hourly && a.tail == b.tail && a.totalEvents == b.totalEvents
            && a.rejected == b.rejected && a.duplicates == b.duplicates
            && a.eventsByName.map(\.name) == b.eventsByName.map(\.name) && a.eventsByName.map(\.count) == b.eventsByName.map(\.count)
    }
}

/// What the customers table shows: the visible window only.
public struct CustomersData: Equatable, Sendable {
    public var rows: [CustomerRow]
    public var total: Int
    /// All customers (the table may be a search result).
    public var population: Int
    public var now: Int64
    /// The order on screen is for another sort or search: a new one is being computed.
    public var isStale: Bool
}

/// What the customer detail screen shows.
public struct DetailData: Equatable, Sendable {
    public var detail: CustomerDetail
    public var timeline: [TimelineRow]
    public var timelineOffset: Int
    public var timelineCount: Int
}

/// One frame's data, read from the engine under its lock and then rendered without it.
public struct DashboardSnapshot: Equatable, Sendable {
    public var header: HeaderData
    public var overview: OverviewData?
    public var customers: CustomersData?
    public var detail: DetailData?
    public var rejects: [RejectedLine]?
    public var rejectCount: Int

    public init(header: HeaderData, overview: OverviewData? = nil, customers: CustomersData? = nil,
                detail: DetailData? = nil, rejects: [RejectedLine]? = nil, rejectCount: Int = 0) {
        self.header = header
        self.overview = overview
        self.customers = customers
        self.detail = detail
        self.rejects = rejects
        self.rejectCount = rejectCount
    }
}
