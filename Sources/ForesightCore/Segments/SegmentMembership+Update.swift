import CForesightSupport
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
        update(customers: [c], in: engine, scores: scores, now: now, changed: changed)
    }

    /// ``update(customer:in:scores:now:changed:)`` of many customers in one pass (ascending ids read the
    /// profiles in memory order), the changes in the customers' order and dated at `now`.
    public mutating func update(customers: [UInt32], in engine: Engine, scores: some SegmentScoreProvider,
                                now: Int64, changed: RuleInputs = .all) -> [SegmentChange] {
        refreshBindings(engine)
        let known = customers.filter { Int($0) < engine.profiles.count }
        var changes: [SegmentChange] = []
        flush(FlushWork(customers: known, marks: Array(repeating: changed.rawValue, count: known.count),
                        dueAt: Array(repeating: now, count: known.count), now: now, datedAtLastEvent: false),
              engine: engine, scores: scores, into: &changes)
        return changes
    }

    /// Resolves the rules' literals in `engine` when its interners grew (once before many updates).
    mutating func prepare(for engine: Engine) { refreshBindings(engine) }

    /// Re-evaluates the customers whose due time has come (at most `now`), at `now`.
    /// - Complexity: O(due customers × (log customers + evaluation)).
    public mutating func advance(to now: Int64, in engine: Engine, scores: some SegmentScoreProvider) -> [SegmentChange] {
        var changes: [SegmentChange] = []
        advance(to: now, in: engine, scores: scores, into: &changes)
        return changes
    }

    /// ``advance(to:in:scores:)`` appending to `changes`. A change is dated at the customer's due time,
    /// the moment the clock crossed her rule's boundary, which may lie before `now` when the flush is late.
    mutating func advance(to now: Int64, in engine: Engine, scores: some SegmentScoreProvider,
                          into changes: inout [SegmentChange]) {
        refreshBindings(engine)
        var due: [(time: Int64, customer: UInt32)] = []
        popDue(upTo: now) { c, time in due.append((time, c)) }
        due.removeAll { Int($0.customer) >= engine.profiles.count }
        guard !due.isEmpty else { return }
        // In the order of their due times (of equal times, by customer), as the clock crossed them.
        due.sort { $0.time != $1.time ? $0.time < $1.time : $0.customer < $1.customer }
        // Only the clock moved: the segments reading no clock-dependent input keep their answer.
        flush(FlushWork(customers: due.map(\.customer), marks: Array(repeating: RuleInputs.clock.rawValue, count: due.count),
                        dueAt: due.map(\.time), now: now),
              engine: engine, scores: scores, into: &changes)
    }

    /// Removes the customers due by `now` from the timers and hands each, with her due time, to `body`
    /// (in no particular order); the caller re-evaluates them (which schedules them again).
    /// - Complexity: O(entries in the buckets up to the hour of `now`).
    mutating func popDue(upTo now: Int64, _ body: (UInt32, Int64) -> Void) {
        let last = TimerBuckets.bucket(now)
        while let b = timers.hours.min, b <= last {
            _ = timers.hours.removeMin()
            let entries = timers.buckets.removeValue(forKey: b) ?? []
            timers.entries -= entries.count
            var kept: [UInt32] = []
            state.withUnsafeMutableBufferPointer { state in
                for k in entries.indices {
                    // The entries' customers are at random: ask for one a few entries ahead.
                    if k + 8 < entries.count, Int(entries[k + 8]) < state.count, let base = state.baseAddress {
                        foresight_prefetch_read(UnsafeRawPointer(base + Int(entries[k + 8])))
                    }
                    let c = entries[k], i = Int(c)
                    let q = state[i].queuedAt
                    guard q != .max, TimerBuckets.bucket(q) == b else { continue }  // stale
                    let t = state[i].due
                    if t <= now {
                        state[i].queuedAt = .max
                        state[i].due = .max
                        timers.scheduled -= 1
                        body(c, t)
                    } else if t == .max {
                        state[i].queuedAt = .max
                        timers.scheduled -= 1
                    } else {
                        // Moved later: on to the bucket of her due time (this one, when it is the hour of `now`).
                        state[i].queuedAt = t
                        if TimerBuckets.bucket(t) == b { kept.append(c) } else { timers.append(c, at: t) }
                    }
                }
            }
            if !kept.isEmpty {
                // A customer may have had two entries here (moved away and back): keep one.
                kept.sort()
                var unique: [UInt32] = []
                unique.reserveCapacity(kept.count)
                for c in kept where unique.last != c { unique.append(c) }
                timers.buckets[b] = unique
                timers.hours.insert(b)
                timers.entries += unique.count
                // Only the hour of `now` keeps entries not yet due: the later buckets are not due either.
                return
            }
        }
    }

    /// Re-evaluates every customer (after new scores are swapped in, or at load).
    /// - Complexity: O(customers × evaluation).
    public mutating func refreshAll(in engine: Engine, scores: some SegmentScoreProvider, now: Int64) -> [SegmentChange] {
        update(customers: Array(0..<UInt32(engine.profiles.count)), in: engine, scores: scores, now: now)
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

    mutating func ensureCustomer(_ c: UInt32) {
        let n = Int(c) + 1
        guard n > state.count else { return }
        state.append(contentsOf: repeatElement(.none, count: n - state.count))
        bits.append(contentsOf: repeatElement(0, count: n * words - bits.count))
    }

    mutating func reevaluate(customer c: UInt32, _ input: RuleInput, byClock: Bool, changed: RuleInputs = .all) -> [SegmentChange] {
        var changes: [SegmentChange] = []
        Self.withEvaluation(layout: layout, labels: flatLabelIDs, events: flatEventIDs, segments: segments.count) { b in
            reevaluate(customer: c, input, byClock: byClock, changed: changed, at: input.now, b, into: &changes)
        }
        return changes
    }

    /// ``reevaluate(customer:_:byClock:changed:)`` appending to `changes` (no array per customer), each
    /// dated `time`, through the buffers of one evaluation scope (``withEvaluation(layout:labels:events:segments:_:)``):
    /// nothing is retained per customer or segment.
    @inline(__always)
    mutating func reevaluate(customer c: UInt32, _ input: RuleInput, byClock: Bool, changed: RuleInputs,
                             at time: Int64, _ b: SegmentEvalBuffers, into changes: inout [SegmentChange]) {
        ensureCustomer(c)
        let explain = explainsChanges ? ChangeExplainer(self) : nil
        let oldDue = state[Int(c)].due
        let base = Int(c) * words
        let due = bits.withUnsafeMutableBufferPointer { bits in
            sizes.withUnsafeMutableBufferPointer { sizes in
                Self.evaluate(customer: c, input, byClock: byClock, changed: changed, at: time, oldDue: oldDue,
                              bits: bits, at: base, sizeDeltas: sizes, explain: explain, b, into: &changes)
            }
        }
        schedule(c, due)
    }

    /// What explaining a change reads: the rules, their bindings and their references' targets.
    struct ChangeExplainer: Sendable {
        let segments: [RuleSegment]
        let bindings: [RuleBindings]
        let referenceTargets: [[Int]]

        init(_ m: SegmentMembership) {
            segments = m.segments
            bindings = m.bindings
            referenceTargets = m.referenceTargets
        }
    }

    /// One customer's evaluation, writing nothing but her bit words (`bits[base..<base + words]`, which hold
    /// her membership before and after), the size deltas of the segments she entered or left and her changes;
    /// shared by a single update and a flush's parts, which run side by side on disjoint customers.
    /// - Parameter oldDue: her due time before (kept for a segment left unevaluated).
    /// - Returns: her new due time.
    @inline(__always)
    static func evaluate(customer c: UInt32, _ input: RuleInput, byClock: Bool, changed: RuleInputs, at time: Int64,
                         oldDue: Int64, bits: UnsafeMutableBufferPointer<UInt64>, at base: Int,
                         sizeDeltas: UnsafeMutableBufferPointer<Int>, explain: ChangeExplainer?,
                         _ b: SegmentEvalBuffers, into changes: inout [SegmentChange]) -> Int64 {
        var skipped = false
        var earliest = Int64.max
        let r = b.results
        for s in b.order {
            guard changed.rawValue & b.reads[s].rawValue != 0 else {
                // Nothing it reads changed: keep the answer (its due time stays scheduled).
                r[s] = RuleResult(value: bits[base + s / 64] & (1 << UInt64(s % 64)) != 0)
                skipped = true
                continue
            }
            let ids = BoundIDs(labels: UnsafeBufferPointer(rebasing: b.labels[b.labelStarts[s]..<b.labelStarts[s + 1]]),
                               events: UnsafeBufferPointer(rebasing: b.events[b.eventStarts[s]..<b.eventStarts[s + 1]]))
            let t0 = b.targetStarts[s]
            let result = b.programs[s]._withUnsafeGuaranteedRef { program in
                program.evaluate(program.root, input, ids) { i in
                    let t = Int(b.targets[t0 + i])
                    return t >= 0 ? r[t] : RuleResult(value: false)
                }
            }
            r[s] = result
            earliest = min(earliest, result.nextChange)
        }
        for s in b.order {
            let value = r[s].value
            let word = base + s / 64, mask = UInt64(1) << UInt64(s % 64)
            guard (bits[word] & mask != 0) != value else { continue }
            if value { bits[word] |= mask; sizeDeltas[s] += 1 } else { bits[word] &= ~mask; sizeDeltas[s] -= 1 }
            var (clause, clauseValue) = ("", value)
            if let explain {
                let known = Array(r), targets = explain.referenceTargets[s]
                (clause, clauseValue) = explain.segments[s].rule.decidingClause(input, bindings: explain.bindings[s],
                                                                                preferTime: byClock) { i in
                    let t = targets[i]
                    return t >= 0 ? known[t] : RuleResult(value: false)
                }
            }
            changes.append(SegmentChange(customer: c, segment: s, entered: value, time: time,
                                         clause: clause, clauseValue: clauseValue, byClock: byClock))
        }
        // A skipped segment's own next change is not known here: keep the earlier due time (at worst
        // one evaluation too many, never one missed).
        return skipped ? min(earliest, oldDue) : earliest
    }

    /// Sets a customer's due time. The timers hold at most one live entry per customer (in the bucket of
    /// `queuedAt`): a due time moved later leaves the entry where it is, and the entry is moved on when
    /// its bucket is reached; only an earlier due time is appended. Most events move a due time later
    /// (the customer was just seen), so most updates touch no bucket.
    mutating func schedule(_ c: UInt32, _ time: Int64) {
        let i = Int(c)
        state[i].due = time
        let queued = state[i].queuedAt
        guard time != .max, time < queued else { return }
        state[i].queuedAt = time
        if queued == .max { timers.scheduled += 1 }
        // Already in this hour's bucket: that entry stays the live one.
        guard queued == .max || TimerBuckets.bucket(queued) != TimerBuckets.bucket(time) else { return }
        timers.append(c, at: time)
        // Stale entries are skipped when reached; rebuild when they outnumber the live ones.
        if timers.entries > 2 * timers.scheduled + 4096 { rebuildTimers() }
    }

    mutating func rebuildTimers() {
        var timers = TimerBuckets()
        for i in state.indices {
            let t = state[i].due
            state[i].queuedAt = t
            if t != .max {
                timers.append(UInt32(i), at: t)
                timers.scheduled += 1
            }
        }
        self.timers = timers
    }
}

extension SegmentMembership {
    /// The clause behind a change, found from the customer's current state (for changes recorded with
    /// ``explainsChanges`` off; exact while the customer has had no event since).
    public func explain(_ change: SegmentChange, in engine: Engine, scores: some SegmentScoreProvider,
                        now: Int64) -> (clause: String, value: Bool) {
        let c = change.customer, s = change.segment
        guard Int(c) < engine.profiles.count, s < segments.count else { return ("", change.entered) }
        let targets = referenceTargets[s]
        return RuleInput.with(profile: engine.profiles[Int(c)], traits: engine.ruleTraits(of: c), scores: scores.scores(for: c),
                              now: now, stageRules: stageRules, sessionGapMs: sessionGapMs) { input in
            segments[s].rule.decidingClause(input, bindings: bindings[s], preferTime: change.byClock) { i in
                let t = targets[i]
                return t >= 0 && contains(customer: c, segment: t) ? RuleResult(value: true) : RuleResult(value: false)
            }
        }
    }
}
