/// Where a customer stands in the journey. The base stages are reached by what the customer did (see
/// ``StageMapping``); At Risk and Lapsed override them, from the churn risk and inactivity.
public enum LifecycleStage: Int, CaseIterable, Sendable, Codable, Comparable {
    case awareness, consideration, purchase, retention, advocacy, atRisk, lapsed

    public var label: String {
        switch self {
        case .awareness: return "Awareness"
        case .consideration: return "Consideration"
        case .purchase: return "Purchase"
        case .retention: return "Retention"
        case .advocacy: return "Advocacy"
        case .atRisk: return "At Risk"
        case .lapsed: return "Lapsed"
        }
    }

    /// A stage reached by events (not At Risk or Lapsed).
    public var isBase: Bool { self < .atRisk }

    public static func < (a: LifecycleStage, b: LifecycleStage) -> Bool { a.rawValue < b.rawValue }
}

/// The stage rules: the event mapping of the base stages and the At Risk and Lapsed thresholds
/// (`journeys:` in `foresight.yml`; ``JourneysConfiguration``).
///
/// - Lapsed: no event for `lapsedAfterDays` (90) days, whatever the stage.
/// - At Risk: a customer who reached `atRiskFrom` (Purchase) or further, when her churn risk is at least
///   `atRiskChurnRisk` (0.7) where a churn model is fitted, else after `atRiskAfterDays` (30) days without
///   an event. A stage history (the past) uses inactivity only: past risks are not kept.
///
/// Every stage is a pure function of the customer's timeline, these rules and the clock.
public struct StageRules: Sendable, Equatable {
    /// Days without any event after which a buyer is At Risk (without a churn model).
    public var atRiskAfterDays: Int
    /// Days without any event after which a customer is Lapsed.
    public var lapsedAfterDays: Int
    /// Churn risk from which a buyer is At Risk, where the model is fitted.
    public var atRiskChurnRisk: Double
    /// The stage from which At Risk applies.
    public var atRiskFrom: LifecycleStage
    public private(set) var mapping: StageMapping
    /// The mapping resolved to event-name ids.
    private(set) var table: StageTable

    public init(atRiskAfterDays: Int = 30, lapsedAfterDays: Int = 90, atRiskChurnRisk: Double = 0.7,
                atRiskFrom: LifecycleStage = .purchase, mapping: StageMapping = .standard) {
        self.atRiskAfterDays = atRiskAfterDays
        self.lapsedAfterDays = lapsedAfterDays
        self.atRiskChurnRisk = atRiskChurnRisk
        self.atRiskFrom = atRiskFrom
        self.mapping = mapping
        table = StageTable(mapping: mapping, eventNames: nil)
    }

    /// These rules with the mapping's custom event names (not built-in ones) resolved in an engine's names.
    /// Built-in names need no binding. - Complexity: O(1) when nothing new can resolve, else O(custom names).
    public func bound(to eventNames: Interner) -> StageRules {
        guard !table.customNames.isEmpty, table.namesSeen != eventNames.count else { return self }
        var copy = self
        copy.table = StageTable(mapping: mapping, eventNames: eventNames)
        return copy
    }

    public static func == (a: StageRules, b: StageRules) -> Bool {
        a.atRiskAfterDays == b.atRiskAfterDays && a.lapsedAfterDays == b.lapsedAfterDays
            && a.atRiskChurnRisk == b.atRiskChurnRisk && a.atRiskFrom == b.atRiskFrom && a.mapping == b.mapping
    }

    static let dayMs: Int64 = 86_400_000

    /// The stage reached by actions alone, ignoring inactivity. - Complexity: O(events).
    public func reachedStage(_ p: Profile) -> LifecycleStage {
        reachedStage(p, asOf: .max)
    }

    /// ``reachedStage(_:asOf:)`` reading the profile in place, without copying it (the segments' path: a
    /// copied profile retains and releases its timeline and orders).
    func reachedStage(in p: UnsafePointer<Profile>, asOf time: Int64) -> LifecycleStage {
        var scan = StageScan(rules: self)
        let count = p.pointee.timeline.count
        var i = 0
        while i < count {
            let e = p.pointee.timeline[i]
            if e.time > time { break }
            scan.add(e) { k in k < p.pointee.orders.count ? p.pointee.orders[k] : nil }
            if scan.reached == .advocacy { break }
            i += 1
        }
        return scan.reached
    }

    /// The stage reached by the events up to `time` (inclusive). - Complexity: O(events up to `time`).
    public func reachedStage(_ p: Profile, asOf time: Int64) -> LifecycleStage {
        var scan = StageScan(rules: self)
        for e in p.timeline {
            if e.time > time { break }
            scan.add(e, orders: p.orders)
            if scan.reached == .advocacy { break }
        }
        return scan.reached
    }

    /// The stage at `now` of a customer whose reached stage and last event are known: Lapsed and At Risk by
    /// inactivity, or At Risk by `churnRisk` when given (a fitted model's live score).
    public func stage(reached: LifecycleStage, lastSeen: Int64, now: Int64, churnRisk: Double? = nil) -> LifecycleStage {
        let idleDays = (now - lastSeen) / Self.dayMs
        if idleDays >= Int64(lapsedAfterDays) { return .lapsed }
        guard reached >= atRiskFrom else { return reached }
        if let churnRisk, !churnRisk.isNaN { return churnRisk >= atRiskChurnRisk ? .atRisk : reached }
        return idleDays >= Int64(atRiskAfterDays) ? .atRisk : reached
    }

    /// The current stage at event time `now` (inactivity rule; pass `churnRisk` where a model is fitted).
    /// - Complexity: O(events of the customer).
    public func stage(_ p: Profile, now: Int64, churnRisk: Double? = nil) -> LifecycleStage {
        stage(reached: reachedStage(p, asOf: now), lastSeen: lastEvent(p, asOf: now), now: now, churnRisk: churnRisk)
    }

    /// The time of the customer's latest event at or before `time` (`Int64.min` when none).
    func lastEvent(_ p: Profile, asOf time: Int64) -> Int64 {
        if p.lastSeen <= time { return p.lastSeen }
        var lo = 0, hi = p.timeline.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if p.timeline[mid].time <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? .min : p.timeline[lo - 1].time
    }
}

/// The running state of a base-stage scan over one timeline, entry by entry in time order.
struct StageScan {
    let table: StageTable
    // Fixed-size vectors, not arrays: a scan runs per customer and must not allocate.
    let minCount: SIMD8<Int32>
    let requires: SIMD8<Int32>
    var counts = SIMD8<Int32>(repeating: 0)
    /// Bit s: stage s reached.
    var reachedBits: UInt8 = 0
    /// The furthest base stage reached (Awareness once any event is seen).
    var reached = LifecycleStage.awareness

    init(rules: StageRules) {
        table = rules.table
        minCount = table.minCount
        requires = table.requires
    }

    /// Adds one entry. - Returns: true when the furthest stage moved.
    @discardableResult
    mutating func add(_ e: TimelineEntry, orders: [OrderRecord]) -> Bool {
        add(e) { i in i < orders.count ? orders[i] : nil }
    }

    /// ``add(_:orders:)`` with the customer's orders read through `order` (index → record).
    @discardableResult
    @inline(__always)
    mutating func add(_ e: TimelineEntry, order: (Int) -> OrderRecord?) -> Bool {
        var bits = table.stages(of: e)
        guard bits != 0 else { return false }
        if e.name == KnownEvent.orderCompleted.id {
            // An order counts once, at its first completion, and not when it was cancelled.
            guard e.kind == .order, let o = order(Int(e.item)) else { return false }
            if o.cancelled || o.time != e.time { bits = 0 }
        }
        guard bits != 0 else { return false }
        for s in 0..<5 where bits & (1 << UInt8(s)) != 0 { counts[s] += 1 }
        let before = reached
        // A stage whose requirement is reached later is reached then (so loop until nothing changes).
        var changed = true
        while changed {
            changed = false
            for s in 0..<5 where reachedBits & (1 << UInt8(s)) == 0 && counts[s] >= minCount[s] {
                let required = Int(requires[s])
                if required > 0 && reachedBits & (1 << UInt8(required)) == 0 { continue }
                reachedBits |= 1 << UInt8(s)
                changed = true
                if let stage = LifecycleStage(rawValue: s), stage > reached { reached = stage }
            }
        }
        return reached != before
    }
}
