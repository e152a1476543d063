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
    /// The segment the table is limited to, if any.
    public var segment: String?
}

/// What the customer detail screen shows.
public struct DetailData: Equatable, Sendable {
    public var detail: CustomerDetail
    public var timeline: [TimelineRow]
    public var timelineOffset: Int
    public var timelineCount: Int
    /// Her live scores; nil before the models are fitted.
    public var scores: DetailScores?
    /// Why there are no scores yet (shown in their place).
    public var scoresNote: String?
    /// The segments she is in (nil when segments are not kept).
    public var segments: [String]?
    /// Her stage changes up to now (the swimlane above the timeline); empty without events.
    public var stageHistory: [StageChange] = []
    /// The event time the swimlane ends at.
    public var now: Int64 = 0
    /// The campaign messages about her, newest first: sent, delayed, held out or suppressed (nil when no
    /// campaign triggers run).
    public var messages: [CampaignMessageRow]?
}

/// What the Journeys view shows: the last report computed in the background, and the steps on screen.
public struct JourneysData: Equatable, Sendable {
    /// Nil until the first report is ready.
    public var report: JourneysReport?
    public var steps: FunnelSteps
    /// A newer report is being computed.
    public var computing: Bool

    public init(report: JourneysReport?, steps: FunnelSteps, computing: Bool) {
        self.report = report
        self.steps = steps
        self.computing = computing
    }
}

/// One campaign decision as a line: a feed's line on the Campaigns view and the Overview, a message on the
/// customer screen.
public struct CampaignMessageRow: Equatable, Sendable {
    public var customerIndex: UInt32
    /// Event time of the cause (the event, the timer, the segment change).
    public var time: Int64
    /// Event time the message went out (later than `time` when quiet hours delayed it).
    public var sendTime: Int64
    /// The customer's id as the other views show it (a pseudonym under redaction).
    public var customer: String
    public var trigger: String
    public var channel: String
    public var template: String
    /// nil: sent.
    public var suppressed: SuppressionReason?
    public var delayed: Bool
    public var because: String

    public init(customerIndex: UInt32, time: Int64, sendTime: Int64, customer: String, trigger: String, channel: String,
                template: String, suppressed: SuppressionReason?, delayed: Bool, because: String) {
        self.customerIndex = customerIndex
        self.time = time
        self.sendTime = sendTime
        self.customer = customer
        self.trigger = trigger
        self.channel = channel
        self.template = template
        self.suppressed = suppressed
        self.delayed = delayed
        self.because = because
    }

    /// "email: cart-reminder".
    public var message: String { channel + ": " + template }

    /// What became of it, in words: "sent", "delayed to 08:00", "held out", "suppressed: no consent".
    public var outcome: String {
        switch suppressed {
        case nil: return delayed ? "delayed to " + String(Timestamp.short(sendTime).suffix(5)) : "sent"
        case .heldOut?: return "held out"
        case let reason?: return "suppressed: " + reason.label
        }
    }
}

/// One trigger as the Campaigns view shows it: the rule, the guards' counts and the uplift so far.
public struct CampaignTriggerRow: Equatable, Sendable {
    public var name: String
    /// The condition and the extra test, as the configuration says them.
    public var rule: String
    public var channel: String
    public var template: String
    public var cooldownMs: Int64
    public var controlShare: Double
    public var counts: TriggerCounts
    public var goal: String
    public var goalWindowMs: Int64
    public var conversion: TriggerUplift
}

/// What the Campaigns view (and the Overview's triggers panel) shows.
public struct CampaignsData: Equatable, Sendable {
    /// Per trigger (empty on the Overview, which shows the totals only).
    public var triggers: [CampaignTriggerRow]
    public var settings: CampaignSettings
    /// Newest first.
    public var sent: [CampaignMessageRow]
    public var suppressed: [CampaignMessageRow]
    /// Over all triggers: messages sent, customers held out, messages suppressed, messages waiting for the
    /// end of quiet hours.
    public var totalSent: Int
    public var totalHeldOut: Int
    public var totalSuppressed: Int
    public var waiting: Int
    public var triggerCount: Int
    /// Problems of the `triggers:` and `campaigns:` sections (their triggers are left out).
    public var problems: [String]
    /// The event time of the data (the uplift counts the goal windows closed by then).
    public var now: Int64
}

/// One customer's live scores as the detail screen shows them.
public struct DetailScores: Equatable, Sendable {
    public var churnRisk: Double?
    public var pAlive: Double?
    public var expectedTransactions: Double?
    public var horizonDays: Int
    /// Her repeat purchase days (BG/NBD's x): with none, P(alive) is 1 by the model's assumption.
    public var repeatTransactions: Int?
    public var clv: Double?
    public var clvMonths: Int
    /// The largest contributions to the churn risk: "41 days since last order: +0.31".
    public var reasons: [String]
    /// Her churn risk with the current model from her first event to now, oldest first.
    public var riskHistory: [Double]
    /// Recommended next products and why: ("p0107 (hiking-socks)", "bought hiking-boots: 38% …").
    public var nextProducts: [(product: String, reason: String)]

    public static func == (a: DetailScores, b: DetailScores) -> Bool {
        a.churnRisk == b.churnRisk && a.pAlive == b.pAlive && a.expectedTransactions == b.expectedTransactions
            && a.clv == b.clv && a.reasons == b.reasons && a.riskHistory == b.riskHistory
            && a.nextProducts.map(\.product) == b.nextProducts.map(\.product) && a.nextProducts.map(\.reason) == b.nextProducts.map(\.reason)
    }
}

/// One affinity rule as a line: "hiking-boots → hiking-socks 63% lift 6.2".
public struct RuleLine: Equatable, Sendable {
    public var from: String
    public var to: String
    public var confidence: Double
    public var lift: Double
}

/// What the Models view shows: the fitted models' cards, their hold-out accuracy and their drift.
public struct ModelsData: Equatable, Sendable {
    /// The refresher's state (fitting now, fits so far).
    public var fitting: Bool
    public var fits: Int
    /// Seconds since the last fit finished (wall clock), when known.
    public var secondsSinceFit: Double?
    /// Nil before the first fit; then the rest is filled.
    public var fittedAt: Int64?
    public var fitSeconds: Double = 0
    public var customers = 0
    public var events = 0
    public var horizonDays = 60
    public var unit: ModelTimeUnit = .week
    public var transactions: ModelCard?
    public var spend: ModelCard?
    public var churn: ChurnModelCard?
    /// The classifier's weights by feature (standardised), largest first.
    public var weights: [(feature: String, weight: Double)] = []
    public var holdout: BacktestReport?
    public var holdoutProblem: String?
    public var drift: ModelDrift?
    /// The strongest category rules (bought A, then B).
    public var rules: [RuleLine] = []
    /// Events needed before the first fit.
    public var minimumEvents = 0

    public static func == (a: ModelsData, b: ModelsData) -> Bool {
        a.fitting == b.fitting && a.fits == b.fits && a.secondsSinceFit == b.secondsSinceFit && a.fittedAt == b.fittedAt
            && a.transactions == b.transactions && a.spend == b.spend && a.churn == b.churn && a.holdout == b.holdout
            && a.drift == b.drift && a.rules == b.rules && a.weights.map(\.feature) == b.weights.map(\.feature)
            && a.weights.map(\.weight) == b.weights.map(\.weight) && a.holdoutProblem == b.holdoutProblem
    }
}

/// One frame's data, read from the engine under its lock and then rendered without it.
public struct DashboardSnapshot: Equatable, Sendable {
    public var header: HeaderData
    public var overview: OverviewData?
    public var customers: CustomersData?
    public var detail: DetailData?
    public var models: ModelsData?
    /// The live segmentation (nil when segments are not kept).
    public var segments: SegmentsReport?
    public var rejects: [RejectedLine]?
    public var rejectCount: Int
    public var journeys: JourneysData?
    /// The campaign triggers (nil when none run, or the screen does not show them).
    public var campaigns: CampaignsData?

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
