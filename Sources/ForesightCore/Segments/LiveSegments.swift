/// One line of the entered/exited ticker: who moved, where, why and when.
public struct SegmentTickerEntry: Sendable, Equatable, Codable {
    /// Dense customer id (the customer's key is looked up when the ticker is read).
    public var customer: UInt32
    public var segment: String
    public var entered: Bool
    /// The condition that moved the customer, as written (`recency_days <= 7`); empty when unknown.
    public var clause: String
    /// That condition's answer after the move.
    public var clauseValue: Bool
    /// Event time of the change (ms).
    public var time: Int64

    public init(customer: UInt32, segment: String, entered: Bool, clause: String, clauseValue: Bool, time: Int64) {
        self.customer = customer
        self.segment = segment
        self.entered = entered
        self.clause = clause
        self.clauseValue = clauseValue
        self.time = time
    }
}

/// The last changes, in a fixed-size ring (oldest overwritten).
public struct SegmentTicker: Sendable, Equatable {
    public let capacity: Int
    private var ring: [SegmentTickerEntry] = []
    private var next = 0

    public init(capacity: Int = 200) { self.capacity = max(1, capacity) }

    public var count: Int { ring.count }

    public mutating func append(_ e: SegmentTickerEntry) {
        if ring.count < capacity { ring.append(e) } else { ring[next] = e }
        next = (next + 1) % capacity
    }

    /// Drops the lines of erased customers (old ids, ascending) and renumbers the others.
    public mutating func removeAndRenumber(afterErasing erased: [UInt32]) {
        var kept: [SegmentTickerEntry] = newest().reversed().compactMap { e in
            guard let c = Engine.renumbered(e.customer, afterErasing: erased) else { return nil }
            var e = e
            e.customer = c
            return e
        }
        if kept.count > capacity { kept.removeFirst(kept.count - capacity) }
        ring = kept
        next = kept.count % capacity
    }

    /// The newest `limit` entries by event time, newest first (of equal times, the later recorded first).
    /// A flush records its changes in customer order, dated at each customer's event or due time, so the
    /// ring's order alone is not time order.
    public func newest(_ limit: Int = .max) -> [SegmentTickerEntry] {
        var out: [(entry: SegmentTickerEntry, age: Int)] = []
        out.reserveCapacity(ring.count)
        var i = next
        for age in 0..<ring.count {
            i = (i - 1 + ring.count) % ring.count
            out.append((ring[i], age))
        }
        out.sort { $0.entry.time != $1.entry.time ? $0.entry.time > $1.entry.time : $0.age < $1.age }
        return out.prefix(max(0, limit)).map(\.entry)
    }
}

/// The segmentation kept current next to the engine by the ingest thread: rule membership with its
/// per-batch updates, the RFM scores and clusters swapped in from the background, the score table the
/// score rules read, the size history, the migrations and the ticker.
///
/// Owned by ``IngestPipeline`` (``IngestPipeline/segments``): ``mark(customer:name:)`` for every
/// accepted event, ``flush(engine:)`` after every batch.
public struct LiveSegments: Sendable {
    /// The configuration in use (the last usable one) and the problems of the last load.
    public private(set) var configuration: SegmentsConfiguration
    public private(set) var problems: [ConfigProblem]
    public private(set) var membership: SegmentMembership
    var batch = SegmentUpdateBatch()
    public private(set) var scores: SegmentScoreTable
    public private(set) var rfm: RFMScores?
    public private(set) var clusters: BehaviourClusters?
    public private(set) var history: SegmentSizeHistory
    public private(set) var migrations: SegmentMigrations
    public private(set) var ticker: SegmentTicker
    /// Event-time spacing of the size history's samples.
    public var historyIntervalMs: Int64 = 3_600_000
    private var lastSample: Int64 = .min
    /// Customers still to be re-evaluated after a swap (new scores, a new configuration): a sweep done
    /// a slice per flush so that no lock hold is long. `sweepInputs` is what changed for them.
    private var sweepNext = 0
    private var sweepEnd = 0
    private var sweepInputs = RuleInputs()
    /// Customers re-evaluated by the sweep per flush.
    public var sweepSlice = 16_384
    /// Changes recorded (for "something moved" tests and the screen).
    public private(set) var changesSeen = 0
    /// Increases when the configuration, the scores, the RFM or the clusters were swapped.
    public private(set) var generation = 0

    /// Segments from a loaded configuration; `problems` are the load's (kept for the screen).
    public init(configuration: SegmentsConfiguration, problems: [ConfigProblem] = [], stageRules: StageRules = StageRules(),
                sessionGapMs: Int64 = 30 * 60_000, tickerCapacity: Int = 200, historyCapacity: Int = 120) {
        self.configuration = configuration
        self.problems = problems
        membership = SegmentMembership(segments: configuration.segments, stageRules: stageRules, sessionGapMs: sessionGapMs)
        // Only the ticker's lines are explained (at the flush): most changes are never shown.
        membership.explainsChanges = false
        scores = SegmentScoreTable(customers: 0)
        history = SegmentSizeHistory(capacity: historyCapacity)
        migrations = SegmentMigrations()
        ticker = SegmentTicker(capacity: tickerCapacity)
    }

    /// Notes an accepted event of a customer (`name`: its event-name id, ``Engine/lastEventName``).
    @inline(__always)
    public mutating func mark(customer c: UInt32, name: UInt16) {
        let changed = Int(name) < changedByName.count ? changedByName[Int(name)] : everyEventChanges
        batch.mark(customer: c, changed: changed)
        markedEvents &+= 1
    }

    /// Starts loading a customer's mark before ``mark(customer:name:)`` (her next event is a line ahead).
    @inline(__always)
    public func prefetchMark(customer c: UInt32) { batch.prefetchMark(customer: c) }

    /// ``RuleInputs/changed(byEvent:)`` by known event id, and for any other name.
    private let changedByName = RuleInputs.changedByKnownEvent
    private let everyEventChanges = RuleInputs.changed(byEvent: UInt16.max)

    /// The parts a flush's evaluation is split into (tests: a parallel flush decides what a serial one
    /// does); nil: by the number of customers marked and the processors.
    public var flushParts: Int? {
        get { batch.parts }
        set { batch.parts = newValue }
    }

    /// Customers evaluated after their events and by their timers alone, and the flushes run (figures).
    public var evaluations: (byEvent: Int, byClock: Int, flushes: Int) {
        (batch.evaluatedByEvent, batch.evaluatedByClock, batch.flushes)
    }

    /// Events marked since the last flush.
    public private(set) var markedEvents = 0
    /// While replaying, a flush is due after this many wall-clock seconds (the screen's sizes move once a
    /// second during a replay); each customer's events of that stretch are then evaluated once.
    public var replayFlushSeconds = 1.0
    /// While replaying, a flush is also due once this many events are marked (bounds the work of one flush
    /// when the flushes are fast and the log huge; the pacing below is what usually decides).
    public var flushEvents = 16_777_216
    /// How long the last flush took, in wall-clock seconds (the owner, who reads the clock, sets it).
    public var lastFlushSeconds = 0.0
    /// While replaying, the wait after a flush is also at least this many times the flush's duration, so that
    /// a replay spends at most about 1 / (1 + pacing) of its time in flushes (a fifteenth at 14) however large
    /// the customer base: a flush of 400k customers takes ~0.2–0.3 s, and the sizes then move every 3–4 s
    /// until the end of the log, where every batch is flushed.
    public var replayFlushPacing = 14.0

    /// Whether ``flush(engine:)`` is due: at once with `force` (the end of the log was reached: a live log
    /// flushes every batch), otherwise when ``replayFlushSeconds`` and ``replayFlushPacing`` times
    /// ``lastFlushSeconds`` passed since the last flush ended (the owner reads its clock and passes the
    /// elapsed time) or ``flushEvents`` events are marked.
    public func flushDue(force: Bool, secondsSinceLastFlush: Double = 0) -> Bool {
        force || markedEvents >= flushEvents
            || (markedEvents > 0 && secondsSinceLastFlush >= max(replayFlushSeconds, replayFlushPacing * lastFlushSeconds))
    }

    /// Updates the customers marked since the last flush, runs the timers due by the watermark (the
    /// engine's clock: customers leave time-based segments without an event), continues a pending
    /// sweep, and records the changes.
    /// - Returns: the number of changes.
    @discardableResult
    public mutating func flush(engine: Engine) -> Int {
        guard let now = engine.watermark else { return 0 }
        return flush(engine: engine, now: now)
    }

    /// ``flush(engine:)`` at an explicit time (tests; a clock ahead of the last event).
    @discardableResult
    public mutating func flush(engine: Engine, now: Int64) -> Int {
        markedEvents = 0
        var changes = batch.flush(into: &membership, engine: engine, scores: scores, now: now)
        if sweepNext < sweepEnd {
            let end = min(sweepEnd, sweepNext + sweepSlice, engine.profiles.count)
            if sweepNext < end {
                changes += membership.update(customers: Array(UInt32(sweepNext)..<UInt32(end)), in: engine, scores: scores,
                                             now: now, changed: sweepInputs)
            }
            sweepNext = end >= min(sweepEnd, engine.profiles.count) ? sweepEnd : end
        }
        record(changes, engine: engine, now: now)
        lastChanges = keepsChanges ? changes : []
        return changes.count
    }

    /// Whether ``lastChanges`` keeps the changes of each flush (campaign triggers on segments read them).
    public var keepsChanges = false
    /// The entries and exits of the last flush, when ``keepsChanges``.
    public private(set) var lastChanges: [SegmentChange] = []

    private mutating func record(_ changes: [SegmentChange], engine: Engine, now: Int64) {
        if !changes.isEmpty {
            let names = membership.segments.map(\.name)
            // Only the last lines can stay in the ring: only those are explained (exact, since none of
            // these customers has had an event since the flush evaluated them).
            // In time order within the flush (a flush walks customers in id order; changes are dated at
            // the customer's last event or due time).
            for c in changes.suffix(ticker.capacity).sorted(by: { $0.time < $1.time }) {
                var (clause, value) = (c.clause, c.clauseValue)
                if explainsChanges && clause.isEmpty {
                    (clause, value) = membership.explain(c, in: engine, scores: scores, now: c.time)
                }
                ticker.append(SegmentTickerEntry(customer: c.customer, segment: names[c.segment], entered: c.entered,
                                                 clause: clause, clauseValue: value, time: c.time))
            }
            migrations.recordGrouped(changes, names: names)
            changesSeen += changes.count
        }
        if lastSample == .min || now - lastSample >= historyIntervalMs {
            lastSample = now
            history.record(time: now, sizes: catalog.sizes())
        }
    }

    /// Whether a sweep after a swap is still under way.
    public var isSweeping: Bool { sweepNext < sweepEnd }

    private mutating func startSweep(_ inputs: RuleInputs, customers: Int) {
        sweepInputs = isSweeping ? sweepInputs.union(inputs) : inputs
        sweepNext = 0
        sweepEnd = customers
    }

    /// Swaps in new model scores; the segments reading scores are re-evaluated by a sweep over the
    /// next flushes (or at once with `immediately`).
    public mutating func setScores(_ table: SegmentScoreTable, engine: Engine, immediately: Bool = false) {
        scores = table
        generation += 1
        startSweep(.scores, customers: engine.profiles.count)
        if immediately { finishSweep(engine: engine) }
    }

    /// Swaps in RFM scores and clusters computed elsewhere (either may be nil: keep the current one).
    public mutating func setPopulation(rfm: RFMScores?, clusters: BehaviourClusters?, now: Int64) {
        if let old = self.rfm, let rfm {
            for move in rfm.moves(since: old) { migrations.record(from: move.from, to: move.to, at: now, count: move.count) }
        }
        if let rfm { self.rfm = rfm }
        if let clusters { self.clusters = clusters }
        generation += 1
    }

    /// Replaces the configuration with a usable newly loaded one. `rebuilt`, when given, is the new
    /// membership already evaluated elsewhere on a copy of the engine (off the ingest thread); the
    /// customers who changed since are caught by a sweep. Without it every customer is evaluated in
    /// this call (one refresh).
    public mutating func reconfigure(_ load: SegmentsConfigurationLoad, engine: Engine, rebuilt: SegmentMembership? = nil) {
        problems = load.problems
        guard load.isUsable else { return }
        configuration = load.configuration
        if let rebuilt {
            membership = rebuilt
            startSweep(.all, customers: engine.profiles.count)
        } else {
            membership = SegmentMembership(segments: load.configuration.segments, stageRules: membership.stageRules,
                                           sessionGapMs: membership.sessionGapMs)
            membership.explainsChanges = false
            if let now = engine.watermark { _ = membership.refreshAll(in: engine, scores: scores, now: now) }
            sweepEnd = 0
            sweepNext = 0
        }
        // Marks refer to customers, not segments: they stay valid for the new membership.
        generation += 1
        if let now = engine.watermark { lastSample = .min; record([], engine: engine, now: now) }
    }

    /// Notes the problems of a load that was not usable (the configuration in use stays).
    public mutating func keepConfiguration(problems: [ConfigProblem]) { self.problems = problems }

    /// A new membership for `configuration` evaluated on `engine` (run it on a copy, off the ingest thread).
    public func rebuiltMembership(for configuration: SegmentsConfiguration, engine: Engine) -> SegmentMembership {
        var m = SegmentMembership(segments: configuration.segments, stageRules: membership.stageRules,
                                  sessionGapMs: membership.sessionGapMs)
        m.explainsChanges = false
        if let now = engine.watermark { _ = m.refreshAll(in: engine, scores: scores, now: now) }
        return m
    }

    /// Runs the pending sweep to its end now.
    public mutating func finishSweep(engine: Engine) {
        guard let now = engine.watermark else { return }
        var changes: [SegmentChange] = []
        let end = min(sweepEnd, engine.profiles.count)
        if sweepNext < end {
            changes = membership.update(customers: Array(UInt32(sweepNext)..<UInt32(end)), in: engine, scores: scores,
                                        now: now, changed: sweepInputs)
        }
        sweepNext = sweepEnd
        record(changes, engine: engine, now: now)
    }

    /// After customers were erased (``Engine/forget(customerKeys:)``; `erased`: their old ids, ascending):
    /// their ticker lines go, the other lines and the score table are renumbered, the membership is evaluated
    /// again on the compacted engine (O(customers × segments), under the caller's lock: erasures are rare),
    /// and RFM and clusters are dropped until the refresher's next round (the event count changed, so it runs).
    public mutating func customersErased(_ erased: [UInt32], engine: Engine) {
        guard !erased.isEmpty else { return }
        ticker.removeAndRenumber(afterErasing: erased)
        scores = scores.removing(erased)
        rfm = nil
        clusters = nil
        membership = SegmentMembership(segments: configuration.segments, stageRules: membership.stageRules,
                                       sessionGapMs: membership.sessionGapMs)
        membership.explainsChanges = false
        if let now = engine.watermark { _ = membership.refreshAll(in: engine, scores: scores, now: now) }
        // Marks and a pending sweep name old ids; every customer was just evaluated.
        batch = SegmentUpdateBatch()
        markedEvents = 0
        sweepNext = 0
        sweepEnd = 0
        generation += 1
    }

    /// Evaluates every customer of an engine restored from a checkpoint (the membership is recomputed,
    /// not stored: it is a function of the profiles, the clock and the scores).
    public mutating func evaluateAll(engine: Engine) {
        guard let now = engine.watermark else { return }
        _ = membership.refreshAll(in: engine, scores: scores, now: now)
        generation += 1
        lastSample = .min
        record([], engine: engine, now: now)
    }

    /// Whether the ticker's lines name the clause that moved the customer.
    public var explainsChanges = true

    /// The rule, RFM and cluster segments together.
    public var catalog: SegmentCatalog {
        SegmentCatalog(membership: membership, rfmMap: configuration.rfm, rfm: rfm, clusters: clusters)
    }
}
