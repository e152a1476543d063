import CForesightSupport
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The customers of one evaluation pass (a flush of ``SegmentUpdateBatch``, a timer advance, an update of
/// some customers), with what marked each.
struct FlushWork: Sendable {
    /// Each a customer of the engine, once; ascending in a flush (the profiles are read in memory order).
    let customers: [UInt32]
    /// Per customer: the inputs her events changed (``RuleInputs`` raw value), or exactly
    /// ``RuleInputs/clock`` when only her timer is due.
    let marks: [UInt64]
    /// Per customer marked by her timer only: her due time.
    let dueAt: [Int64]
    /// The flush's clock (the watermark).
    let now: Int64
    /// Whether an event-marked customer's changes are dated at her last event (a replay flushes after many
    /// events, not at each), or at `now` (an update of chosen customers, where a mark of exactly the clock
    /// inputs is what the caller says changed, not a timer's).
    var datedAtLastEvent = true
}

/// What one share of a flush decided for its customers, not yet written to the membership: their bit
/// words, due times and stage progress, the changes in customer order and the segments' size deltas.
struct FlushPart: Sendable {
    var words: [UInt64]
    var due: [Int64]
    var progress: [StageProgress]
    var reached: [UInt8]
    var changes: [SegmentChange]
    var sizeDeltas: [Int]
}

extension SegmentMembership {
    /// Customers per part below which a flush is evaluated on the calling thread alone (a live batch).
    static let parallelFlushMinimum = 16_384
    /// The most parts a flush is split into.
    static let maximumFlushParts = 4

    /// The processors online (at least 1).
    static let processors: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Evaluates a flush's customers and writes the results, in customer order.
    ///
    /// Evaluating is nearly all of a flush's cost (it reads each customer's profile, timeline and traits,
    /// scattered in memory) and writes nothing shared; so with many customers it runs in parts side by
    /// side, on the processor's other cores, each part reading the engine and this membership as they are
    /// (nothing changes them meanwhile: the ingest thread waits for the flush). The parts' results are then
    /// written here one after another, so the membership, the timers and the order of the changes are
    /// those of one pass in customer order.
    /// - Parameter parts: the number of parts (tests); nil: one per processor, at most
    ///   ``maximumFlushParts``, each of at least ``parallelFlushMinimum`` customers.
    mutating func flush(_ work: FlushWork, parts: Int? = nil, engine: Engine, scores: some SegmentScoreProvider,
                        into changes: inout [SegmentChange]) {
        guard let last = work.customers.max() else { return }
        ensureCustomer(last)
        let n = work.customers.count
        let count = min(n, parts ?? min(Self.processors, Self.maximumFlushParts, max(1, n / Self.parallelFlushMinimum)))
        let parts = count == 1 ? [evaluatePart(work, 0..<n, engine: engine, scores: scores)]
                               : Self.evaluateInParallel(self, work, parts: count, engine: engine, scores: scores)
        apply(parts, work, into: &changes)
    }

    /// ``evaluatePart(_:_:engine:scores:)`` of `parts` equal shares of the work, side by side.
    /// Static, taking the membership by value, so that no reference to its arrays outlives the parts (the
    /// writes that follow would copy them).
    private static func evaluateInParallel(_ m: SegmentMembership, _ work: FlushWork, parts: Int, engine: Engine,
                                           scores: some SegmentScoreProvider) -> [FlushPart] {
        let n = work.customers.count
        let results = Mutex<[FlushPart?]>(Array(repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            let part = m.evaluatePart(work, (n * p / parts)..<(n * (p + 1) / parts), engine: engine, scores: scores)
            results.withLock { $0[p] = part }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// Evaluates the customers `work.customers[range]` against the membership as it is, writing nothing.
    func evaluatePart(_ work: FlushWork, _ range: Range<Int>, engine: Engine,
                      scores: some SegmentScoreProvider) -> FlushPart {
        let n = range.count, words = words, now = work.now
        var newBits = Array(repeating: UInt64(0), count: n * words)
        var due = Array(repeating: Int64.max, count: n)
        var progress: [StageProgress] = readsStage ? Array(repeating: .none, count: n) : []
        var reached: [UInt8] = readsStage ? Array(repeating: 255, count: n) : []
        var sizeDeltas = Array(repeating: 0, count: segments.count)
        var changes: [SegmentChange] = []
        let explain = explainsChanges ? ChangeExplainer(self) : nil
        let clockOnly = RuleInputs.clock.rawValue
        let customers = work.customers
        evaluationScope { b in
            engine.withRuleBuffers { profiles, traits in
                guard let base = profiles.baseAddress else { return }
                bits.withUnsafeBufferPointer { oldBits in
                    state.withUnsafeBufferPointer { oldState in
                        newBits.withUnsafeMutableBufferPointer { newBits in
                            sizeDeltas.withUnsafeMutableBufferPointer { deltas in
                                for k in range {
                                    Self.prefetch(ahead: k, of: customers, below: range.upperBound, profiles: base,
                                                  traits: traits, bits: oldBits, words: words, state: oldState)
                                    let c = customers[k], i = Int(c), j = k - range.lowerBound
                                    for w in 0..<words { newBits[j * words + w] = oldBits[i * words + w] }
                                    var st = oldState[i]
                                    let profile = base + i
                                    var input = RuleInput(profile: profile, traits: Engine.ruleTraits(profile.pointee.traitsIndex, traits),
                                                          scores: scores.scores(for: c), now: now, stageRules: stageRules,
                                                          sessionGapMs: sessionGapMs)
                                    let marks = work.marks[k]
                                    let byClock = marks == clockOnly && work.datedAtLastEvent
                                    let time: Int64
                                    if byClock {
                                        // Only the clock moved: her stage is the one her events reached.
                                        if readsStage {
                                            if let known = LifecycleStage(rawValue: Int(st.reached)) {
                                                input.reachedStage = known
                                            } else {
                                                let stage = stageRules.reachedStage(in: profile, asOf: .max)
                                                st.reached = UInt8(stage.rawValue)
                                                input.reachedStage = stage
                                            }
                                        }
                                        time = min(work.dueAt[k], now)
                                    } else {
                                        if readsStage {
                                            // Her events changed: scan them once for all the stage tests, and keep
                                            // it for her timers.
                                            let stage = stageRules.reachedStage(
                                                in: profile, asOf: now, progress: &st.progress,
                                                rescan: RuleInputs(rawValue: marks).contains(.orderHistory))
                                            st.reached = UInt8(stage.rawValue)
                                            input.reachedStage = stage
                                        }
                                        let lastSeen = profile.pointee.lastSeen
                                        time = work.datedAtLastEvent && lastSeen != .min ? min(now, lastSeen) : now
                                    }
                                    due[j] = Self.evaluate(customer: c, input, byClock: byClock,
                                                           changed: byClock ? .clock : RuleInputs(rawValue: marks),
                                                           at: time, oldDue: st.due, bits: newBits, at: j * words,
                                                           sizeDeltas: deltas, explain: explain, b, into: &changes)
                                    if readsStage {
                                        progress[j] = st.progress
                                        reached[j] = st.reached
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return FlushPart(words: newBits, due: due, progress: progress, reached: reached, changes: changes,
                         sizeDeltas: sizeDeltas)
    }

    /// Starts loading what the customers a few places after `k` need, in stages: each stage reads what the
    /// one before brought in (``SegmentUpdateBatch/prefetchProfileDistance`` and the others).
    @inline(__always)
    private static func prefetch(ahead k: Int, of customers: [UInt32], below end: Int, profiles: UnsafePointer<Profile>,
                                 traits: UnsafeBufferPointer<Traits>, bits: UnsafeBufferPointer<UInt64>, words: Int,
                                 state: UnsafeBufferPointer<CustomerState>) {
        var ahead = k + SegmentUpdateBatch.prefetchProfileDistance
        if ahead < end {
            let i = Int(customers[ahead])
            SegmentUpdateBatch.prefetchProfile(profiles + i)
            if let b = bits.baseAddress { foresight_prefetch_read(UnsafeRawPointer(b + i * words)) }
            if let s = state.baseAddress {
                let p = UnsafeRawPointer(s + i)
                foresight_prefetch_read(p)
                foresight_prefetch_read(p + (MemoryLayout<CustomerState>.size - 1))
            }
        }
        ahead = k + SegmentUpdateBatch.prefetchHeaderDistance
        if ahead < end { SegmentUpdateBatch.prefetchHeaders(of: profiles + Int(customers[ahead]), traits: traits) }
        ahead = k + SegmentUpdateBatch.prefetchTailDistance
        if ahead < end { SegmentUpdateBatch.prefetchTimelineEnd(of: profiles + Int(customers[ahead])) }
    }

    /// Writes the parts' results in customer order: bits, stage progress, due times, then the timers'
    /// new entries (``schedule(_:_:)``'s rule, in the same order), sizes and changes.
    private mutating func apply(_ parts: [FlushPart], _ work: FlushWork, into changes: inout [SegmentChange]) {
        var appends: [(customer: UInt32, time: Int64)] = []
        var newlyScheduled = 0
        let words = words, readsStage = readsStage
        var k = 0
        bits.withUnsafeMutableBufferPointer { bits in
            state.withUnsafeMutableBufferPointer { state in
                for part in parts {
                    for j in part.due.indices {
                        let c = work.customers[k], i = Int(c)
                        k += 1
                        for w in 0..<words { bits[i * words + w] = part.words[j * words + w] }
                        if readsStage {
                            state[i].progress = part.progress[j]
                            state[i].reached = part.reached[j]
                        }
                        // ``schedule(_:_:)``: one live entry per customer, appended only for an earlier hour.
                        let time = part.due[j]
                        state[i].due = time
                        let queued = state[i].queuedAt
                        guard time != .max, time < queued else { continue }
                        state[i].queuedAt = time
                        if queued == .max { newlyScheduled += 1 }
                        guard queued == .max || TimerBuckets.bucket(queued) != TimerBuckets.bucket(time) else { continue }
                        appends.append((c, time))
                    }
                }
            }
        }
        timers.scheduled += newlyScheduled
        for (c, time) in appends { timers.append(c, at: time) }
        // Stale entries are skipped when reached; rebuild when they outnumber the live ones.
        if timers.entries > 2 * timers.scheduled + 4096 { rebuildTimers() }
        for part in parts {
            for s in sizes.indices { sizes[s] += part.sizeDeltas[s] }
            // The first part's changes are taken as they are (no copy).
            if changes.isEmpty { changes = part.changes } else { changes.append(contentsOf: part.changes) }
        }
    }
}
