import HeapModule

/// A rule segment: a name, a compiled rule and what it is for.
public struct RuleSegment: Sendable {
    public var name: String
    public var rule: CompiledRule
    public var description: String?

    public init(name: String, rule: CompiledRule, description: String? = nil) {
        self.name = name
        self.rule = rule
        self.description = description
    }
}

/// A customer entering or leaving a segment.
public struct SegmentChange: Sendable, Equatable {
    public var customer: UInt32
    /// Index of the segment in ``SegmentMembership/segments``.
    public var segment: Int
    public var entered: Bool
    /// Event time of the change (ms).
    public var time: Int64
    /// The condition that moved the customer, as written: `recency_days <= 7`.
    public var clause: String
    /// That condition's answer now.
    public var clauseValue: Bool
    /// Whether the clock moved the customer (a timer), not an event or new scores.
    public var byClock: Bool

    public init(customer: UInt32, segment: Int, entered: Bool, time: Int64, clause: String, clauseValue: Bool,
                byClock: Bool = false) {
        self.byClock = byClock
        self.customer = customer
        self.segment = segment
        self.entered = entered
        self.time = time
        self.clause = clause
        self.clauseValue = clauseValue
    }

    /// "recency_days <= 7 became false".
    public var reason: String { "\(clause) became \(clauseValue)" }
}

/// Live membership of every customer in the rule segments: sizes, a bit set per customer, and a queue
/// of the times at which a customer's membership could change with the clock alone.
///
/// A value type driven by its owner (the ingest thread): ``update(customer:in:scores:now:)`` after each
/// event of a customer, ``advance(to:in:scores:)`` when the watermark moves. Both return the changes.
public struct SegmentMembership: Sendable {
    /// The segments, in configuration order.
    public let segments: [RuleSegment]
    /// Customers in each segment.
    public internal(set) var sizes: [Int]
    /// Evaluation order: a segment after the segments it refers to.
    let order: [Int]
    /// Per segment: the segment index of each of its rule's references (-1: unknown, always false).
    let referenceTargets: [[Int]]
    var bindings: [RuleBindings]
    /// Each segment's program, so evaluation copies no segment.
    let programs: [RuleProgram]
    /// The bindings' ids of all segments end to end (segment s at `labelStarts[s]..<labelStarts[s + 1]`),
    /// and the reference targets likewise: evaluation reads them through buffers, retaining nothing.
    var flatLabelIDs: [UInt32] = []
    var flatEventIDs: [UInt16] = []
    let labelStarts: [Int]
    let eventStarts: [Int]
    let flatTargets: [Int32]
    /// Per segment: what its rule reads, with what the segments it refers to read.
    let reads: [RuleInputs]
    /// Sizes of the engine's label and event-name interners at the last refresh of the bindings.
    var internedSeen = (labels: -1, names: -1)
    let targetStarts: [Int]
    let words: Int
    var bits: [UInt64] = []
    /// Per customer: the earliest time its membership could change without an event (`Int64.max`: none).
    var due: [Int64] = []
    var queue = Heap<DueEntry>()
    /// Per customer: the time of its one live queue entry (`Int64.max`: none). Entries at other times
    /// are stale.
    var queuedAt: [Int64] = []
    /// Customers with a live queue entry.
    var scheduled = 0
    /// Whether changes name the clause that moved the customer (``SegmentChange/clause``). Finding it
    /// re-evaluates parts of the rule; a replay that only needs sizes turns it off, and
    /// ``explain(_:in:scores:)`` finds it later for the changes shown.
    public var explainsChanges = true
    /// The evaluation layout shared by all flushes (the arrays above, readable through buffers).
    let layout: SegmentLayout
    /// Whether a rule reads the stage: then each customer's reached stage is cached in ``reachedCache``.
    let readsStage: Bool
    /// Per customer: the base stage her events reached at her last update (raw value; 255: unknown).
    /// Only her events change it, so a timer's re-evaluation does not scan her timeline again.
    var reachedCache: [UInt8] = []
    /// Per customer, when a rule reads the stage: where her stage scan stopped, so her next event continues it.
    var stageProgress: [StageProgress] = []
    public var stageRules: StageRules
    public var sessionGapMs: Int64

    struct DueEntry: Comparable, Sendable {
        var time: Int64
        var customer: UInt32
        static func < (a: DueEntry, b: DueEntry) -> Bool { a.time != b.time ? a.time < b.time : a.customer < b.customer }
    }

    /// Creates the membership of `segments`. References to unknown segments and segments in a
    /// reference cycle evaluate to false (the configuration loader reports both as problems).
    public init(segments: [RuleSegment], stageRules: StageRules = StageRules(), sessionGapMs: Int64 = 30 * 60_000) {
        self.segments = segments
        self.stageRules = stageRules
        self.sessionGapMs = sessionGapMs
        sizes = Array(repeating: 0, count: segments.count)
        words = max(1, (segments.count + 63) / 64)
        bindings = segments.map { RuleBindings($0.rule) }
        programs = segments.map(\.rule.program)
        var index: [String: Int] = [:]
        for (i, s) in segments.enumerated() where index[s.name] == nil { index[s.name] = i }
        let targets = segments.map { $0.rule.references.map { index[$0] ?? -1 } }
        order = SegmentDependencies.order(targets)
        referenceTargets = targets.enumerated().map { i, refs in
            refs.map { t in t >= 0 && SegmentDependencies.reachable(from: t, to: i, targets) ? -1 : t }
        }
        var reads = programs.map(\.reads)
        for s in order { for t in referenceTargets[s] where t >= 0 { reads[s].formUnion(reads[t]) } }
        self.reads = reads
        func starts(_ counts: [Int]) -> [Int] { counts.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1) } }
        labelStarts = starts(bindings.map(\.labelIDs.count))
        eventStarts = starts(bindings.map(\.eventIDs.count))
        targetStarts = starts(referenceTargets.map(\.count))
        flatTargets = referenceTargets.flatMap { $0.map(Int32.init) }
        flatLabelIDs = bindings.flatMap(\.labelIDs)
        flatEventIDs = bindings.flatMap(\.eventIDs)
        readsStage = reads.contains { $0.contains(.init(.stage)) }
        layout = SegmentLayout(order: order, programs: programs, labelStarts: labelStarts, eventStarts: eventStarts,
                               targetStarts: targetStarts, flatTargets: flatTargets, reads: reads)
    }

    /// The number of customers tracked.
    public var customerCount: Int { due.count }

    /// Index of a segment by name.
    public func index(of name: String) -> Int? { segments.firstIndex { $0.name == name } }

    /// Whether a customer is in a segment.
    public func contains(customer c: UInt32, segment s: Int) -> Bool {
        let i = Int(c)
        guard i < due.count else { return false }
        return bits[i * words + s / 64] & (1 << UInt64(s % 64)) != 0
    }

    /// The segments a customer is in, in configuration order.
    public func segments(of c: UInt32) -> [Int] { (0..<segments.count).filter { contains(customer: c, segment: $0) } }

    /// The members of a segment, in customer-id order.
    /// - Complexity: O(customers).
    public func members(of s: Int) -> [UInt32] {
        (0..<UInt32(due.count)).filter { contains(customer: $0, segment: s) }
    }

    /// The time a customer will be re-evaluated by the clock (`Int64.max`: never).
    public func dueTime(of c: UInt32) -> Int64 { Int(c) < due.count ? due[Int(c)] : .max }

    /// The earliest due time of all customers, nil when none is scheduled (the queue's top is kept
    /// live and exact).
    public var nextDueTime: Int64? { queue.min?.time }
}
