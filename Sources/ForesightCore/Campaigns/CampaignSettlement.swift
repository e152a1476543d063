import Dispatch
import HeapModule
import Synchronization

/// A candidate message with what the guards read of the engine, read on the ingest thread at the flush: the
/// settle that follows reads no engine, so it can run on another thread while the next events are ingested.
struct PreparedCandidate: Sendable {
    var candidate: CampaignRunner.Candidate
    /// The customer's key when the settlement may not have it yet (nil: it kept it from an earlier decision).
    var key: String?
    /// Whether the trigger's channel has the customer's consent.
    var consent: Bool
    /// When the quiet hours let the message go out (the candidate's time when they do not hold it).
    var sendAt: Int64
    /// The payload fields (empty when the trigger has none, or nothing would be sent).
    var payload: [(name: String, value: PayloadValue)]
}

/// What one flush hands to the guards: its candidates in settle order, prepared, and its due deliveries.
struct SettleBatch: Sendable {
    var candidates: [PreparedCandidate]
    var deliveries: [CampaignTimer]
    var now: Int64
    /// Customers known to the engine (every guard slot exists before the loop).
    var customerCount: Int
}

/// The guards' half of a ``CampaignRunner``: cooldowns, caps, exposures, counts, delayed messages, feeds,
/// histories and the decisions for the outbox — everything a settle writes, and nothing it reads of the engine.
/// A flush moves these tables out of the runner (O(1): arrays are swapped, not copied), settles a
/// ``SettleBatch`` into them, and the runner takes them back (``CampaignRunner/join()``).
struct CampaignSettlement: Sendable {
    // Read only (what the runner's configuration says).
    let facts: [CampaignRunner.TriggerFacts]
    let triggerHashes: [UInt64]
    let settings: CampaignSettings
    let feedCapacity: Int
    let historyPerCustomer: Int
    let delivered: Set<ActionID>
    let emitsDecisions: Bool
    let logsSuppressed: Bool

    // The runner's tables while they are out (swapped back by ``CampaignRunner/giveBack(_:)``).
    var counts: [TriggerCounts] = []
    var exposures: [[Exposure]] = []
    var guards: [CustomerGuards] = []
    var delayedMessages: [UInt32: CampaignDecision] = [:]
    var nextDelayedSlot: UInt32 = 0
    var firedFeed: [CampaignDecision] = []
    var suppressedFeed: [CampaignDecision] = []
    var pendingDecisions: [CampaignDecision] = []
    var generation = 0
    var settled = 0
    var suppressedSequence = 0
    var suppressedLog: [LoggedDecision] = []
    /// Delivery timers of the messages delayed past the flush's clock (the runner's wheel takes them back).
    var newTimers: [CampaignTimer] = []

    /// One item of the settle loop: a candidate, or a delayed message going out.
    private struct Work: Comparable {
        var time: Int64
        var customer: UInt32
        var isDelivery: Bool
        var index: Int

        static func < (a: Work, b: Work) -> Bool {
            if a.time != b.time { return a.time < b.time }
            if a.customer != b.customer { return a.customer < b.customer }
            if a.isDelivery != b.isDelivery { return a.isDelivery }
            return a.index < b.index
        }
    }

    /// Settles the batch's candidates (already in settle order) merged with its deliveries and the messages
    /// delayed into this flush, in event-time order.
    mutating func settle(_ batch: SettleBatch) {
        let todo = batch.candidates
        // Every customer's guard slot exists before the loop (the decisions index it directly); a delayed
        // message's too (restored from a state, it needs nothing else of the engine).
        let highest = max(batch.customerCount - 1, Int(batch.deliveries.map(\.customer).max() ?? 0))
        if highest >= 0 { guards.reserve(UInt32(highest)) }
        var heap = Heap<Work>()
        for d in batch.deliveries { heap.insert(Work(time: d.due, customer: d.customer, isDelivery: true, index: Int(d.slot))) }
        var k = 0
        while true {
            let w: Work
            if k < todo.count, heap.min.map({ Work(time: todo[k].candidate.time, customer: todo[k].candidate.customer,
                                                   isDelivery: false, index: k) < $0 }) ?? true {
                guards.prefetch(count: todo.count, from: k) { todo[$0].candidate.customer }
                w = Work(time: todo[k].candidate.time, customer: todo[k].candidate.customer, isDelivery: false, index: k)
                k += 1
            } else if let next = heap.popMin() {
                w = next
            } else {
                break
            }
            if w.isDelivery {
                guard let decision = delayedMessages.removeValue(forKey: UInt32(w.index)) else { continue }
                deliver(decision)
                continue
            }
            settled += 1
            if let delayed = qualify(todo[w.index]) {
                // Delayed by quiet hours: out in this flush when the clock is already past the end.
                let slot = nextDelayedSlot
                nextDelayedSlot &+= 1
                delayedMessages[slot] = delayed
                if delayed.sendTime <= batch.now {
                    heap.insert(Work(time: delayed.sendTime, customer: delayed.customer, isDelivery: true, index: Int(slot)))
                } else {
                    newTimers.append(CampaignTimer(due: delayed.sendTime, customer: delayed.customer, slot: slot, isDelivery: true))
                }
            }
        }
    }

    /// Runs a candidate through consent, cooldown, the control group, the caps and the quiet hours.
    /// - Returns: the message when quiet hours delay it (the caller schedules it), else nil (decided).
    private mutating func qualify(_ p: PreparedCandidate) -> CampaignDecision? {
        let cand = p.candidate
        let t = cand.trigger, c = cand.customer
        if let key = p.key {
            guards[Int(c)].key = key
            guards[Int(c)].keyHash = hashString(key)
        }
        let key = guards[Int(c)].key ?? "", keyHash = guards[Int(c)].keyHash
        var decision = CampaignDecision(
            id: CampaignHash.actionID(triggerHash: triggerHashes[t], keyHash: keyHash, cause: cand.cause.rawValue, time: cand.time),
            trigger: facts[t].name, triggerIndex: t, customer: c, customerKey: key, channel: facts[t].channel,
            template: facts[t].template, payload: [], causeTime: cand.time, sendTime: cand.time,
            because: facts[t].because(cand), suppressed: nil, delayed: false)
        if !delivered.isEmpty && delivered.contains(decision.id) {
            // Already in the outbox (a replay after a restart): it went out, and at the same time as then (a
            // message the quiet hours delayed counts towards the caps from its send time).
            guards[Int(c)].setQualified(t, cand.time)
            decision.payload = p.payload
            if let quiet = settings.quietHours, quiet.delays, p.sendAt > cand.time { return delay(decision, to: p.sendAt) }
            recordFired(decision, emit: false)
            return nil
        }
        guard p.consent else { return suppress(decision, .noConsent) }
        let cooldown = facts[t].cooldownMs
        if cooldown > 0, let last = guards[Int(c)].lastQualified(t), cand.time - last < cooldown {
            return suppress(decision, .cooldown)
        }
        guards[Int(c)].setQualified(t, cand.time)
        if CampaignHash.isHeldOut(keyHash: keyHash, triggerHash: triggerHashes[t], share: facts[t].controlShare) {
            expose(customer: c, trigger: t, at: cand.time, heldOut: true)
            counts[t].heldOut += 1
            decision.suppressed = .heldOut
            record(decision)
            return nil
        }
        decision.payload = p.payload
        if let reason = capReason(c, at: cand.time) { return suppress(decision, reason) }
        if let quiet = settings.quietHours, p.sendAt > cand.time {
            guard quiet.delays else { return suppress(decision, .quietHours) }
            return delay(decision, to: p.sendAt)
        }
        recordFired(decision, emit: true)
        return nil
    }

    /// The message moved to the end of the quiet hours (the caller schedules it).
    private mutating func delay(_ d: CampaignDecision, to time: Int64) -> CampaignDecision {
        var d = d
        d.sendTime = time
        d.delayed = true
        counts[d.triggerIndex].delayed += 1
        return d
    }

    /// A delayed message at the end of the quiet hours: the caps are checked again at its send time.
    private mutating func deliver(_ decision: CampaignDecision) {
        if !delivered.isEmpty && delivered.contains(decision.id) {
            recordFired(decision, emit: false)
            return
        }
        if let reason = capReason(decision.customer, at: decision.sendTime) {
            _ = suppress(decision, reason)
            return
        }
        recordFired(decision, emit: true)
    }

    private mutating func capReason(_ c: UInt32, at time: Int64) -> SuppressionReason? {
        guard settings.capPerDay > 0 || settings.capPerWeek > 0, Int(c) < guards.count, !guards[Int(c)].sent.isEmpty else { return nil }
        let weekAgo = time - 7 * 86_400_000, dayAgo = time - 86_400_000
        var day = 0, week = 0, stale = 0
        for t in guards[Int(c)].sent {
            if t <= weekAgo { stale += 1; continue }
            if t <= time {
                week += 1
                if t > dayAgo { day += 1 }
            }
        }
        if stale > 0 { guards[Int(c)].sent.removeAll { $0 <= weekAgo } }
        if settings.capPerDay > 0, day >= settings.capPerDay { return .capDay }
        if settings.capPerWeek > 0, week >= settings.capPerWeek { return .capWeek }
        return nil
    }

    private mutating func suppress(_ d: CampaignDecision, _ reason: SuppressionReason) -> CampaignDecision? {
        var d = d
        d.suppressed = reason
        counts[d.triggerIndex].count(reason)
        record(d)
        return nil
    }

    private mutating func recordFired(_ d: CampaignDecision, emit: Bool) {
        counts[d.triggerIndex].fired += 1
        guards[Int(d.customer)].sent.append(d.sendTime)
        expose(customer: d.customer, trigger: d.triggerIndex, at: d.sendTime, heldOut: false)
        record(d, emit: emit)
    }

    private mutating func expose(customer c: UInt32, trigger t: Int, at time: Int64, heldOut: Bool) {
        exposures[t].append(Exposure(customer: c, time: time, heldOut: heldOut, converted: false))
        guards[Int(c)].open.append((Int32(t), Int32(exposures[t].count - 1)))
    }

    /// Keeps a decision for the feeds, the customer's history and the owner (outbox, suppressed file).
    private mutating func record(_ d: CampaignDecision, emit: Bool = true) {
        generation += 1
        if d.fired { Self.append(d, to: &firedFeed, capacity: feedCapacity) } else { Self.append(d, to: &suppressedFeed, capacity: feedCapacity) }
        var kept = d
        kept.payload = []
        // In place: a copy of the customer's list per decision was most of a settle.
        Self.append(kept, to: &guards[Int(d.customer)].history, capacity: historyPerCustomer)
        if emit && emitsDecisions { pendingDecisions.append(d) }
        if !d.fired && logsSuppressed {
            suppressedSequence += 1
            suppressedLog.append(LoggedDecision(sequence: suppressedSequence, decision: kept))
            let capacity = CampaignRunner.suppressedLogCapacity
            if suppressedLog.count > capacity + capacity / 4 { suppressedLog.removeFirst(suppressedLog.count - capacity) }
        }
    }

    /// Appends to a feed or a customer's history, keeping its latest `capacity` to `2 × capacity`.
    private static func append(_ d: CampaignDecision, to feed: inout [CampaignDecision], capacity: Int) {
        feed.append(d)
        if feed.count > 2 * capacity { feed.removeFirst(feed.count - capacity) }
    }
}

/// A settle running on another thread: it owns the tables it was handed until the runner takes them back.
/// Both ends reach them through locks (the tables move in and out whole: neither side keeps a second
/// reference, so nothing is copied on write).
final class SettleJob: Sendable {
    /// The tables, settled in place on the background queue (under the lock, which nobody else takes until the
    /// job has finished), then taken by the runner.
    private let tables: Mutex<CampaignSettlement?>
    /// The batch, released by the background queue once settled (its candidates' payloads and keys are freed
    /// there, not on the ingest thread that joins the job).
    private let batch: Mutex<SettleBatch?>
    private let finished = DispatchSemaphore(value: 0)

    init(_ settlement: consuming CampaignSettlement, _ batch: SettleBatch) {
        tables = Mutex(Optional(settlement))
        self.batch = Mutex(batch)
    }

    /// Starts the settle on a background queue. The queue's block holds the job only while it settles, not
    /// when it signals: the runner woken by the signal then holds the only reference and takes the tables
    /// (``CampaignRunner/join()`` shares them when another holder could still want them, and every write
    /// afterwards would copy them whole).
    func start() {
        let finished = self.finished
        DispatchQueue.global(qos: .userInitiated).async { [weak self] in
            self?.run()
            finished.signal()
        }
    }

    private func run() {
        if let settled = batch.withLock({ $0.take() }) {
            tables.withLock { $0?.settle(settled) }
        }
    }

    /// Waits until the settle has finished.
    func waitUntilFinished() {
        finished.wait()
        finished.signal()  // any later wait returns at once
    }

    /// The settled tables, taken (the job keeps no reference: the runner's next write copies nothing); nil when
    /// they were taken already.
    func take() -> CampaignSettlement? {
        waitUntilFinished()
        return tables.withLock { value in
            defer { value = nil }
            return value
        }
    }

    /// The settled tables, left in the job (a read-only copy for a reader of the runner meanwhile).
    func peek() -> CampaignSettlement? {
        waitUntilFinished()
        return tables.withLock { $0 }
    }
}
