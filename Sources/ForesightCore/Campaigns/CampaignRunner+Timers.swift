import Dispatch
import Synchronization

/// What one timer check decided, computed without writing the runner (``CampaignRunner/check(_:engine:)``)
/// and applied afterwards in timer order.
struct TimerOutcome: Sendable {
    /// The timer was run (false: its customer or trigger is gone).
    var ran = false
    /// The message the trigger wants to send, before the guards.
    var candidate: CampaignRunner.Candidate?
    /// The next check of the same wait for the customer (not-followed-by waits only).
    var next: CampaignTimer?
    /// The customer's not-followed-by wait is over.
    var ends = false
}

extension CampaignRunner {
    /// Checks per part below which a flush runs its timer checks on the calling thread alone. The hourly
    /// flushes of a replay hold a few thousand checks: split in two on the 2-core machine, the 10M-event replay
    /// took 2–3 s longer (bench --campaigns --timer-check-parts 1 vs 2), the parts' start and the other core's
    /// cold caches costing more than the checks; only a catch-up of many (a clock that jumped) is split.
    static let parallelCheckMinimum = 16_384

    /// Runs the due checks (not deliveries) of a flush and applies their outcomes in timer order.
    ///
    /// A check reads the engine and the runner and writes nothing (its outcome says what to write), and no
    /// check of a flush depends on another's writes: a timer it arms is due later than the flush's timers. So
    /// with many checks they run in parts side by side (the ingest thread waits for the flush), each part's
    /// customers' profiles, traits and timeline ends prefetched a few checks ahead; the outcomes are applied
    /// in the order one pass would, so timers, waits and candidates are those of a single pass.
    mutating func runChecks(_ checks: [CampaignTimer], engine: Engine) {
        guard !checks.isEmpty else { return }
        // The `when` rules' bindings, resolved once for the parts (they only read them).
        refreshBindings(engine)
        let n = checks.count
        let parts = min(n, timerCheckParts
            ?? min(SegmentMembership.processors, SegmentMembership.maximumFlushParts, max(1, n / Self.parallelCheckMinimum)))
        let outcomes: [[TimerOutcome]]
        if parts == 1 {
            outcomes = [check(checks, 0..<n, engine: engine)]
        } else {
            outcomes = Self.checkInParallel(self, checks, parts: parts, engine: engine)
        }
        var k = 0
        for part in outcomes {
            for o in part {
                apply(o, of: checks[k])
                k += 1
            }
        }
    }

    /// ``check(_:_:engine:)`` of `parts` equal shares of the checks, side by side (static, taking the runner by
    /// value, so that no reference to its tables outlives the parts).
    private static func checkInParallel(_ runner: CampaignRunner, _ checks: [CampaignTimer], parts: Int,
                                        engine: Engine) -> [[TimerOutcome]] {
        let n = checks.count
        let results = Mutex<[[TimerOutcome]]>(Array(repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let part = runner.check(checks, (n * p / parts)..<(n * (p + 1) / parts), engine: engine)
            results.withLock { $0[p] = part }
        }
        return results.withLock { $0 }
    }

    /// The outcomes of `checks[range]`, in order.
    private func check(_ checks: [CampaignTimer], _ range: Range<Int>, engine: Engine) -> [TimerOutcome] {
        var out: [TimerOutcome] = []
        out.reserveCapacity(range.count)
        for k in range {
            Self.prefetch(customers: range.upperBound, from: k, engine: engine) { checks[$0].customer }
            out.append(check(checks[k], engine: engine))
        }
        return out
    }

    private mutating func apply(_ o: TimerOutcome, of timer: CampaignTimer) {
        guard o.ran else { return }
        timersRun += 1
        if Int(timer.slot) < checksByTrigger.count { checksByTrigger[Int(timer.slot)] += 1 }
        if let candidate = o.candidate { candidates.append(candidate) }
        let c = timer.customer, t = Int(timer.slot)
        // An inactivity check is one look (no next check, no end).
        guard shapes[t].kind == .after else { return }
        if let next = o.next { timers.add(next) }
        if o.ends { flags.remove(pendingLane + t, c) }
    }

    /// A trigger's timer for one customer: checks her timeline (the truth, whatever arrived since the timer
    /// was set) and fires, re-arms for a later event, or ends.
    private func check(_ timer: CampaignTimer, engine: Engine) -> TimerOutcome {
        let c = timer.customer, t = Int(timer.slot), due = timer.due
        guard Int(c) < engine.profiles.count, t < triggers.count else { return TimerOutcome() }
        var o = TimerOutcome(ran: true)
        func again(_ at: Int64) { o.next = CampaignTimer(due: at, customer: c, slot: UInt32(t), isDelivery: false) }
        func fire() { o.candidate = Candidate(time: due, customer: c, trigger: t, cause: .timer) }
        let shape = shapes[t]
        switch shape.kind {
        case .after:
            let within = shape.withinMs
            // A rule false for good: no later wait of hers can fire either. A rule false now that only a later
            // start could make true: that start begins its own wait.
            guard let start = startNameID[t], !neverFires(t, c), !(when.armsOnlyWhileTrue[t] && !whenBit(t, c)),
                  !staysFalse(t, customer: c, engine: engine) else {
                o.ends = true
                return o
            }
            let timeline = engine.profiles[Int(c)].timeline
            let thenIDs = thenNameIDs[t]
            func isStart(_ x: TimelineEntry) -> Bool { x.name == start && shape.valueHolds(x.value) }
            let a = due - within
            var i = Engine.insertionIndexFromEnd(timeline, a)
            var latestStart: Int64?
            var resolvedAt: Int64?
            while i < timeline.count && timeline[i].time <= due {
                let x = timeline[i]
                if thenIDs.contains(x.name) { resolvedAt = x.time; break }
                if isStart(x) { latestStart = x.time }
                i += 1
            }
            if let b = resolvedAt {
                // Followed: wait for the next start after the follow-up, if one arrived already.
                if let next = timeline[(i + 1)...].first(where: isStart), next.time > b { again(next.time + within) } else { o.ends = true }
            } else if let later = latestStart, later > a {
                again(later + within)
            } else {
                if whenHolds(t, customer: c, engine: engine, now: due) { fire() }
                if let next = timeline[i...].first(where: isStart) { again(next.time + within) } else { o.ends = true }
            }
        case .inactivity:
            // One look: quiet for the whole period up to `due` (her latest event at or before it is at least a
            // period old, and none came in between), fires; the ledger follows her next quiet period itself.
            let forMs = shape.withinMs
            // Most customers had no event after the deadline: the profile's last event answers without the timeline.
            let last = engine.profiles[Int(c)].lastSeen
            let before: Int64?
            if last <= due {
                before = last
            } else {
                let timeline = engine.profiles[Int(c)].timeline
                let j = Engine.insertionIndexFromEnd(timeline, due) - 1
                before = j >= 0 ? timeline[j].time : nil
            }
            if let before, before + forMs <= due, whenHolds(t, customer: c, engine: engine, now: due) { fire() }
        default:
            break
        }
        return o
    }
}
