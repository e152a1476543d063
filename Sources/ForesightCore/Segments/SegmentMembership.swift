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
    /// Per customer: her due time, timer slot and stage progress in one record, so that evaluating her
    /// reads one or two cache lines of membership state instead of one per array.
    var state: [CustomerState] = []
    /// The timers: customers by the hour of their live entry (``CustomerState/queuedAt``).
    var timers = TimerBuckets()
    /// Whether changes name the clause that moved the customer (``SegmentChange/clause``). Finding it
    /// re-evaluates parts of the rule; a replay that only needs sizes turns it off, and
    /// ``explain(_:in:scores:)`` finds it later for the changes shown.
    public var explainsChanges = true
    /// The evaluation layout shared by all flushes (the arrays above, readable through buffers).
    let layout: SegmentLayout
    /// Whether a rule reads the stage: then each customer's reached stage is cached in her
    /// ``CustomerState/reached`` and her scan's progress kept in ``CustomerState/progress``.
    let readsStage: Bool
    public var stageRules: StageRules
    public var sessionGapMs: Int64

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
    public var customerCount: Int { state.count }

    /// Index of a segment by name.
    public func index(of name: String) -> Int? { segments.firstIndex { $0.name == name } }

    /// Whether a customer is in a segment.
    public func contains(customer c: UInt32, segment s: Int) -> Bool {
        let i = Int(c)
        guard i < state.count else { return false }
        return bits[i * words + s / 64] & (1 << UInt64(s % 64)) != 0
    }

    /// The segments a customer is in, in configuration order.
    public func segments(of c: UInt32) -> [Int] { (0..<segments.count).filter { contains(customer: c, segment: $0) } }

    /// The members of a segment, in customer-id order.
    /// - Complexity: O(customers).
    public func members(of s: Int) -> [UInt32] {
        (0..<UInt32(state.count)).filter { contains(customer: $0, segment: s) }
    }

    /// The time a customer will be re-evaluated by the clock (`Int64.max`: never).
    public func dueTime(of c: UInt32) -> Int64 { Int(c) < state.count ? state[Int(c)].due : .max }

    /// The earliest due time of all customers, nil when none is scheduled.
    /// - Complexity: O(entries of the first buckets up to that time's hour).
    public var nextDueTime: Int64? { timers.earliest(in: state) }
}

/// One customer's membership state besides her bits: read and written together by her evaluation.
struct CustomerState: Sendable {
    /// The earliest time her membership could change without an event (`Int64.max`: none).
    var due = Int64.max
    /// The time of her one live timer entry, in the bucket of its hour (`Int64.max`: none). An entry in
    /// another bucket is stale; an entry whose due time moved later is moved on when its bucket is reached.
    var queuedAt = Int64.max
    /// When a rule reads the stage: where her stage scan stopped, so her next event continues it.
    var progress = StageProgress.none
    /// The base stage her events reached at her last update (raw value; 255: unknown). Only her events
    /// change it, so a timer's re-evaluation does not scan her timeline again.
    var reached: UInt8 = 255

    static let none = CustomerState()
}

/// The customers' timers in buckets of an hour of event time: scheduling appends to a bucket (O(1)),
/// and the timers due by a time are the entries of the buckets up to its hour, the last one in part.
/// Replaces a binary heap, whose pops (a cache miss per level over 400k customers) were the cost.
///
/// Each scheduled customer has one live entry, in the bucket of her ``CustomerState/queuedAt``;
/// entries elsewhere are stale and skipped. A due time moved later leaves the entry where it is (most
/// events move it later) and it moves on when its bucket is reached; only an earlier one is appended.
struct TimerBuckets: Sendable {
    static let widthMs: Int64 = 3_600_000
    /// Customers by bucket (hour index).
    var buckets: [Int64: [UInt32]] = [:]
    /// The buckets' indices (a min-heap: the earliest bucket is found at once).
    var hours = Heap<Int64>()
    /// Entries in all buckets, live or stale.
    var entries = 0
    /// Customers with a live entry.
    var scheduled = 0

    @inline(__always)
    static func bucket(_ t: Int64) -> Int64 {
        let q = t / widthMs
        return t % widthMs < 0 ? q - 1 : q
    }

    mutating func append(_ c: UInt32, at t: Int64) {
        let b = Self.bucket(t)
        if buckets[b]?.append(c) == nil {
            buckets[b] = [c]
            hours.insert(b)
        }
        entries += 1
    }

    /// The earliest due time of the live entries (nil: none).
    func earliest(in state: [CustomerState]) -> Int64? {
        var best = Int64.max
        var order = hours
        while let b = order.popMin() {
            // Every live entry of a bucket is due at or after its start (its due time only moves later).
            if best != .max && b > Self.bucket(best) { break }
            for c in buckets[b] ?? [] {
                let s = state[Int(c)]
                if s.queuedAt != .max && Self.bucket(s.queuedAt) == b && s.due != .max { best = min(best, s.due) }
            }
        }
        return best == .max ? nil : best
    }
}
