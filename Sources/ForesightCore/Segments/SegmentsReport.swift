/// What the CLI and the dashboard ask of the live segmentation, in one call.
public struct SegmentsQuery: Sendable, Equatable {
    /// Members of the segment with this name (rule, RFM or cluster; a cluster also by "Cluster 2").
    public var members: String?
    /// At most this many members (the first in customer-id order); `membersTotal` has the count.
    public var memberLimit: Int
    /// The segments of the customer with this key (`userId` / `anonymousId`).
    public var customer: String?
    /// The newest ticker lines wanted.
    public var tickerLimit: Int
    /// Migrations over the UTC days ending with the watermark's.
    public var migrationDays: Int

    public init(members: String? = nil, memberLimit: Int = .max, customer: String? = nil, tickerLimit: Int = 20,
                migrationDays: Int = 7) {
        self.members = members
        self.memberLimit = memberLimit
        self.customer = customer
        self.tickerLimit = tickerLimit
        self.migrationDays = migrationDays
    }
}

/// A member of a segment: dense id and key.
public struct SegmentMember: Sendable, Equatable, Codable {
    public var id: UInt32
    public var key: String
}

/// One ticker line with the customer's key.
public struct SegmentTickerLine: Sendable, Equatable, Codable {
    public var customer: String
    public var segment: String
    public var entered: Bool
    public var clause: String
    public var clauseValue: Bool
    public var time: Int64

    /// "anna entered Active (recency_days <= 7 became true)".
    public var text: String {
        let why = clause.isEmpty ? "" : " (\(clause) became \(clauseValue))"
        return "\(customer) \(entered ? "entered" : "left") \(segment)\(why)"
    }
}

/// Customers moving between two segments over a period.
public struct SegmentMove: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    public var count: Int
}

/// The answer to a ``SegmentsQuery``: small value types, nothing referring to the live state.
public struct SegmentsReport: Sendable, Equatable {
    /// Every segment with its size, share and change since the previous history sample.
    public var rows: [SegmentRow]
    /// Per row (same order): its sizes over time, oldest first, for sparklines.
    public var sparklines: [[Int?]]
    public var members: [SegmentMember]?
    public var membersTotal: Int?
    /// Nil when the customer is unknown or not asked for.
    public var customerSegments: [String]?
    public var ticker: [SegmentTickerLine]
    public var migrations: [SegmentMove]
    /// Problems of the last configuration load (`file:line:column: reason` via `description`).
    public var problems: [ConfigProblem]
    /// The configuration file in use.
    public var configurationFile: String
    public var customers: Int
    /// Increases when the configuration, scores, RFM or clusters were swapped.
    public var generation: Int
}

extension IngestPipeline {
    /// The live segmentation as the CLI and the dashboard show it; nil when segments are not kept.
    /// Call it under the ingest lock (``LiveIngestor/read(_:)``); rows and the ticker are O(segments +
    /// lines), members and a customer's segments O(customers) only when asked for.
    public func segmentsReport(_ query: SegmentsQuery = SegmentsQuery()) -> SegmentsReport? {
        guard let live = segments else { return nil }
        let catalog = live.catalog
        let customers = engine.profiles.count
        let rows = catalog.rows(customers: customers, history: live.history)
        var report = SegmentsReport(
            rows: rows, sparklines: rows.map { live.history.sizes(of: $0.name) }, members: nil, membersTotal: nil,
            customerSegments: nil, ticker: [], migrations: [], problems: live.problems,
            configurationFile: live.configuration.file, customers: customers, generation: live.generation)
        if let name = query.members, let ids = catalog.members(of: name) {
            report.membersTotal = ids.count
            report.members = ids.prefix(query.memberLimit).map { SegmentMember(id: $0, key: engine.displayKey($0)) }
        }
        if let key = query.customer, let c = engine.customers.lookup(key) {
            report.customerSegments = catalog.segments(of: c)
        }
        report.ticker = live.ticker.newest(query.tickerLimit).map {
            SegmentTickerLine(customer: Int($0.customer) < engine.customers.count ? engine.displayKey($0.customer) : "#\($0.customer)",
                              segment: $0.segment, entered: $0.entered, clause: $0.clause, clauseValue: $0.clauseValue,
                              time: $0.time)
        }
        if let now = engine.watermark {
            report.migrations = live.migrations.moves(days: query.migrationDays, endingAt: now).map {
                SegmentMove(from: $0.move.from, to: $0.move.to, count: $0.count)
            }
        }
        return report
    }
}
