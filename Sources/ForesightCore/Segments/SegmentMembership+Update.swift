import HeapModule

extension SegmentMembership {
    /// Re-evaluates every segment for one customer after an event (or new scores) and reschedules the
    /// customer's clock-driven re-evaluation.
    /// - Parameters:
    ///   - now: event time (the watermark).
    ///   - changed: the inputs that changed since the customer's last update
    ///     (``RuleInputs/changed(byEvent:)`` of the events since); segments whose rules read none of
    ///     them keep their answer unevaluated.
    /// - Returns: the segments entered and left, with the clause that moved the customer.
    /// - Complexity: O(segments × atoms) plus the windowed counts' events in their windows.
    public mutating func update(customer c: UInt32, in engine: Engine, scores: some SegmentScoreProvider,
                                now: Int64, changed: RuleInputs = .all) -> [SegmentChange] {
        refreshBindings(engine)
        let p = engine.profiles[Int(c)]
        let input = RuleInput(profile: p, traits: engine.traits(of: p), scores: scores.scores(for: c), now: now,
                              stageRules: stageRules, sessionGapMs: sessionGapMs)
        return reevaluate(customer: c, input, byClock: false, changed: changed)
    }

    /// Re-evaluates the customers whose due time has come (at most `now`), at `now`.
    /// - Complexity: O(due customers × (log customers + evaluation)).
    public mutating func advance(to now: Int64, in engine: Engine, scores: some SegmentScoreProvider) -> [SegmentChange] {
        refreshBindings(engine)
        var changes: [SegmentChange] = []
        while let top = queue.min, top.time <= now {
            _ = queue.removeMin()
            let c = top.customer
            guard Int(c) < due.count, due[Int(c)] == top.time, Int(c) < engine.profiles.count else { continue }
            let p = engine.profiles[Int(c)]
            let input = RuleInput(profile: p, traits: engine.traits(of: p), scores: scores.scores(for: c), now: now,
                                  stageRules: stageRules, sessionGapMs: sessionGapMs)
            changes += reevaluate(customer: c, input, byClock: true)
        }
        dropStaleTop()
        return changes
    }

    /// Re-evaluates every customer (after new scores are swapped in, or at load).
    /// - Complexity: O(customers × evaluation).
    public mutating func refreshAll(in engine: Engine, scores: some SegmentScoreProvider, now: Int64) -> [SegmentChange] {
        var changes: [SegmentChange] = []
        for c in 0..<UInt32(engine.profiles.count) {
            changes += update(customer: c, in: engine, scores: scores, now: now)
        }
        return changes
    }

    /// Re-evaluates one customer from an explicit input (no engine: tests and replays of one profile).
    public mutating func update(customer c: UInt32, input: RuleInput, labels: Interner, eventNames: Interner,
                                changed: RuleInputs = .all) -> [SegmentChange] {
        refreshBindings(labels: labels, eventNames: eventNames)
        return reevaluate(customer: c, input, byClock: false, changed: changed)
    }

    private mutating func refreshBindings(_ engine: Engine) {
        refreshBindings(labels: engine.labels, eventNames: engine.eventNames)
    }

    private mutating func refreshBindings(labels: Interner, eventNames: Interner) {
        // Interners only grow: nothing new to resolve while their sizes stay the same.
        guard labels.count != internedSeen.labels || eventNames.count != internedSeen.names else { return }
        internedSeen = (labels.count, eventNames.count)
        var changed = false
        for i in segments.indices {
            let before = bindings[i]
            bindings[i].refresh(segments[i].rule, labels: labels, eventNames: eventNames)
            if bindings[i] != before { changed = true }
        }
        if changed {
            flatLabelIDs = bindings.flatMap(\.labelIDs)
            flatEventIDs = bindings.flatMap(\.eventIDs)
        }
    }

    private mutating func ensureCustomer(_ c: UInt32) {
        let n = Int(c) + 1
        guard n > due.count else { return }
        due.append(contentsOf: repeatElement(.max, count: n - due.count))
        bits.append(contentsOf: repeatElement(0, count: n * words - bits.count))
    }

    mutating func reevaluate(customer c: UInt32, _ input: RuleInput, byClock: Bool, changed: RuleInputs = .all) -> [SegmentChange] {
        ensureCustomer(c)
        let base = Int(c) * words
        var skipped = false
        var earliest = Int64.max
        var local = results
        results = []
        // Locals, so the loop below loads no array out of `self` (each load would retain it).
        let order = self.order, programs = self.programs
        let labelStarts = self.labelStarts, eventStarts = self.eventStarts, targetStarts = self.targetStarts
        let reads = self.reads
        flatLabelIDs.withUnsafeBufferPointer { labels in
            flatEventIDs.withUnsafeBufferPointer { events in
                flatTargets.withUnsafeBufferPointer { targets in
                    local.withUnsafeMutableBufferPointer { r in
                        for s in order {
                            guard changed.rawValue & reads[s].rawValue != 0 else {
                                // Nothing it reads changed: keep the answer (its due time stays scheduled).
                                r[s] = RuleResult(value: bits[base + s / 64] & (1 << UInt64(s % 64)) != 0)
                                skipped = true
                                continue
                            }
                            let program = programs[s]
                            let ids = BoundIDs(labels: UnsafeBufferPointer(rebasing: labels[labelStarts[s]..<labelStarts[s + 1]]),
                                               events: UnsafeBufferPointer(rebasing: events[eventStarts[s]..<eventStarts[s + 1]]))
                            let t0 = targetStarts[s]
                            let result = program.evaluate(program.root, input, ids) { i in
                                let t = Int(targets[t0 + i])
                                return t >= 0 ? r[t] : RuleResult(value: false)
                            }
                            r[s] = result
                            earliest = min(earliest, result.nextChange)
                        }
                    }
                }
            }
        }
        results = local
        var changes: [SegmentChange] = []
        for s in order {
            let value = results[s].value
            let word = base + s / 64, mask = UInt64(1) << UInt64(s % 64)
            guard (bits[word] & mask != 0) != value else { continue }
            if value { bits[word] |= mask; sizes[s] += 1 } else { bits[word] &= ~mask; sizes[s] -= 1 }
            let known = results, targets = referenceTargets[s]
            let (clause, clauseValue) = segments[s].rule.decidingClause(input, bindings: bindings[s], preferTime: byClock) { i in
                let t = targets[i]
                return t >= 0 ? known[t] : RuleResult(value: false)
            }
            changes.append(SegmentChange(customer: c, segment: s, entered: value, time: input.now,
                                         clause: clause, clauseValue: clauseValue))
        }
        // A skipped segment's own next change is not known here: keep the earlier due time (at worst
        // one evaluation too many, never one missed).
        schedule(c, skipped ? min(earliest, due[Int(c)]) : earliest)
        return changes
    }

    private mutating func schedule(_ c: UInt32, _ time: Int64) {
        let old = due[Int(c)]
        guard old != time else { return }
        if old != .max { scheduled -= 1 }
        due[Int(c)] = time
        if time != .max {
            scheduled += 1
            queue.insert(DueEntry(time: time, customer: c))
        }
        // Stale entries are skipped when popped; rebuild when they outnumber the live ones.
        if queue.count > 2 * scheduled + 4096 { rebuildQueue() }
        dropStaleTop()
    }

    private mutating func rebuildQueue() {
        var entries: [DueEntry] = []
        entries.reserveCapacity(scheduled)
        for (i, t) in due.enumerated() where t != .max { entries.append(DueEntry(time: t, customer: UInt32(i))) }
        queue = Heap(entries)
    }

    private mutating func dropStaleTop() {
        while let top = queue.min, due[Int(top.customer)] != top.time { _ = queue.removeMin() }
    }
}
