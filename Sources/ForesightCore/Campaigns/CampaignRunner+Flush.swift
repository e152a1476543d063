import CForesightSupport
import Foundation
import HeapModule

extension CampaignRunner {
    /// Whether there is work for a flush: customers seen, candidates, or timers that may be due.
    public var hasWork: Bool { !candidates.isEmpty || timers.count > 0 || ledger.waiting > 0 }

    /// Runs the timers due by `now` (the engine's clock) and the quiet periods that came due, then settles
    /// every candidate through the guards in event-time order.
    ///
    /// With `inBackground`, the settle (the guards, feeds and histories; it reads no engine) runs on another
    /// thread and the call returns once the candidates are prepared; the next call, or ``join()``, waits for it.
    public mutating func flush(engine: Engine, now: Int64, inBackground: Bool = false) {
        join()
        resume(engine: engine)
        let due = timers.popDue(now: now)
        var checks = due.filter { !$0.isDelivery }
        let fromWheel = checks.count
        let tracked = when.tracked, flags = self.flags, whenLane = self.whenLane
        engine.profiles.withUnsafeBufferPointer { profiles in
            let lastSeen = MemoryLayout<Profile>.offset(of: \Profile.lastSeen) ?? 0
            ledger.scan(now: now, latest: { Int($0) < profiles.count ? profiles[Int($0)].lastSeen : .min }, prefetch: { c in
                if Int(c) < profiles.count, let base = profiles.baseAddress { foresight_prefetch_read(UnsafeRawPointer(base + Int(c)) + lastSeen) }
            }) { c, t, at in
                // A customer for whom the rule does not hold: nothing to look at (her next event updates the bit).
                if tracked[t] && !flags.contains(whenLane + t, c) { return }
                checks.append(CampaignTimer(due: at, customer: c, slot: UInt32(t), isDelivery: false))
            }
        }
        if checks.count > fromWheel { checks.sort(by: CampaignTimer.before) }
        runChecks(checks, engine: engine)
        if let batch = prepareSettle(deliveries: due.filter(\.isDelivery), engine: engine, now: now) {
            settle(batch, inBackground: inBackground)
        }
    }

    /// Rebuilds the inactivity triggers' buckets from the engine's profiles (a new runner, a restore).
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
                                            cause: change.entered ? .enter : .leave, note: because))
            }
        }
    }

    // MARK: - Guards

    /// The candidates of a flush in settle order, each with what the guards read of the engine (key, consent,
    /// the quiet hours' end in her time zone, payload), and the deliveries due: what the settlement needs.
    private mutating func prepareSettle(deliveries: [CampaignTimer], engine: Engine, now: Int64) -> SettleBatch? {
        guard !candidates.isEmpty || !deliveries.isEmpty else { return nil }
        let todo = candidates
        candidates.removeAll(keepingCapacity: true)
        var order: [Int] = []
        order.reserveCapacity(todo.count)
        for (i, cand) in todo.enumerated() {
            if let from, cand.time < from { continue }
            if let to, cand.time >= to { continue }
            order.append(i)
        }
        order.sort { a, b in
            let x = todo[a], y = todo[b]
            if x.time != y.time { return x.time < y.time }
            if x.customer != y.customer { return x.customer < y.customer }
            return a < b
        }
        var prepared: [PreparedCandidate] = []
        prepared.reserveCapacity(order.count)
        // The next customers are known: their profile and traits are asked for ahead.
        for (k, i) in order.enumerated() {
            Self.prefetch(customers: order.count, from: k, engine: engine) { todo[order[$0]].customer }
            prepared.append(prepare(todo[i], engine: engine))
        }
        return SettleBatch(candidates: prepared, deliveries: deliveries, now: now, customerCount: engine.profiles.count)
    }

    /// Reads what the guards need of the engine for one candidate.
    private mutating func prepare(_ cand: Candidate, engine: Engine) -> PreparedCandidate {
        let t = cand.trigger, c = cand.customer
        var p = PreparedCandidate(candidate: cand, key: nil, consent: hasConsent(c, facts[t].channel, engine),
                                  sendAt: cand.time, payload: [])
        // The settlement keeps each customer's key from her first decision: sent once.
        if keysSent.insert(c) { p.key = engine.customers.string(c) }
        if let quiet = configuration.settings.quietHours {
            let zone = timeZone(of: c, engine: engine, default: quiet.defaultTimeZone)
            p.sendAt = quiet.nextAllowed(after: cand.time) { zones.offset(zone, at: $0) }
        }
        // Only a message that may go out carries its payload (a replay meeting one already sent, too).
        if !facts[t].payload.isEmpty && (p.consent || !delivered.isEmpty) {
            p.payload = payload(facts[t].payload, customer: c, engine: engine, now: cand.time)
        }
        return p
    }

    /// Settles a batch into the runner's tables: here, or (`inBackground`) on another thread while the caller
    /// goes on (the tables are out of the runner until ``join()``).
    private mutating func settle(_ batch: SettleBatch, inBackground: Bool) {
        var s = takeSettlement()
        if inBackground {
            let job = SettleJob(consume s, batch)
            inFlight = job
            backgroundSettles += 1
            job.start()
        } else {
            s.settle(batch)
            giveBack(&s)
        }
    }

    /// Moves the tables a settle writes out of the runner (swapped with empty ones, O(1)).
    private mutating func takeSettlement() -> CampaignSettlement {
        var s = CampaignSettlement(facts: facts, triggerHashes: triggerHashes, settings: configuration.settings,
                                   feedCapacity: feedCapacity, historyPerCustomer: historyPerCustomer, delivered: delivered,
                                   emitsDecisions: emitsDecisions, logsSuppressed: logsSuppressed)
        exchangeTables(&s)
        return s
    }

    /// Takes back the tables of ``takeSettlement()``, with the delivery timers the settle armed.
    private mutating func giveBack(_ s: inout CampaignSettlement) {
        exchangeTables(&s)
        for timer in s.newTimers { timers.add(timer) }
    }

    /// Swaps the runner's tables a settle writes with the settlement's (the runner's are empty while it has them).
    private mutating func exchangeTables(_ s: inout CampaignSettlement) {
        swap(&s.counts, &counts)
        swap(&s.exposures, &exposures)
        swap(&s.guards, &guards)
        swap(&s.delayedMessages, &delayedMessages)
        swap(&s.firedFeed, &firedFeed)
        swap(&s.suppressedFeed, &suppressedFeed)
        swap(&s.pendingDecisions, &pendingDecisions)
        swap(&s.suppressedLog, &suppressedLog)
        swap(&s.nextDelayedSlot, &nextDelayedSlot)
        swap(&s.generation, &generation)
        swap(&s.settled, &settled)
        swap(&s.suppressedSequence, &suppressedSequence)
    }

    /// Whether a settle runs on another thread (its tables are out of the runner until ``join()``).
    public var isSettling: Bool { inFlight != nil }

    /// Waits for a settle running on another thread and takes its tables back, then credits the conversions
    /// seen meanwhile (in event order, after the settle's exposures, as a settle on the ingest thread would).
    ///
    /// A copy of this runner made while the settle ran (a reader's: a pipeline copied between two batches) holds
    /// the same job; then the tables are shared with it (copied on the next write), not taken from under it.
    public mutating func join() {
        guard inFlight != nil else { return }
        inFlight?.waitUntilFinished()
        let alone = isKnownUniquelyReferenced(&inFlight)
        guard let job = inFlight else { return }
        finishJoin(job, taking: alone)
    }

    /// This runner with a settle running on another thread waited for (a copy: the runner itself takes the
    /// tables back at its next ``join()``); the runner itself when none runs.
    public var joined: CampaignRunner {
        guard let job = inFlight else { return self }
        var copy = self
        copy.finishJoin(job, taking: false)
        return copy
    }

    /// Takes back the finished settle's tables (`taking`: out of the job; else a copy, the job keeps them), then
    /// credits the queued conversions. The tables are bound here, not passed in: a caller's value alive during
    /// the conversions would make their first write copy the whole guards table.
    private mutating func finishJoin(_ job: SettleJob, taking: Bool) {
        inFlight = nil
        if var s = taking ? job.take() : job.peek() { giveBack(&s) }
        let queued = queuedConversions
        queuedConversions.removeAll(keepingCapacity: true)
        for q in queued { convert(customer: q.customer, name: q.name, at: q.time) }
    }

    private func hasConsent(_ c: UInt32, _ channel: MessageChannel, _ engine: Engine) -> Bool {
        let index = Int(engine.profiles[Int(c)].traitsIndex)
        guard index > 0, index <= engine.traits.count else { return false }
        switch channel {
        case .email: return engine.traits[index - 1].emailOptIn == .granted
        case .sms: return engine.traits[index - 1].smsOptIn == .granted
        }
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

    // MARK: - Payload

    /// The payload fields of a message for a customer at `now`.
    func payload(_ fields: [PayloadField], customer c: UInt32, engine: Engine, now: Int64) -> [(name: String, value: PayloadValue)] {
        guard !fields.isEmpty else { return [] }
        // The profile and the traits read in place: a copy of either retained and released each of their arrays
        // and strings, for every message with a payload.
        return engine.withProfile(c) { p in
            engine.traits.withUnsafeBufferPointer { all in
                let index = Int(p.pointee.traitsIndex)
                let traits: UnsafePointer<Traits>? = index > 0 && index <= all.count ? all.baseAddress.map { $0 + (index - 1) } : nil
                return payload(fields, customer: c, profile: p, traits: traits, engine: engine, now: now)
            }
        } ?? []
    }

    private func payload(_ fields: [PayloadField], customer c: UInt32, profile p: UnsafePointer<Profile>, traits: UnsafePointer<Traits>?,
                         engine: Engine, now: Int64) -> [(name: String, value: PayloadValue)] {
        func label(_ id: UInt32?) -> String? {
            guard let id, id != UInt32.max, Int(id) < engine.labels.count else { return nil }
            return engine.labels.string(id)
        }
        let day = 86_400_000.0
        var out: [(name: String, value: PayloadValue)] = []
        out.reserveCapacity(fields.count)
        for f in fields {
            var v: PayloadValue?
            switch f {
            case .email: v = traits?.pointee.email.map(PayloadValue.text)
            case .customerName: v = traits?.pointee.name.map(PayloadValue.text)
            case .timezone: v = label(traits?.pointee.timezone).map(PayloadValue.text)
            case .product:
                if let e = p.pointee.timeline.last(where: { $0.kind == .product && $0.time <= now }), Int(e.item) < engine.products.count {
                    v = .text(engine.products.string(e.item))
                }
            case .rule(let field):
                switch field {
                case .country: v = label(traits?.pointee.country).map(PayloadValue.text)
                case .city: v = label(traits?.pointee.city).map(PayloadValue.text)
                case .plan: v = label(traits?.pointee.plan).map(PayloadValue.text)
                case .emailOptIn: if let t = traits, t.pointee.emailOptIn != .unknown { v = .bool(t.pointee.emailOptIn == .granted) }
                case .smsOptIn: if let t = traits, t.pointee.smsOptIn != .unknown { v = .bool(t.pointee.smsOptIn == .granted) }
                case .stage: v = .text(stageRules.stage(p.pointee, now: now, churnRisk: scores.scores(for: c).churnRisk).label)
                case .recencyDays: if p.pointee.lastSeen != .min { v = .number(Double(now - p.pointee.lastSeen) / day) }
                case .daysSinceOrder: if p.pointee.lastOrder != .min { v = .number(Double(now - p.pointee.lastOrder) / day) }
                case .tenureDays: if p.pointee.firstSeen != .max { v = .number(Double(now - p.pointee.firstSeen) / day) }
                case .sessions30d: v = nil
                default:
                    if field.isProfileCount {
                        v = .number(field.profileValue(p))
                    } else {
                        v = engine.withRuleInputInPlace(customer: c, scores: scores, now: now, stageRules: stageRules,
                                                        readsScores: field.isScore) { input in
                            CompiledRule.value(field, input).map(PayloadValue.number)
                        } ?? nil
                    }
                }
            }
            if let v { out.append((f.name, v)) }
        }
        return out
    }
}
