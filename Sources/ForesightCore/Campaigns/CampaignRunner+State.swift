import Foundation

#if _endian(big)
#error("the campaign state is little-endian; a big-endian port needs byte swapping in CampaignRunner+State.swift")
#endif

/// A suppressed or held-out decision with its number in the runner's sequence (what a checkpoint stores once).
public struct LoggedDecision: Sendable, Equatable {
    public var sequence: Int
    public var decision: CampaignDecision
}

/// Why a saved campaign state cannot be used.
public struct CampaignStateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The mutable state of a ``CampaignRunner`` as plain values, for a state file: encoded as one compact
/// little-endian blob (``encoded()``, format in docs/STATE.md), decoded without the configuration, so that
/// `foresight forget` can erase a customer from it (``customersErased(_:)``) and a restore can check the
/// ``fingerprint`` of the triggers it was made with before applying it (``CampaignRunner/restoreState(_:)``).
///
/// Not kept: the per-customer history of decisions (the customer screen; it starts again), the score table
/// itself (only which side of each score trigger's threshold each customer was on: ``scoreBaseline``), the ids
/// delivered (the outbox gives them), and what is rebuilt (open exposures, name bindings, time zones).
public struct CampaignRunnerState: Sendable, Equatable {
    /// 2: the inactivity triggers' clock of the last scan in place of their per-customer timer bits (format 1,
    /// still read: its inactivity timers are dropped and the buckets start from the engine's clock).
    /// 3: the score triggers' baseline at the end (format 2, still read, has none: the first score run after
    /// its restore sets one).
    public static let format: UInt8 = 3
    /// Bytes of the header ``header(_:)`` reads: format, fingerprint, epoch, suppressed sequence, engine lines.
    public static let headerBytes = 33

    /// ``CampaignRunner/fingerprint(_:)`` of the triggers the state was made with.
    public var fingerprint: UInt64
    public var epoch: UInt64
    public var suppressedSequence: Int
    /// The engine's line count when the state was taken (a state older than its engine is noted on restore).
    public var engineLines: Int

    var counts: [TriggerCounts] = []
    var exposures: [[Exposure]] = []
    var lastQualified: [[UInt32: Int64]] = []
    var pendingAfter: [Set<UInt32>] = []
    /// The inactivity triggers' clock of their last scan (.min: none yet); nil: unknown (a format 1 state).
    var quietScanned: Int64? = .min
    var timers: [CampaignTimer] = []
    var delayedMessages: [UInt32: CampaignDecision] = [:]
    var nextDelayedSlot: UInt32 = 0
    var sent: [UInt32: [Int64]] = [:]
    var candidates: [CampaignRunner.Candidate] = []
    var pendingDecisions: [CampaignDecision] = []
    var firedFeed: [CampaignDecision] = []
    var suppressedFeed: [CampaignDecision] = []
    var generation = 0
    var settled = 0
    var timersRun = 0
    /// Per trigger, a bit per customer (64 to a word): she was on the near side of the score trigger's threshold
    /// at the last score run (at or below it for "rises above", at or above for "falls below"; a customer without
    /// a score is not); empty for the other triggers. What the first score run after a restore is judged against,
    /// so that a crossing while the program was down fires. nil: no score run yet (or a state of format 1 or 2).
    public internal(set) var scoreBaseline: [[UInt64]]?

    init(fingerprint: UInt64, epoch: UInt64, suppressedSequence: Int, engineLines: Int) {
        self.fingerprint = fingerprint
        self.epoch = epoch
        self.suppressedSequence = suppressedSequence
        self.engineLines = engineLines
    }

    /// Timers pending and messages waiting for the end of quiet hours (for notices and tests).
    public var timerCount: Int { timers.count }
    public var waitingCount: Int { delayedMessages.count }
    public var triggerCount: Int { counts.count }

    public static func == (a: CampaignRunnerState, b: CampaignRunnerState) -> Bool { a.encoded() == b.encoded() }

    // MARK: - Erasure

    /// Erases customers (old dense ids, ascending) as ``CampaignRunner/customersErased(_:)`` does: their
    /// timers, waits, caps, exposures, feeds and pending decisions go, the others are renumbered.
    public mutating func customersErased(_ erased: [UInt32]) {
        guard !erased.isEmpty else { return }
        let r = CustomerRenumbering(erased: erased)
        timers = timers.compactMap(r.timer)
        delayedMessages = r.delayed(delayedMessages)
        lastQualified = lastQualified.map(r.keys)
        pendingAfter = pendingAfter.map(r.set)
        sent = r.keys(sent)
        exposures = r.exposures(exposures)
        candidates = r.candidates(candidates)
        pendingDecisions = r.decisions(pendingDecisions)
        firedFeed = r.decisions(firedFeed)
        suppressedFeed = r.decisions(suppressedFeed)
        scoreBaseline = scoreBaseline?.map(r.bits)
        generation += 1
    }

    // MARK: - Encoding

    /// The state as one blob: the header (``headerBytes``), then the parts in a fixed order, arrays as a
    /// count and their elements, dictionaries sorted by key (the same state gives the same bytes).
    public func encoded() -> [UInt8] {
        var w = StateWriter()
        w.put(Self.format)
        w.put(fingerprint)
        w.put(epoch)
        w.put(Int64(suppressedSequence))
        w.put(Int64(engineLines))
        w.put(UInt32(counts.count))
        for c in counts {
            w.put(Int64(c.fired))
            w.put(Int64(c.heldOut))
            w.put(Int64(c.delayed))
            let reasons = c.suppressed.sorted { $0.key < $1.key }
            w.put(UInt32(reasons.count))
            for (reason, n) in reasons {
                w.put(reason)
                w.put(Int64(n))
            }
        }
        for list in exposures {
            w.putArray(list.map(\.customer))
            w.putArray(list.map(\.time))
            w.putArray(list.map { UInt8(($0.heldOut ? 1 : 0) | ($0.converted ? 2 : 0)) })
        }
        for table in lastQualified {
            let keys = table.keys.sorted()
            w.putArray(keys)
            w.putArray(keys.map { table[$0] ?? 0 })
        }
        for set in pendingAfter { w.putArray(set.sorted()) }
        w.put(UInt8(quietScanned == nil ? 0 : 1))
        w.put(quietScanned ?? .min)
        let sortedTimers = timers.sorted(by: CampaignTimer.before)
        w.putArray(sortedTimers.map(\.due))
        w.putArray(sortedTimers.map(\.customer))
        w.putArray(sortedTimers.map(\.slot))
        w.putArray(sortedTimers.map { UInt8($0.isDelivery ? 1 : 0) })
        let slots = delayedMessages.keys.sorted()
        w.put(UInt32(slots.count))
        for slot in slots {
            w.put(slot)
            if let d = delayedMessages[slot] { w.put(d) }
        }
        w.put(nextDelayedSlot)
        let customers = sent.keys.sorted()
        w.put(UInt32(customers.count))
        for c in customers {
            w.put(c)
            w.putArray(sent[c] ?? [])
        }
        w.put(UInt32(candidates.count))
        for c in candidates {
            w.put(c.time)
            w.put(c.customer)
            w.put(UInt32(c.trigger))
            w.put(c.cause.rawValue)
            w.put(c.note ?? "")
        }
        for list in [pendingDecisions, firedFeed, suppressedFeed] {
            w.put(UInt32(list.count))
            for d in list { w.put(d) }
        }
        for v in [generation, settled, timersRun] { w.put(Int64(v)) }
        w.put(UInt8(scoreBaseline == nil ? 0 : 1))
        for words in scoreBaseline ?? [] { w.putArray(words) }
        return w.bytes
    }

    /// Decodes ``encoded()``; every read is bounds-checked.
    /// - Throws: ``CampaignStateError`` for a short, damaged or inconsistent blob, or another format.
    public init(decoding bytes: [UInt8]) throws(CampaignStateError) {
        var r = StateReader(bytes)
        let f = try r.get(UInt8.self)
        guard (1...Self.format).contains(f) else { throw CampaignStateError("the campaign state has format \(f), this version reads \(Self.format)") }
        fingerprint = try r.get(UInt64.self)
        epoch = try r.get(UInt64.self)
        suppressedSequence = Int(try r.get(Int64.self))
        engineLines = Int(try r.get(Int64.self))
        let n = Int(try r.get(UInt32.self))
        guard n <= 1 << 16 else { throw CampaignStateError("the campaign state is damaged (\(n) triggers)") }
        for _ in 0..<n {
            var c = TriggerCounts()
            c.fired = Int(try r.get(Int64.self))
            c.heldOut = Int(try r.get(Int64.self))
            c.delayed = Int(try r.get(Int64.self))
            for _ in 0..<min(Int(try r.get(UInt32.self)), 64) {
                let reason = try r.string()
                c.suppressed[reason] = Int(try r.get(Int64.self))
            }
            counts.append(c)
        }
        for _ in 0..<n {
            let cs = try r.getArray(UInt32.self), ts = try r.getArray(Int64.self), flags = try r.getArray(UInt8.self)
            guard cs.count == ts.count, ts.count == flags.count else { throw CampaignStateError("the campaign exposures are inconsistent") }
            exposures.append((0..<cs.count).map { Exposure(customer: cs[$0], time: ts[$0], heldOut: flags[$0] & 1 != 0, converted: flags[$0] & 2 != 0) })
        }
        for _ in 0..<n {
            let keys = try r.getArray(UInt32.self), values = try r.getArray(Int64.self)
            guard keys.count == values.count else { throw CampaignStateError("the campaign cooldowns are inconsistent") }
            lastQualified.append(Dictionary(zip(keys, values), uniquingKeysWith: { a, _ in a }))
        }
        for _ in 0..<n { pendingAfter.append(Set(try r.getArray(UInt32.self))) }
        if f == 1 {
            _ = try r.getArray(UInt64.self)  // per-customer inactivity timer bits, and the customers seen since the flush
            _ = try r.getArray(UInt64.self)
            _ = try r.get(UInt8.self)
            quietScanned = nil
        } else {
            let known = try r.get(UInt8.self)
            let clock = try r.get(Int64.self)
            quietScanned = known == 0 ? nil : clock
        }
        let dues = try r.getArray(Int64.self), tcs = try r.getArray(UInt32.self), tslots = try r.getArray(UInt32.self)
        let deliveries = try r.getArray(UInt8.self)
        guard dues.count == tcs.count, tcs.count == tslots.count, tslots.count == deliveries.count else {
            throw CampaignStateError("the campaign timers are inconsistent")
        }
        timers = (0..<dues.count).map { CampaignTimer(due: dues[$0], customer: tcs[$0], slot: tslots[$0], isDelivery: deliveries[$0] != 0) }
        for _ in 0..<Int(try r.get(UInt32.self)) {
            let slot = try r.get(UInt32.self)
            delayedMessages[slot] = try r.decision()
        }
        nextDelayedSlot = try r.get(UInt32.self)
        for _ in 0..<Int(try r.get(UInt32.self)) {
            let c = try r.get(UInt32.self)
            sent[c] = try r.getArray(Int64.self)
        }
        for _ in 0..<Int(try r.get(UInt32.self)) {
            let time = try r.get(Int64.self), customer = try r.get(UInt32.self), trigger = Int(try r.get(UInt32.self))
            let name = try r.string()
            guard let cause = CampaignRunner.Cause(rawValue: name) else { throw CampaignStateError("the campaign state is damaged (a candidate caused by \"\(name)\")") }
            candidates.append(CampaignRunner.Candidate(time: time, customer: customer, trigger: trigger, cause: cause, note: try r.string()))
        }
        var lists: [[CampaignDecision]] = []
        for _ in 0..<3 {
            var list: [CampaignDecision] = []
            for _ in 0..<Int(try r.get(UInt32.self)) { list.append(try r.decision()) }
            lists.append(list)
        }
        pendingDecisions = lists[0]
        firedFeed = lists[1]
        suppressedFeed = lists[2]
        generation = Int(try r.get(Int64.self))
        settled = Int(try r.get(Int64.self))
        timersRun = Int(try r.get(Int64.self))
        if f >= 3, try r.get(UInt8.self) != 0 {
            var baseline: [[UInt64]] = []
            for _ in 0..<n { baseline.append(try r.getArray(UInt64.self)) }
            scoreBaseline = baseline
        }
        guard r.isAtEnd else { throw CampaignStateError("the campaign state has \(bytes.count - r.at) bytes past its end") }
        try check()
    }

    /// The header alone (the first ``headerBytes`` bytes), as the checkpoint reads it inside its transaction.
    public static func header(_ bytes: [UInt8]) -> (fingerprint: UInt64, epoch: UInt64, suppressedSequence: Int)? {
        var r = StateReader(bytes)
        guard let f = try? r.get(UInt8.self), (1...format).contains(f), let fp = try? r.get(UInt64.self), let epoch = try? r.get(UInt64.self),
              let seq = try? r.get(Int64.self) else { return nil }
        return (fp, epoch, Int(seq))
    }

    /// Indexes in range: timers' triggers, decisions' triggers, delivery timers' messages.
    private func check() throws(CampaignStateError) {
        let n = counts.count
        for t in timers {
            if t.isDelivery ? delayedMessages[t.slot] == nil : Int(t.slot) >= n {
                throw CampaignStateError("a campaign timer points at no \(t.isDelivery ? "waiting message" : "trigger")")
            }
        }
        for d in delayedMessages.values + pendingDecisions + firedFeed + suppressedFeed where d.triggerIndex < 0 || d.triggerIndex >= n {
            throw CampaignStateError("a campaign decision points at no trigger")
        }
        for c in candidates where c.trigger < 0 || c.trigger >= n { throw CampaignStateError("a campaign candidate points at no trigger") }
    }
}

extension CampaignRunner {
    /// A hash of the triggers' names and rules (``CampaignTrigger/summary``), in order: a saved state is only
    /// applied to a runner with the same fingerprint (its indexes, timers and cooldowns mean the same).
    public static func fingerprint(_ configuration: CampaignsConfiguration) -> UInt64 {
        var text = "campaign-triggers\u{1F}\(configuration.triggers.count)"
        for t in configuration.triggers { text += "\u{1E}" + t.name + "\u{1F}" + t.summary }
        return hashString(text)
    }

    public var fingerprint: UInt64 { Self.fingerprint(configuration) }

    /// The mutable state as plain values (see ``CampaignRunnerState``); `engineLines`: the engine's line count.
    public func exportState(engineLines: Int = 0) -> CampaignRunnerState {
        var s = CampaignRunnerState(fingerprint: fingerprint, epoch: epoch, suppressedSequence: suppressedSequence, engineLines: engineLines)
        s.counts = counts
        s.exposures = exposures
        s.lastQualified = triggers.indices.map { guards.qualifiedTable($0) }
        s.pendingAfter = (0..<triggers.count).map { Set(flags.members(pendingLane + $0)) }
        s.quietScanned = ledgerStale ? restoredScan : ledger.scanned
        s.timers = timers.all
        s.delayedMessages = delayedMessages
        s.nextDelayedSlot = nextDelayedSlot
        s.sent = guards.sentTable
        // Each with its "because" written out (the state keeps the text, whatever the facts say later).
        s.candidates = candidates.map { c in
            var c = c
            if c.note == nil, c.trigger < facts.count { c.note = facts[c.trigger].because(c) }
            return c
        }
        s.pendingDecisions = pendingDecisions
        s.firedFeed = firedFeed
        s.suppressedFeed = suppressedFeed
        s.generation = generation
        s.settled = settled
        s.timersRun = timersRun
        s.scoreBaseline = scores.customerCount > 0 ? scoreBaseline(of: scores) : restoredScoreBaseline
        return s
    }

    /// ``CampaignRunnerState/scoreBaseline`` of a score table: per score trigger, the customers on the near side
    /// of its threshold.
    func scoreBaseline(of table: SegmentScoreTable) -> [[UInt64]] {
        triggers.map { trigger in
            guard case .score(let score, let rises, let threshold) = trigger.condition else { return [] }
            var words = [UInt64](repeating: 0, count: (table.customerCount + 63) / 64)
            for c in 0..<table.customerCount {
                guard let v = table.value(score, customer: UInt32(c)), rises ? v <= threshold : v >= threshold else { continue }
                words[c >> 6] |= 1 << UInt64(c & 63)
            }
            return words
        }
    }

    /// The state as one blob (``CampaignRunnerState/encoded()``).
    public func encodedState(engineLines: Int = 0) -> [UInt8] { exportState(engineLines: engineLines).encoded() }

    /// Continues from a saved state: what the runner had decided, armed and counted. The configuration, the
    /// ids delivered, the score table, ``emitsDecisions`` and ``logsSuppressed`` stay this runner's.
    /// - Throws: ``CampaignStateError`` when the state was made with other triggers (another fingerprint);
    ///   the runner is then unchanged.
    public mutating func restoreState(_ s: CampaignRunnerState) throws(CampaignStateError) {
        join()
        guard s.fingerprint == fingerprint, s.counts.count == triggers.count else {
            throw CampaignStateError("the triggers changed since the state was saved")
        }
        counts = s.counts
        exposures = s.exposures
        // The waits from the state; the rules false for good and the `when` bits are found again.
        flags = TriggerBits(lanes: 3 * triggers.count)
        for (t, waiting) in s.pendingAfter.enumerated() where t < triggers.count {
            for c in waiting { flags.insert(pendingLane + t, c) }
        }
        when.stale = when.any
        timers = TimerWheel()
        for t in s.timers {
            // A format 1 state's inactivity timers: the rebuilt buckets take over.
            if s.quietScanned == nil, !t.isDelivery, Int(t.slot) < triggers.count, case .inactivity = triggers[Int(t.slot)].condition { continue }
            timers.add(t)
        }
        // The inactivity buckets are rebuilt from the engine's profiles at the next event or flush.
        restoredScan = s.quietScanned
        ledgerStale = !ledger.isEmpty
        delayedMessages = s.delayedMessages
        nextDelayedSlot = s.nextDelayedSlot
        candidates = s.candidates
        pendingDecisions = s.pendingDecisions
        firedFeed = s.firedFeed
        suppressedFeed = s.suppressedFeed
        generation = s.generation + 1
        settled = s.settled
        timersRun = s.timersRun
        epoch = s.epoch
        suppressedSequence = s.suppressedSequence
        suppressedLog = []
        guards = .restored(qualified: s.lastQualified, sent: s.sent, exposures: exposures)
        keysSent = CustomerBits()
        namesBound = -1
        // The first score table after the restore is judged against the sides saved (the table is not kept).
        restoredScoreBaseline = s.scoreBaseline
    }

    /// ``restoreState(_:)`` from a blob.
    public mutating func restoreState(_ bytes: [UInt8]) throws(CampaignStateError) {
        try restoreState(try CampaignRunnerState(decoding: bytes))
    }

    /// The suppressed and held-out decisions numbered after `sequence` still kept (oldest first).
    public func suppressedDecisions(after sequence: Int) -> [LoggedDecision] {
        guard let first = suppressedLog.first, sequence < suppressedSequence else { return [] }
        if sequence < first.sequence { return suppressedLog }
        return Array(suppressedLog.drop { $0.sequence <= sequence })
    }
}

// MARK: - Bytes

/// Little-endian values, strings and arrays of plain values into bytes.
struct StateWriter {
    private(set) var bytes: [UInt8] = []

    mutating func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func put(_ v: Double) { put(v.bitPattern) }

    mutating func put(_ s: String) {
        let utf8 = Array(s.utf8)
        put(UInt32(utf8.count))
        bytes += utf8
    }

    mutating func putArray<T: BitwiseCopyable>(_ a: [T]) {
        put(UInt32(a.count))
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    mutating func put(_ d: CampaignDecision) {
        put(d.id.high)
        put(d.id.low)
        put(d.trigger)
        put(UInt32(d.triggerIndex))
        put(d.customer)
        put(d.customerKey)
        put(UInt8(MessageChannel.allCases.firstIndex(of: d.channel) ?? 0))
        put(d.template)
        put(UInt32(d.payload.count))
        for (name, value) in d.payload {
            put(name)
            switch value {
            case .number(let v): put(UInt8(0)); put(v)
            case .text(let s): put(UInt8(1)); put(s)
            case .bool(let b): put(UInt8(2)); put(UInt8(b ? 1 : 0))
            }
        }
        put(d.causeTime)
        put(d.sendTime)
        put(d.because)
        put(UInt8(d.suppressed.flatMap { SuppressionReason.allCases.firstIndex(of: $0) }.map { $0 + 1 } ?? 0))
        put(UInt8(d.delayed ? 1 : 0))
    }
}

/// Reads what ``StateWriter`` wrote; every read is bounds-checked.
struct StateReader {
    private let bytes: [UInt8]
    private(set) var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { at == bytes.count }

    mutating func get<T: FixedWidthInteger>(_: T.Type = T.self) throws(CampaignStateError) -> T {
        let n = MemoryLayout<T>.size
        guard at + n <= bytes.count else { throw CampaignStateError("the campaign state ends early") }
        var v = T.zero
        withUnsafeMutableBytes(of: &v) { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<at + n])) }
        }
        at += n
        return T(littleEndian: v)
    }

    mutating func string() throws(CampaignStateError) -> String {
        let n = Int(try get(UInt32.self))
        guard at + n <= bytes.count else { throw CampaignStateError("the campaign state holds a text past its end") }
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }

    mutating func getArray<T: BitwiseCopyable>(_: T.Type = T.self) throws(CampaignStateError) -> [T] {
        let count = Int(try get(UInt32.self))
        let n = count * MemoryLayout<T>.stride
        guard at + n <= bytes.count else { throw CampaignStateError("the campaign state holds an array past its end") }
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if n > 0 {
                bytes.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<at + n]))
                }
            }
            initialized = count
        }
        at += n
        return out
    }

    mutating func decision() throws(CampaignStateError) -> CampaignDecision {
        let id = ActionID(high: try get(UInt64.self), low: try get(UInt64.self))
        let trigger = try string()
        let index = Int(try get(UInt32.self))
        let customer = try get(UInt32.self)
        let key = try string()
        let channel = Int(try get(UInt8.self))
        guard channel < MessageChannel.allCases.count else { throw CampaignStateError("a campaign decision has an unknown channel") }
        let template = try string()
        var payload: [(name: String, value: PayloadValue)] = []
        for _ in 0..<min(Int(try get(UInt32.self)), 4096) {
            let name = try string()
            switch try get(UInt8.self) {
            case 0: payload.append((name, .number(Double(bitPattern: try get(UInt64.self)))))
            case 1: payload.append((name, .text(try string())))
            case 2: payload.append((name, .bool(try get(UInt8.self) != 0)))
            default: throw CampaignStateError("a campaign payload value has an unknown kind")
            }
        }
        let cause = try get(Int64.self), send = try get(Int64.self)
        let because = try string()
        let reason = Int(try get(UInt8.self))
        guard reason <= SuppressionReason.allCases.count else { throw CampaignStateError("a campaign decision has an unknown reason") }
        let delayed = try get(UInt8.self) != 0
        return CampaignDecision(id: id, trigger: trigger, triggerIndex: index, customer: customer, customerKey: key,
                                channel: MessageChannel.allCases[channel], template: template, payload: payload, causeTime: cause,
                                sendTime: send, because: because, suppressed: reason == 0 ? nil : SuppressionReason.allCases[reason - 1],
                                delayed: delayed)
    }
}

/// The campaign part of a checkpoint, copied in O(1) under the ingest lock (``IngestPipeline/campaignsSnapshot``)
/// and encoded off it (``checkpoint()``).
public struct CampaignsSnapshot: Sendable {
    public var runner: CampaignRunner?
    public var saved: CampaignRunnerState?
    public var engineLines: Int

    public init(runner: CampaignRunner?, saved: CampaignRunnerState?, engineLines: Int) {
        self.runner = runner
        self.saved = saved
        self.engineLines = engineLines
    }

    /// Something changed since a checkpoint with this key (the runner's decisions and timers run).
    public var changeKey: Int { (runner?.generation ?? -1) &* 31 &+ (runner?.timersRun ?? 0) }

    /// The blob and the suppressed decisions to store; nil when there is no campaign state (no runner, none saved).
    public func checkpoint() -> CampaignsCheckpoint? {
        if let runner {
            return CampaignsCheckpoint(state: runner.encodedState(engineLines: engineLines), epoch: runner.epoch,
                                       sequence: runner.suppressedSequence, suppressed: runner.suppressedDecisions(after: 0))
        }
        if let saved {
            return CampaignsCheckpoint(state: saved.encoded(), epoch: saved.epoch, sequence: saved.suppressedSequence, suppressed: [])
        }
        return nil
    }
}

/// What a checkpoint writes of the campaign triggers: the runner's state blob, and its latest suppressed and
/// held-out decisions (the store writes those numbered after the ones it holds of the same epoch).
public struct CampaignsCheckpoint: Sendable {
    public var state: [UInt8]
    public var epoch: UInt64
    public var sequence: Int
    public var suppressed: [LoggedDecision]

    public init(state: [UInt8], epoch: UInt64, sequence: Int, suppressed: [LoggedDecision]) {
        self.state = state
        self.epoch = epoch
        self.sequence = sequence
        self.suppressed = suppressed
    }
}

/// Renumbers the campaign runner's customer ids after an erasure (old dense ids, ascending): an erased
/// customer's entries go, the others take their new id. Shared by the runner and its saved state.
struct CustomerRenumbering {
    let erased: [UInt32]
    private let gone: Set<UInt32>

    init(erased: [UInt32]) {
        self.erased = erased
        gone = Set(erased)
    }

    func id(_ c: UInt32) -> UInt32? { Engine.renumbered(c, afterErasing: erased) }

    func keys<V>(_ d: [UInt32: V]) -> [UInt32: V] {
        var out: [UInt32: V] = [:]
        for (c, v) in d { if let n = id(c) { out[n] = v } }
        return out
    }

    func set(_ s: Set<UInt32>) -> Set<UInt32> { Set(s.compactMap(id)) }

    /// A bit per customer (64 to a word), renumbered.
    func bits(_ words: [UInt64]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: words.count)
        for (w, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                let c = UInt32(w * 64 + rest.trailingZeroBitCount)
                rest &= rest - 1
                if let n = id(c) { out[Int(n >> 6)] |= 1 << UInt64(n & 63) }
            }
        }
        return out
    }

    /// An array indexed by customer, without the erased ones' slots.
    func perCustomer<T>(_ a: [T]) -> [T] { a.enumerated().compactMap { gone.contains(UInt32($0.offset)) ? nil : $0.element } }

    func decisions(_ list: [CampaignDecision]) -> [CampaignDecision] {
        list.compactMap { d in id(d.customer).map { var d = d; d.customer = $0; return d } }
    }

    func delayed(_ d: [UInt32: CampaignDecision]) -> [UInt32: CampaignDecision] {
        d.compactMapValues { d in id(d.customer).map { var d = d; d.customer = $0; return d } }
    }

    func timer(_ t: CampaignTimer) -> CampaignTimer? { id(t.customer).map { var t = t; t.customer = $0; return t } }

    func exposures(_ lists: [[Exposure]]) -> [[Exposure]] {
        lists.map { list in list.compactMap { e in id(e.customer).map { var e = e; e.customer = $0; return e } } }
    }

    func candidates(_ list: [CampaignRunner.Candidate]) -> [CampaignRunner.Candidate] {
        list.compactMap { c in id(c.customer).map { var c = c; c.customer = $0; return c } }
    }
}
