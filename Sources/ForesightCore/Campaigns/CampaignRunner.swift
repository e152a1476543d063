import Foundation
import HeapModule

/// Runs the campaign triggers next to the engine, on event time: every accepted event is observed
/// (``observe(customer:engine:)``: a table lookup for most events), and each flush
/// (``flush(engine:segmentChanges:segmentNames:now:)``) arms the inactivity timers of the customers
/// seen, runs the timers due by the clock, takes the segment entries and exits, and settles every
/// candidate message through the guards in event-time order.
///
/// Decisions are deterministic: the same log and configuration give the same messages with the same
/// ids, so an outbox that remembers the ids it holds writes each message once across restarts.
public struct CampaignRunner: Sendable {
    public private(set) var configuration: CampaignsConfiguration
    public private(set) var problems: [ConfigProblem]
    public var stageRules: StageRules
    /// The scores `when` rules, score triggers and payloads read (swapped by ``scoresChanged(to:engine:now:)``).
    public private(set) var scores = SegmentScoreTable(customers: 0)
    /// The score triggers' sides of a restored state (``CampaignRunnerState/scoreBaseline``), until the first score
    /// table after the restore: what its crossings are judged against, ``scores`` being empty.
    var restoredScoreBaseline: [[UInt64]]?
    /// Only causes in [from, to) are settled (a dry run of a range); nil: no bound.
    public var from: Int64?
    public var to: Int64?
    /// Capacity of the fired and suppressed feeds, and the decisions kept per customer.
    public let feedCapacity: Int
    public let historyPerCustomer = 20

    // Per trigger.
    public internal(set) var counts: [TriggerCounts]
    var exposures: [[Exposure]]
    var bindings: [RuleBindings?]
    /// Per customer: cooldowns, caps, open exposures and the latest decisions.
    var guards: [CustomerGuards] = []
    /// Customers with a pending not-followed-by timer, per trigger.
    /// Per customer, every trigger's bits side by side (one word for up to 21 triggers; an event reads and
    /// writes one cache line, loaded a line ahead): lane t, the trigger's `when` rule is false for good for her
    /// (``neverFires(_:_:)``); lane n + t, her not-followed-by wait is pending (``isPending(_:_:)``); lane 2n + t,
    /// the `when` bit (``WhenBits``, ``whenBit(_:_:)``).
    var flags: TriggerBits
    /// The timer triggers' `when` rules as a bit per customer, where only her events change them.
    var when: WhenBits
    /// The inactivity triggers' latest event per customer and their hour buckets (scanned by each flush).
    var ledger: InactivityLedger
    /// Whether ``ledger`` is to be rebuilt from the engine's profiles (a new runner, a restored state) at the next
    /// flush or event: its latest event times must be the profiles' (``InactivityLedger/touch(_:at:last:timers:)``).
    /// A runner started on a log already read thus follows every customer's quiet period from her latest event,
    /// not from her next one.
    var ledgerStale = false
    /// The clock of the last scan, from a restored state (nil: the engine's clock when it is rebuilt).
    var restoredScan: Int64?

    // Per event name id: whether any trigger reads it, and which (bound lazily; custom names resolve when seen).
    /// Per event name id: its roles (empty for most names), in one packed list: an event with roles would
    /// retain and release a list of its own.
    var nameRoles = PackedLists<NameRole>()
    var namesBound = -1
    /// Per trigger: the resolved start and follow-up event names of a not-followed-by wait.
    var startNameID: [UInt16?] = []
    /// Per trigger: the resolved name of its goal event (nil: not seen yet).
    var goalNameIDs: [UInt16?] = []
    var thenNameIDs: [[UInt16]] = []
    /// Per trigger: the hash of its name (ids and the control group).
    let triggerHashes: [UInt64]
    /// Per trigger: what a settle reads of it, apart (a copy of the whole trigger per message showed).
    let facts: [TriggerFacts]

    struct TriggerFacts: Sendable {
        var name: String
        var channel: MessageChannel
        var template: String
        var payload: [PayloadField]
        var cooldownMs: Int64
        var controlShare: Double
        /// An event trigger's event name and the field its `where` tests; a timer's rule (the "because" of its messages).
        var eventName = ""
        var eventField: String?
        var timerBecause = ""

        /// The "because" of the trigger's candidate `cand`.
        func because(_ cand: Candidate) -> String {
            if let note = cand.note { return note }
            switch cand.cause {
            case .event:
                guard let field = eventField, !cand.value.isNaN else { return eventName }
                return eventName + " (\(field) \(CampaignFormat.number((Double(cand.value) * 100).rounded() / 100)))"
            case .timer: return timerBecause
            case .enter, .leave, .score: return ""
            }
        }
    }
    /// Per trigger: what the per-event and timer paths read of it, in trivial values (``TriggerShape``), and its
    /// `when` rule: `triggers[t]` copies the whole trigger, a dozen retains and releases for each event.
    let shapes: [TriggerShape]
    let whenRules: [CompiledRule?]
    /// Per trigger: whether it has a `when` rule (tested without copying the rule out of ``whenRules``).
    let hasWhen: [Bool]
    /// Per trigger: its `when` rule's flat form (``FlatRule``), when it has one: most are tests on counts.
    let flatWhen: FlatRuleTable
    /// The label count the `when` rules' bindings were last resolved at (the event names': ``namesBound``).
    var labelsBound = -1
    /// Per trigger: whether its `when` rule reads traits, scores (else the rule's input skips them: a cache miss less).
    let whenReads: [(traits: Bool, scores: Bool)]
    /// Per trigger: whether its `when` rule can be false for good (``CompiledRule/canStayFalse``).
    let whenCanStayFalse: [Bool]
    // Across triggers.
    var timers = TimerWheel()
    var delayedMessages: [UInt32: CampaignDecision] = [:]
    var nextDelayedSlot: UInt32 = 0
    /// Messages already in the outbox (their ids): a replay that meets one again counts it as sent.
    public var delivered: Set<ActionID> = []
    var candidates: [Candidate] = []
    /// A settle running on another thread (``flush(engine:now:inBackground:)``): the tables it writes are out of
    /// the runner until ``join()``.
    var inFlight: SettleJob?
    /// Settles run on another thread so far (a figure; not kept in a state file).
    public internal(set) var backgroundSettles = 0
    /// Goal events seen while a settle runs on another thread, credited when it is joined.
    var queuedConversions: [(customer: UInt32, name: UInt16, time: Int64)] = []
    /// Customers whose key the guards were handed with a candidate (they keep it); cleared when their table is
    /// rebuilt (a restore, an erasure).
    var keysSent = CustomerBits()
    var zones = TimeZoneCache()
    /// The quiet hours' default zone (of ``configuration``, which a runner keeps), resolved once: its name is
    /// looked up in ``zones`` by a hashed string.
    var defaultZone: Int?

    /// The newest decisions, fired and suppressed apart, newest last.
    public internal(set) var firedFeed: [CampaignDecision] = []
    public internal(set) var suppressedFeed: [CampaignDecision] = []
    /// The decisions of the last flushes not yet taken by the owner (``takeDecisions()``): what goes to
    /// the outbox and to the suppressed file.
    var pendingDecisions: [CampaignDecision] = []
    /// Increases with every decision (a cheap "something changed" test for the screen).
    public internal(set) var generation = 0
    /// Whether decisions are kept for ``takeDecisions()`` (an outbox or a suppressed file is written).
    public var emitsDecisions = false
    /// Candidates settled, timers run (figures).
    public internal(set) var settled = 0
    public internal(set) var timersRun = 0
    /// Timer checks run per trigger (not kept in a state file: a figure for profiling).
    public internal(set) var checksByTrigger: [Int] = []
    /// The parts a flush's timer checks are split into (tests, benchmarks); nil: one per processor, at most 4,
    /// each of at least ``parallelCheckMinimum`` checks.
    public var timerCheckParts: Int?

    // The state file's part (CampaignRunner+State.swift).
    /// Names this runner's history of decisions in a state file: random for a new runner, kept by a restore
    /// (the checkpoint stores the suppressed decisions of one epoch once each, by ``suppressedSequence``).
    public internal(set) var epoch = UInt64.random(in: 1...UInt64.max)
    /// Whether the suppressed and held-out decisions are kept in ``suppressedLog`` for a state file.
    public var logsSuppressed = false
    /// Suppressed and held-out decisions recorded so far while ``logsSuppressed`` (restored with the state).
    public internal(set) var suppressedSequence = 0
    /// The latest of them (no payload), numbered by ``suppressedSequence``: what the next checkpoint stores.
    var suppressedLog: [LoggedDecision] = []
    /// Decisions kept in ``suppressedLog``: as many as the state file keeps, so an overflow between two
    /// checkpoints loses only rows the file would have pruned.
    public static let suppressedLogCapacity = 100_000

    enum NameRole: Sendable {
        case event(Int)
        case after(Int)
        /// The goal of one trigger or more (``goalNameIDs``).
        case goal
    }

    /// What caused a candidate (its raw value is part of the message id).
    enum Cause: String, Sendable {
        case event, timer, enter, leave, score
    }

    /// A message a trigger wants to send, before the guards. No string is built where it is made (the ingest
    /// thread, for events and timers): its "because" is written by the settle from the trigger's facts and the
    /// event's value (``because(_:)``), unless it carries its own (``note``).
    struct Candidate: Sendable {
        var time: Int64
        var customer: UInt32
        var trigger: Int
        var cause: Cause
        /// The event's value (an event trigger's `where` field; NaN when none).
        var value: Float32 = .nan
        /// The "because" when not the trigger's own: a segment's entry or exit, a score's move, a restored candidate.
        var note: String?
    }

    public init(configuration: CampaignsConfiguration, problems: [ConfigProblem] = [], stageRules: StageRules = StageRules(),
                feedCapacity: Int = 200) {
        self.configuration = configuration
        self.problems = problems
        self.stageRules = stageRules
        self.feedCapacity = feedCapacity
        let n = configuration.triggers.count
        counts = Array(repeating: TriggerCounts(), count: n)
        checksByTrigger = Array(repeating: 0, count: n)
        exposures = Array(repeating: [], count: n)
        bindings = configuration.triggers.map { $0.when.map(RuleBindings.init) }
        triggerHashes = configuration.triggers.map { hashString($0.name) }
        facts = configuration.triggers.map { trigger in
            var f = TriggerFacts(name: trigger.name, channel: trigger.action.channel, template: trigger.action.template,
                                 payload: trigger.action.payload, cooldownMs: trigger.cooldownMs, controlShare: trigger.controlShare)
            if case .event(let e) = trigger.condition {
                f.eventName = e.name
                f.eventField = e.condition?.field
            }
            f.timerBecause = trigger.condition.description
            return f
        }
        shapes = configuration.triggers.map(TriggerShape.init)
        whenRules = configuration.triggers.map(\.when)
        hasWhen = configuration.triggers.map { $0.when != nil }
        flatWhen = FlatRuleTable(configuration.triggers.map { $0.when.flatMap(FlatRule.init) })
        whenCanStayFalse = configuration.triggers.map { $0.when?.canStayFalse ?? false }
        whenReads = configuration.triggers.map { ($0.when?.usesTraits ?? false, $0.when?.usesScores ?? false) }
        flags = TriggerBits(lanes: 3 * n)
        when = WhenBits(triggers: configuration.triggers)
        ledger = InactivityLedger(periods: configuration.triggers.enumerated().compactMap { t, trigger in
            if case .inactivity(let ms) = trigger.condition { return (t, ms) }
            return nil
        })
        ledgerStale = !ledger.isEmpty
    }

    public var triggers: [CampaignTrigger] { configuration.triggers }

    /// The first lanes of ``flags`` of the waits and of the `when` bits.
    var pendingLane: Int { shapes.count }
    var whenLane: Int { 2 * shapes.count }
    /// Whether the trigger's `when` rule is false for good for the customer.
    @inline(__always) func neverFires(_ t: Int, _ c: UInt32) -> Bool { flags.contains(t, c) }
    @inline(__always) mutating func setNeverFires(_ t: Int, _ c: UInt32) { flags.insert(t, c) }
    /// Whether the customer's not-followed-by wait of the trigger is pending.
    @inline(__always) func isPending(_ t: Int, _ c: UInt32) -> Bool { flags.contains(pendingLane + t, c) }
    /// The trigger's `when` bit for the customer (tracked triggers: ``WhenBits``).
    @inline(__always) func whenBit(_ t: Int, _ c: UInt32) -> Bool { flags.contains(whenLane + t, c) }

    /// Messages waiting for the end of the quiet hours.
    public var waitingCount: Int { delayedMessages.count }

    /// Timers pending (not-followed-by waits, checks and delayed messages; see ``quietCount`` for inactivity).
    public var timerCount: Int { timers.count }

    /// Customers whose latest quiet period an inactivity trigger has still to look at.
    public var quietCount: Int { ledger.waiting }

    // MARK: - Events

    /// Notes the accepted event of a customer the engine applied last (``Engine/lastEntry``): the event triggers
    /// on its name, the start of a not-followed-by wait, a conversion. O(1) for an event no trigger names.
    ///
    /// The engine is only read. It is `inout`, and the per-event path below reads it through ``EventReads``,
    /// so that it is passed by address: a function call taking the engine from a mutating method copies it
    /// first (681 bytes) whatever the parameter's convention, and this runs for every event.
    @inline(__always)
    public mutating func observe(customer c: UInt32, engine: inout Engine) {
        if namesBound != engine.eventNames.count { bindNames(engine) }
        if labelsBound != engine.labels.count { refreshBindings(engine) }
        let entry = engine.lastEntry
        if !ledger.isEmpty { ledger.touch(c, at: entry.time, last: engine.lastEntrySeenBefore, timers: &timers) }
        let n = Int(entry.name)
        let roles = nameRoles.range(n)
        guard when.any || !roles.isEmpty, Int(c) < engine.profiles.count else { return }
        let name = engine.lastEventName
        withUnsafePointer(to: &engine) { e in
            e.pointee.profiles.withUnsafeBufferPointer { profiles in
                guard let base = profiles.baseAddress else { return }
                let reads = EventReads(engine: e, profile: base + Int(c))
                if when.any { updateWhen(c, name: name, reads, now: entry.time) }
                for k in roles { handle(nameRoles[k], customer: c, entry: entry, reads) }
            }
        }
    }

    /// What the per-event path reads of the engine, by address (valid during one ``observe(customer:engine:)``):
    /// the engine, and the event's customer's profile.
    struct EventReads {
        let engine: UnsafePointer<Engine>
        let profile: UnsafePointer<Profile>
    }

    /// Starts loading what ``observe(customer:engine:)`` reads and writes of customer `c` (the next
    /// line's customer, known a line ahead): her bits, one word (her latest event time comes with the engine's
    /// entry: ``Engine/lastEntrySeenBefore``).
    @inline(__always)
    public func prefetch(customer c: UInt32) {
        flags.prefetch(c)
    }

    @inline(__always)
    private mutating func handle(_ role: NameRole, customer c: UInt32, entry: TimelineEntry, _ reads: EventReads) {
        switch role {
        case .event(let t):
            let shape = shapes[t]
            guard shape.kind == .event, shape.valueHolds(entry.value), !neverFires(t, c) else { return }
            // The bindings are current (``observe(customer:engine:)`` refreshed them).
            guard holds(t, customer: c, reads, now: entry.time) else {
                // `checkouts = 1` after a second checkout: her later events need no evaluation.
                if staysFalse(t, customer: c, reads) { setNeverFires(t, c) }
                return
            }
            candidates.append(Candidate(time: entry.time, customer: c, trigger: t, cause: .event, value: entry.value))
        case .after(let t):
            let shape = shapes[t]
            guard shape.kind == .after, shape.valueHolds(entry.value) else { return }
            guard !isPending(t, c), !neverFires(t, c) else { return }
            // Only a later start can make the rule true, and it starts the same wait.
            if when.armsOnlyWhileTrue[t] && !whenBit(t, c) { return }
            if staysFalse(t, customer: c, reads) { setNeverFires(t, c); return }
            flags.insert(pendingLane + t, c)
            timers.add(CampaignTimer(due: entry.time + shape.withinMs, customer: c, slot: UInt32(t), isDelivery: false))
        case .goal:
            convert(customer: c, name: entry.name, at: entry.time)
        }
    }

    /// Resolves the event names the triggers read in the engine's interner (again when it grew).
    mutating func bindNames(_ engine: Engine) {
        if ledgerStale { rebuildLedger(engine) }
        namesBound = engine.eventNames.count
        defer { if when.stale { rebuildWhen(engine) } }
        let size = min(engine.eventNames.count, Int(TimelineEntry.maxNameID) + 1)
        var byName = Array(repeating: [NameRole](), count: size)
        func add(_ name: String, _ role: NameRole) {
            guard let id = engine.eventNames.lookup(name), Int(id) < size else { return }
            byName[Int(id)].append(role)
        }
        for (t, trigger) in triggers.enumerated() {
            switch trigger.condition {
            case .event(let e): add(e.name, .event(t))
            case .notFollowed(let e, _, _): add(e.name, .after(t))
            default: break
            }
        }
        var goals = Set<String>()
        for trigger in triggers where goals.insert(trigger.goal).inserted { add(trigger.goal, .goal) }
        nameRoles = PackedLists(byName)
        goalNameIDs = triggers.map { nameIDs([$0.goal], engine).first }
        refreshBindings(engine)
        startNameID = triggers.map { trigger in
            guard case .notFollowed(let e, _, _) = trigger.condition, let id = engine.eventNames.lookup(e.name),
                  id < UInt32(TimelineEntry.maxNameID) else { return nil }
            return UInt16(id)
        }
        thenNameIDs = triggers.map { trigger in
            guard case .notFollowed(_, let then, _) = trigger.condition else { return [] }
            return nameIDs(then, engine)
        }
    }

    func nameIDs(_ names: [String], _ engine: Engine) -> [UInt16] {
        names.compactMap { engine.eventNames.lookup($0) }.filter { $0 < UInt32(TimelineEntry.maxNameID) }.map { UInt16($0) }
    }

    /// Whether the trigger's `when` rule holds for the customer at `now`.
    mutating func passesWhen(_ t: Int, customer c: UInt32, engine: Engine, now: Int64) -> Bool {
        if let rule = whenRules[t] { bindings[t]?.refresh(rule, labels: engine.labels, eventNames: engine.eventNames) }  // in place: O(1) when nothing new
        return holds(t, customer: c, engine: engine, now: now)
    }

    /// Resolves every `when` rule's literals the engine's interners learnt since the last call.
    mutating func refreshBindings(_ engine: Engine) {
        labelsBound = engine.labels.count
        for t in whenRules.indices {
            if let rule = whenRules[t] { bindings[t]?.refresh(rule, labels: engine.labels, eventNames: engine.eventNames) }
        }
    }

    /// Whether the trigger's `when` rule is false for the customer and stays false whatever she does later
    /// (``CompiledRule/staysFalse(_:)``): a wait for her would never fire, so none starts (most of the
    /// "viewed, not added within 1d" waits of customers who did add to a cart once).
    ///
    /// The per-event path (``observe(customer:engine:)``) uses the variant on ``EventReads``: a call taking the
    /// engine from a mutating method copies it (681 bytes) first, whatever the parameter's convention.
    @inline(__always)
    func staysFalse(_ t: Int, customer c: UInt32, engine: Engine) -> Bool {
        guard whenCanStayFalse[t] else { return false }
        if flatWhen.has(t) { return engine.withProfile(c) { flatWhen.staysFalse(t, $0) } ?? false }
        return ruleStaysFalse(t, customer: c, engine: engine)
    }

    /// ``staysFalse(_:customer:engine:)`` on the per-event path. The rule's evaluation is a static function: one
    /// taking the runner (832 bytes) from the per-event path's closures had it copied first, for every event.
    @inline(__always)
    func staysFalse(_ t: Int, customer c: UInt32, _ reads: EventReads) -> Bool {
        guard whenCanStayFalse[t] else { return false }
        if flatWhen.has(t) { return flatWhen.staysFalse(t, reads.profile) }
        return Self.ruleStaysFalse(whenRules[t], customer: c, engine: reads.engine, scores: scores, stageRules: stageRules)
    }

    @inline(never)
    private static func ruleStaysFalse(_ rule: CompiledRule?, customer c: UInt32, engine: UnsafePointer<Engine>,
                                       scores: SegmentScoreTable, stageRules: StageRules) -> Bool {
        guard let rule else { return false }
        return engine.pointee.withRuleInputInPlace(customer: c, scores: scores, now: 0, stageRules: stageRules, traits: false,
                                                   readsScores: false) { rule.staysFalse($0) } ?? false
    }

    private func ruleStaysFalse(_ t: Int, customer c: UInt32, engine: Engine) -> Bool {
        withUnsafePointer(to: engine) { Self.ruleStaysFalse(whenRules[t], customer: c, engine: $0, scores: scores, stageRules: stageRules) }
    }

    /// Whether the trigger's `when` rule holds for the customer at `now`, with the bindings as they are.
    @inline(__always)
    func holds(_ t: Int, customer c: UInt32, engine: Engine, now: Int64) -> Bool {
        if flatWhen.has(t) { return engine.withProfile(c) { flatWhen.holds(t, $0) } ?? false }
        return ruleHolds(t, customer: c, engine: engine, now: now)
    }

    /// ``holds(_:customer:engine:now:)`` on the per-event path (its rule evaluated as in ``staysFalse(_:customer:_:)``).
    @inline(__always)
    func holds(_ t: Int, customer c: UInt32, _ reads: EventReads, now: Int64) -> Bool {
        if !hasWhen[t] { return true }
        if flatWhen.has(t) { return flatWhen.holds(t, reads.profile) }
        return Self.ruleHolds(whenRules[t], bindings[t], customer: c, engine: reads.engine, scores: scores, now: now,
                              stageRules: stageRules, reads: whenReads[t])
    }

    @inline(never)
    private static func ruleHolds(_ rule: CompiledRule?, _ bindings: RuleBindings?, customer c: UInt32, engine: UnsafePointer<Engine>,
                                  scores: SegmentScoreTable, now: Int64, stageRules: StageRules, reads: (traits: Bool, scores: Bool)) -> Bool {
        guard let rule, let bindings else { return true }
        return engine.pointee.withRuleInputInPlace(customer: c, scores: scores, now: now, stageRules: stageRules,
                                                   traits: reads.traits, readsScores: reads.scores) { input in
            rule.evaluate(input, bindings: bindings).value
        } ?? false
    }

    private func ruleHolds(_ t: Int, customer c: UInt32, engine: Engine, now: Int64) -> Bool {
        withUnsafePointer(to: engine) {
            Self.ruleHolds(whenRules[t], bindings[t], customer: c, engine: $0, scores: scores, now: now, stageRules: stageRules,
                           reads: whenReads[t])
        }
    }

    // MARK: - Conversions

    /// Credits an event of name id `name` to the customer's open exposures of the triggers whose goal it is
    /// (one pass for all of them: every trigger has a goal, most the same one); exposures whose window closed go.
    mutating func convert(customer c: UInt32, name: UInt16, at time: Int64) {
        if inFlight != nil {
            queuedConversions.append((c, name, time))
            return
        }
        guard Int(c) < guards.count, !guards[Int(c)].open.isEmpty else { return }
        var open = guards[Int(c)].open
        guards[Int(c)].open = []  // one owner while it changes: no copy of the list
        var i = 0
        while i < open.count {
            let ref = open[i]
            let tr = Int(ref.trigger), index = Int(ref.index)
            let e = exposures[tr][index]
            let window = shapes[tr].goalWindowMs
            if e.time + window < time {
                open.remove(at: i)  // the window closed
                continue
            }
            if goalNameIDs[tr] == name && time > e.time && time <= e.time + window {
                exposures[tr][index].converted = true
                open.remove(at: i)
                continue
            }
            i += 1
        }
        guards[Int(c)].open = open
    }

    /// The conversion of messaged against held-out customers of a trigger, over the exposures whose goal
    /// window closed by `now` or that converted.
    public func uplift(trigger t: Int, now: Int64) -> TriggerUplift {
        var u = TriggerUplift()
        let window = triggers[t].goalWindowMs
        for e in exposures[t] where e.converted || e.time + window <= now {
            if e.heldOut {
                u.heldOut += 1
                if e.converted { u.heldOutConverted += 1 }
            } else {
                u.treated += 1
                if e.converted { u.treatedConverted += 1 }
            }
        }
        return u
    }

    // MARK: - Scores

    /// Swaps in a new score table; score triggers fire for the customers whose score crossed their
    /// threshold since the previous table (a first table only sets the baseline).
    public mutating func scoresChanged(to table: SegmentScoreTable, engine: Engine, now: Int64) {
        let crossings = scoreCrossings(from: scores, to: table, engine: engine, now: now)
        applyScores(table, crossings: crossings)
    }

    /// The score triggers' crossings between two tables at `now`, with their `when` rules tested on
    /// `engine` (a pure function: run it on a copy of the engine, off the ingest thread).
    ///
    /// With no `old` table (none yet) the first table only sets the baseline, unless a restored state saved the
    /// sides of the last table before it (``restoredScoreBaseline``): a crossing while the program was down fires.
    public func scoreCrossings(from old: SegmentScoreTable, to table: SegmentScoreTable, engine: Engine, now: Int64) -> ScoreCrossings {
        var out = ScoreCrossings()
        let saved = old.customerCount > 0 ? nil : restoredScoreBaseline
        guard old.customerCount > 0 || saved != nil else { return out }
        let rules = stageRules
        func rounded(_ v: Double) -> String { CampaignFormat.number((v * 1000).rounded() / 1000) }
        for (t, trigger) in triggers.enumerated() {
            guard case .score(let score, let rises, let threshold) = trigger.condition else { continue }
            var b = bindings[t]
            if let rule = trigger.when { b?.refresh(rule, labels: engine.labels, eventNames: engine.eventNames) }
            let sides = saved.map { t < $0.count ? $0[t] : [] }
            let n = min(sides.map { $0.count * 64 } ?? old.customerCount, table.customerCount, engine.profiles.count)
            for c in 0..<n {
                // Where she was: the old table's score, or (after a restore) the side saved for her.
                var before: Double?
                if let sides {
                    guard sides[c >> 6] & (1 << UInt64(c & 63)) != 0 else { continue }
                } else {
                    guard let v = old.value(score, customer: UInt32(c)), rises ? v <= threshold : v >= threshold else { continue }
                    before = v
                }
                guard let after = table.value(score, customer: UInt32(c)), rises ? after > threshold : after < threshold else { continue }
                if let rule = trigger.when, let b {
                    let holds = engine.withRuleInput(customer: UInt32(c), scores: table, now: now, stageRules: rules) { rule.evaluate($0, bindings: b).value }
                    guard holds else { continue }
                }
                let because = before.map { "\(score.rawValue) \(rounded($0)) → \(rounded(after))" }
                    ?? "\(score.rawValue) \(rises ? "at most" : "at least") \(rounded(threshold)) at the last score run → \(rounded(after))"
                out.candidates.append(Candidate(time: now, customer: UInt32(c), trigger: t, cause: .score, note: because))
            }
        }
        return out
    }

    /// A runner with the same triggers, rules and stage rules and none of the state but a restored state's score
    /// sides: what ``scoreCrossings(from:to:engine:now:)`` reads, for a job on another thread.
    public var rulesOnly: CampaignRunner {
        var r = CampaignRunner(configuration: configuration, problems: problems, stageRules: stageRules, feedCapacity: feedCapacity)
        r.restoredScoreBaseline = restoredScoreBaseline  // what a first table after a restore is judged against
        return r
    }

    /// Swaps in a score table and queues the crossings computed for it (settled at the next flush).
    public mutating func applyScores(_ table: SegmentScoreTable, crossings: ScoreCrossings) {
        scores = table
        restoredScoreBaseline = nil
        candidates += crossings.candidates
    }
}

/// Score crossings found between two score tables, to be applied to the runner they were computed for.
public struct ScoreCrossings: Sendable {
    var candidates: [CampaignRunner.Candidate] = []
    public var count: Int { candidates.count }
}

extension SegmentScoreTable {
    func value(_ s: WatchedScore, customer c: UInt32) -> Double? {
        let v = scores(for: c)
        switch s {
        case .churnRisk: return v.churnRisk
        case .pAlive: return v.pAlive
        case .clv: return v.clv
        case .expectedOrders: return v.expectedOrders
        }
    }
}

extension CampaignRunner {
    /// Takes the decisions made since the last call (only kept while ``emitsDecisions``): the fired ones
    /// go to the outbox, the others to the suppressed file and the state.
    public mutating func takeDecisions() -> [CampaignDecision] {
        join()
        defer { pendingDecisions.removeAll(keepingCapacity: true) }
        return pendingDecisions
    }

    /// The latest decisions about one customer (messages sent, delayed, held out or spared), oldest first.
    public func decisions(of c: UInt32) -> [CampaignDecision] { Int(c) < guards.count ? guards[Int(c)].history : [] }

    /// Per trigger: rule, counts and uplift at `now`; with the range of a dry run.
    public func report(now: Int64?) -> CampaignsReport {
        let rows = triggers.enumerated().map { t, trigger in
            TriggerReport(name: trigger.name, rule: trigger.summary, channel: trigger.action.channel.rawValue,
                          template: trigger.action.template, fired: counts[t].fired, heldOut: counts[t].heldOut,
                          delayed: counts[t].delayed, suppressed: counts[t].suppressed, goal: trigger.goal,
                          goalWindow: CampaignFormat.duration(trigger.goalWindowMs),
                          conversion: uplift(trigger: t, now: now ?? .max))
        }
        return CampaignsReport(from: from.map { Timestamp.iso8601($0) }, to: to.map { Timestamp.iso8601($0) },
                               asOf: now.map { Timestamp.iso8601($0) }, triggers: rows,
                               fired: rows.reduce(0) { $0 + $1.fired }, heldOut: rows.reduce(0) { $0 + $1.heldOut },
                               suppressed: rows.reduce(0) { $0 + $1.suppressed.values.reduce(0, +) }, waiting: waitingCount)
    }

    /// After customers were erased (old ids, ascending): their timers, waits, caps, history and pending
    /// messages go; the others are renumbered. The counts stay (they name nobody).
    public mutating func customersErased(_ erased: [UInt32]) {
        join()
        guard !erased.isEmpty else { return }
        let r = CustomerRenumbering(erased: erased)
        timers.compactMap(r.timer)
        delayedMessages = r.delayed(delayedMessages)
        flags = flags.renumbered(r)
        if when.any { when.stale = true; namesBound = -1 }
        keysSent = CustomerBits()
        guards = r.perCustomer(guards)
        for i in guards.indices where !guards[i].history.isEmpty { guards[i].history = r.decisions(guards[i].history) }
        exposures = r.exposures(exposures)
        guards.reopen(exposures)
        // The inactivity buckets again from the renumbered profiles, before the next event or flush.
        if !ledger.isEmpty && !ledgerStale { restoredScan = ledger.scanned; ledgerStale = true; namesBound = -1 }
        candidates = r.candidates(candidates)
        firedFeed = r.decisions(firedFeed)
        suppressedFeed = r.decisions(suppressedFeed)
        pendingDecisions = r.decisions(pendingDecisions)
        suppressedLog = suppressedLog.compactMap { e in r.id(e.decision.customer).map { var e = e; e.decision.customer = $0; return e } }
        restoredScoreBaseline = restoredScoreBaseline?.map(r.bits)
        generation += 1
    }
}

extension CampaignRunner {
    /// Whether a trigger watches segment entries or exits.
    public var watchesSegments: Bool {
        triggers.contains { if case .segment = $0.condition { return true } else { return false } }
    }

    /// Whether two configurations would run the same way: the same guards and, trigger by trigger, the same
    /// rule, message, cooldown, control share and goal.
    public static func sameConfiguration(_ a: CampaignsConfiguration, _ b: CampaignsConfiguration) -> Bool {
        guard a.settings == b.settings, a.triggers.count == b.triggers.count else { return false }
        return zip(a.triggers, b.triggers).allSatisfy { x, y in
            x.name == y.name && x.summary == y.summary && x.action == y.action && x.cooldownMs == y.cooldownMs
                && x.controlShare == y.controlShare && x.goal == y.goal && x.goalWindowMs == y.goalWindowMs
                && x.description == y.description
        }
    }

    /// The rule segments the triggers watch, with the segments those refer to (what a headless replay needs
    /// to keep current), in the configuration's order.
    public func watchedSegments(in configuration: SegmentsConfiguration) -> SegmentsConfiguration {
        var needed = Set<String>()
        var queue: [String] = triggers.compactMap { if case .segment(let name, _) = $0.condition { return name } else { return nil } }
        while let name = queue.popLast() {
            guard needed.insert(name).inserted, let s = configuration.segments.first(where: { $0.name == name }) else { continue }
            queue += s.rule.references
        }
        var out = configuration
        let kept = configuration.segments.indices.filter { needed.contains(configuration.segments[$0].name) }
        out.segments = kept.map { configuration.segments[$0] }
        out.locations = kept.compactMap { $0 < configuration.locations.count ? configuration.locations[$0] : nil }
        return out
    }
}

extension Engine {
    /// Calls `body` with a pointer to the customer's profile in place (nil for a customer out of range).
    @inline(__always)
    func withProfile<R>(_ c: UInt32, _ body: (UnsafePointer<Profile>) -> R) -> R? {
        profiles.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, Int(c) < all.count else { return nil }
            return body(base + Int(c))
        }
    }

    /// ``withRuleInput(customer:scores:now:stageRules:_:)`` reading the profile in place (no copy, no retain of
    /// its arrays); nil for a customer out of range.
    func withRuleInputInPlace<R>(customer c: UInt32, scores: SegmentScoreTable, now: Int64, stageRules: StageRules,
                                 traits readsTraits: Bool = true, readsScores: Bool = true, _ body: (RuleInput) -> R) -> R? {
        let traits = readsTraits ? ruleTraits(of: c) : nil
        let gap = config.sessionGapMs
        return profiles.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, Int(c) < all.count else { return nil }
            return body(RuleInput(profile: base + Int(c), traits: traits, scores: readsScores ? scores.scores(for: c) : .unknown, now: now,
                                  stageRules: stageRules, sessionGapMs: gap))
        }
    }
}
