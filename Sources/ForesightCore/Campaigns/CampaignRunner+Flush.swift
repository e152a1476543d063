import CForesightSupport
import Foundation
import HeapModule

extension CampaignRunner {
    /// Whether there is work for a flush: customers seen, candidates, or timers that may be due.
    public var hasWork: Bool { !candidates.isEmpty || timers.count > 0 || ledger.waiting > 0 }

    /// Runs the timers due by `now` (the engine's clock) and the quiet periods that came due, then settles
    /// every candidate through the guards in event-time order.
    public mutating func flush(engine: Engine, now: Int64) {
        resume(engine: engine)
        let due = timers.popDue(now: now)
        var checks = due.filter { !$0.isDelivery }
        let fromWheel = checks.count
        let when = self.when
        ledger.scan(now: now) { c, t, at in
            // A customer for whom the rule does not hold: nothing to look at (her next event updates the bit).
            if when.tracked[t] && !when.holds(t, c) { return }
            checks.append(CampaignTimer(due: at, customer: c, slot: UInt32(t), isDelivery: false))
        }
        if checks.count > fromWheel { checks.sort(by: CampaignTimer.before) }
        runChecks(checks, engine: engine)
        settle(deliveries: due.filter(\.isDelivery), engine: engine, now: now)
    }

    /// Rebuilds the inactivity triggers' buckets from the engine's profiles (after a restore).
    mutating func rebuildLedger(_ engine: Engine) {
        ledgerStale = false
        guard !ledger.isEmpty else { return }
        let clock = restoredScan ?? engine.watermark ?? .min
        restoredScan = nil
        ledger.rebuild(seen: engine.profiles.map(\.lastSeen), scanned: clock)
    }

    /// Catches up after a restore (the pipeline calls it at once, so that the next event is seen against the
    /// rebuilt buckets).
    public mutating func resume(engine: Engine) {
        if namesBound != engine.eventNames.count || ledgerStale || when.stale { bindNames(engine) }
        // Customers of a log already read when this runner started: their bits from their profiles.
        if when.any && when.known < engine.profiles.count {
            if labelsBound != engine.labels.count { refreshBindings(engine) }
            computeWhen(from: when.known, to: engine.profiles.count, engine: engine, now: engine.watermark ?? 0)
        }
    }

    /// Starts loading, for the customers `customer(i)` a few places after `k` (below `count`), their profile
    /// (8 ahead), the timeline's header and the traits (4 ahead) and the timeline's end (2 ahead).
    @inline(__always)
    static func prefetch(customers count: Int, from k: Int, engine: Engine, _ customer: (Int) -> UInt32) {
        engine.profiles.withUnsafeBufferPointer { profiles in
            guard let base = profiles.baseAddress else { return }
            let n = profiles.count
            if k + SegmentUpdateBatch.prefetchProfileDistance < count {
                let c = Int(customer(k + SegmentUpdateBatch.prefetchProfileDistance))
                if c < n { SegmentUpdateBatch.prefetchProfile(base + c) }
            }
            if k + SegmentUpdateBatch.prefetchHeaderDistance < count {
                let c = Int(customer(k + SegmentUpdateBatch.prefetchHeaderDistance))
                if c < n { engine.traits.withUnsafeBufferPointer { SegmentUpdateBatch.prefetchHeaders(of: base + c, traits: $0) } }
            }
            if k + SegmentUpdateBatch.prefetchTailDistance < count {
                let c = Int(customer(k + SegmentUpdateBatch.prefetchTailDistance))
                if c < n { SegmentUpdateBatch.prefetchTimelineEnd(of: base + c) }
            }
        }
    }

    // MARK: - Timers

    /// Turns segment entries and exits (``LiveSegments/lastChanges``; `names`: the rule segments by index)
    /// into candidates of the triggers watching them; settled at the next flush.
    public mutating func addSegmentChanges(_ changes: [SegmentChange], names: [String], engine: Engine) {
        var watching: [(trigger: Int, segment: Int, enters: Bool)] = []
        for (t, trigger) in triggers.enumerated() {
            guard case .segment(let name, let enters) = trigger.condition, let s = names.firstIndex(of: name) else { continue }
            watching.append((t, s, enters))
        }
        guard !watching.isEmpty else { return }
        for change in changes {
            for w in watching where w.segment == change.segment && w.enters == change.entered {
                guard passesWhen(w.trigger, customer: change.customer, engine: engine, now: change.time) else { continue }
                let verb = change.entered ? "entered" : "left"
                let because = "\(verb) \(names[w.segment])" + (change.clause.isEmpty ? "" : " (\(change.reason))")
                candidates.append(Candidate(time: change.time, customer: change.customer, trigger: w.trigger,
                                            cause: change.entered ? "enter" : "leave", because: because))
            }
        }
    }

    // MARK: - Guards

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

    private mutating func settle(deliveries: [CampaignTimer], engine: Engine, now: Int64) {
        guard !candidates.isEmpty || !deliveries.isEmpty else { return }
        let todo = candidates
        candidates.removeAll(keepingCapacity: true)
        // Every customer's guard slot exists before the loop (the decisions index it directly); a delayed
        // message's too (restored from a state, it needs nothing else of the engine).
        let highest = max(engine.profiles.count - 1, Int(deliveries.map(\.customer).max() ?? 0))
        if highest >= 0 { guards.reserve(UInt32(highest)) }
        // The candidates in settle order, merged with the deliveries (and the messages delayed into this flush)
        // from a heap: the next customers are known, so their profile and traits are asked for ahead.
        var order: [Work] = []
        order.reserveCapacity(todo.count)
        for (i, cand) in todo.enumerated() {
            if let from, cand.time < from { continue }
            if let to, cand.time >= to { continue }
            order.append(Work(time: cand.time, customer: cand.customer, isDelivery: false, index: i))
        }
        order.sort()
        var heap = Heap<Work>()
        for d in deliveries { heap.insert(Work(time: d.due, customer: d.customer, isDelivery: true, index: Int(d.slot))) }
        var k = 0
        while true {
            let w: Work
            if k < order.count, heap.min.map({ order[k] < $0 }) ?? true {
                Self.prefetch(customers: order.count, from: k, engine: engine) { order[$0].customer }
                guards.prefetch(count: order.count, from: k) { order[$0].customer }
                w = order[k]
                k += 1
            } else if let next = heap.popMin() {
                w = next
            } else {
                break
            }
            if w.isDelivery {
                guard let decision = delayedMessages.removeValue(forKey: UInt32(w.index)) else { continue }
                deliver(decision, engine: engine)
                continue
            }
            settled += 1
            let cand = todo[w.index]
            if let delayed = qualify(cand, engine: engine) {
                // Delayed by quiet hours: out in this flush when the clock is already past the end.
                let slot = nextDelayedSlot
                nextDelayedSlot &+= 1
                delayedMessages[slot] = delayed
                if delayed.sendTime <= now {
                    heap.insert(Work(time: delayed.sendTime, customer: delayed.customer, isDelivery: true, index: Int(slot)))
                } else {
                    timers.add(CampaignTimer(due: delayed.sendTime, customer: delayed.customer, slot: slot, isDelivery: true))
                }
            }
        }
    }

    /// Runs a candidate through consent, cooldown, the control group, the caps and the quiet hours.
    /// - Returns: the message when quiet hours delay it (the caller schedules it), else nil (decided).
    private mutating func qualify(_ cand: Candidate, engine: Engine) -> CampaignDecision? {
        let t = cand.trigger, c = cand.customer
        let key: String, keyHash: UInt64
        if let kept = guards[Int(c)].key {
            key = kept
            keyHash = guards[Int(c)].keyHash
        } else {
            key = engine.customers.string(c)
            keyHash = hashString(key)
            guards[Int(c)].key = key
            guards[Int(c)].keyHash = keyHash
        }
        var decision = CampaignDecision(
            id: CampaignHash.actionID(triggerHash: triggerHashes[t], keyHash: keyHash, cause: cand.cause, time: cand.time),
            trigger: facts[t].name, triggerIndex: t, customer: c, customerKey: key, channel: facts[t].channel,
            template: facts[t].template, payload: [], causeTime: cand.time, sendTime: cand.time,
            because: cand.because, suppressed: nil, delayed: false)
        if !delivered.isEmpty && delivered.contains(decision.id) {
            // Already in the outbox (a replay after a restart): it went out, and at the same time as then (a
            // message the quiet hours delayed counts towards the caps from its send time).
            guards[Int(c)].setQualified(t, cand.time)
            decision.payload = payload(facts[t].payload, customer: c, engine: engine, now: cand.time)
            if let quiet = configuration.settings.quietHours, quiet.delays {
                let zone = timeZone(of: c, engine: engine, default: quiet.defaultTimeZone)
                let next = quiet.nextAllowed(after: cand.time) { zones.offset(zone, at: $0) }
                if next > cand.time {
                    decision.sendTime = next
                    decision.delayed = true
                    counts[t].delayed += 1
                    return decision
                }
            }
            recordFired(decision, emit: false)
            return nil
        }
        guard hasConsent(c, facts[t].channel, engine) else { return suppress(decision, .noConsent) }
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
        decision.payload = payload(facts[t].payload, customer: c, engine: engine, now: cand.time)
        if let reason = capReason(c, at: cand.time) { return suppress(decision, reason) }
        if let quiet = configuration.settings.quietHours {
            let zone = timeZone(of: c, engine: engine, default: quiet.defaultTimeZone)
            let next = quiet.nextAllowed(after: cand.time) { zones.offset(zone, at: $0) }
            if next > cand.time {
                guard quiet.delays else { return suppress(decision, .quietHours) }
                decision.sendTime = next
                decision.delayed = true
                counts[t].delayed += 1
                return decision
            }
        }
        recordFired(decision, emit: true)
        return nil
    }

    /// A delayed message at the end of the quiet hours: the caps are checked again at its send time.
    private mutating func deliver(_ decision: CampaignDecision, engine: Engine) {
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

    private func hasConsent(_ c: UInt32, _ channel: MessageChannel, _ engine: Engine) -> Bool {
        let index = Int(engine.profiles[Int(c)].traitsIndex)
        guard index > 0, index <= engine.traits.count else { return false }
        switch channel {
        case .email: return engine.traits[index - 1].emailOptIn == .granted
        case .sms: return engine.traits[index - 1].smsOptIn == .granted
        }
    }

    private mutating func capReason(_ c: UInt32, at time: Int64) -> SuppressionReason? {
        let settings = configuration.settings
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

    /// The number (in ``zones``) of the customer's time zone: her `timezone` trait, else the default.
    private mutating func timeZone(of c: UInt32, engine: Engine, default name: String) -> Int {
        let index = Int(engine.profiles[Int(c)].traitsIndex)
        if index > 0, index <= engine.traits.count {
            let label = engine.traits[index - 1].timezone
            if label != UInt32.max, Int(label) < engine.labels.count {
                if let zone = zones.zone(label: label, engine.labels) { return zone }
            }
        }
        if let kept = defaultZone { return kept }
        let zone = zones.zone(name) ?? zones.utc()
        defaultZone = zone
        return zone
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
            let capacity = Self.suppressedLogCapacity
            if suppressedLog.count > capacity + capacity / 4 { suppressedLog.removeFirst(suppressedLog.count - capacity) }
        }
    }

    /// Appends to a feed or a customer's history, keeping its latest `capacity` to `2 × capacity`.
    private static func append(_ d: CampaignDecision, to feed: inout [CampaignDecision], capacity: Int) {
        feed.append(d)
        if feed.count > 2 * capacity { feed.removeFirst(feed.count - capacity) }
    }

    // MARK: - Payload

    /// The payload fields of a message for a customer at `now`.
    func payload(_ fields: [PayloadField], customer c: UInt32, engine: Engine, now: Int64) -> [(name: String, value: PayloadValue)] {
        guard !fields.isEmpty else { return [] }
        let p = engine.profiles[Int(c)]
        let index = Int(p.traitsIndex)
        let traits: Traits? = index > 0 && index <= engine.traits.count ? engine.traits[index - 1] : nil
        func label(_ id: UInt32?) -> String? {
            guard let id, id != UInt32.max, Int(id) < engine.labels.count else { return nil }
            return engine.labels.string(id)
        }
        let day = 86_400_000.0
        var out: [(name: String, value: PayloadValue)] = []
        for f in fields {
            var v: PayloadValue?
            switch f {
            case .email: v = traits?.email.map(PayloadValue.text)
            case .customerName: v = traits?.name.map(PayloadValue.text)
            case .timezone: v = label(traits?.timezone).map(PayloadValue.text)
            case .product:
                if let e = p.timeline.last(where: { $0.kind == .product && $0.time <= now }), Int(e.item) < engine.products.count {
                    v = .text(engine.products.string(e.item))
                }
            case .rule(let field):
                switch field {
                case .country: v = label(traits?.country).map(PayloadValue.text)
                case .city: v = label(traits?.city).map(PayloadValue.text)
                case .plan: v = label(traits?.plan).map(PayloadValue.text)
                case .emailOptIn: if let t = traits, t.emailOptIn != .unknown { v = .bool(t.emailOptIn == .granted) }
                case .smsOptIn: if let t = traits, t.smsOptIn != .unknown { v = .bool(t.smsOptIn == .granted) }
                case .stage: v = .text(stageRules.stage(p, now: now, churnRisk: scores.scores(for: c).churnRisk).label)
                case .recencyDays: if p.lastSeen != .min { v = .number(Double(now - p.lastSeen) / day) }
                case .daysSinceOrder: if p.lastOrder != .min { v = .number(Double(now - p.lastOrder) / day) }
                case .tenureDays: if p.firstSeen != .max { v = .number(Double(now - p.firstSeen) / day) }
                case .sessions30d: v = nil
                default:
                    v = engine.withRuleInputInPlace(customer: c, scores: scores, now: now, stageRules: stageRules) { input in
                        CompiledRule.value(field, input).map(PayloadValue.number)
                    } ?? nil
                }
            }
            if let v { out.append((f.name, v)) }
        }
        return out
    }
}
