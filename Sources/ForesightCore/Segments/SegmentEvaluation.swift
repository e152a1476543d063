/// The fixed layout of a membership's evaluation, in a class so that a flush takes one reference to it
/// and reads its arrays through buffers while the membership itself is being updated.
final class SegmentLayout: Sendable {
    /// Evaluation order: a segment after the segments it refers to.
    let order: [Int]
    /// Each segment's program, unretained: the membership's `programs` keeps them alive. Evaluating
    /// through `_withUnsafeGuaranteedRef` costs no retain per segment and customer.
    let programs: [Unmanaged<RuleProgram>]
    let labelStarts: [Int]
    let eventStarts: [Int]
    let targetStarts: [Int]
    let flatTargets: [Int32]
    let reads: [RuleInputs]

    init(order: [Int], programs: [RuleProgram], labelStarts: [Int], eventStarts: [Int], targetStarts: [Int],
         flatTargets: [Int32], reads: [RuleInputs]) {
        self.order = order
        self.programs = programs.map { Unmanaged.passUnretained($0) }
        self.labelStarts = labelStarts
        self.eventStarts = eventStarts
        self.targetStarts = targetStarts
        self.flatTargets = flatTargets
        self.reads = reads
    }
}

/// Buffers over a ``SegmentLayout``, the bound ids and a scratch array of results, valid inside
/// ``SegmentMembership/withEvaluation(layout:labels:events:segments:_:)`` only.
struct SegmentEvalBuffers {
    let order: UnsafeBufferPointer<Int>
    let programs: UnsafeBufferPointer<Unmanaged<RuleProgram>>
    let labelStarts: UnsafeBufferPointer<Int>
    let eventStarts: UnsafeBufferPointer<Int>
    let targetStarts: UnsafeBufferPointer<Int>
    let targets: UnsafeBufferPointer<Int32>
    let reads: UnsafeBufferPointer<RuleInputs>
    let labels: UnsafeBufferPointer<UInt32>
    let events: UnsafeBufferPointer<UInt16>
    /// One result per segment, overwritten by each customer's evaluation.
    let results: UnsafeMutableBufferPointer<RuleResult>
}

extension SegmentMembership {
    /// Calls `body` with buffers over the evaluation layout and the bound ids, for many customers'
    /// evaluations in a row. Static, taking copies of the membership's references, so that `body` may
    /// update the membership (no access to it is held open).
    static func withEvaluation<R>(layout: SegmentLayout, labels: [UInt32], events: [UInt16], segments: Int,
                                  _ body: (SegmentEvalBuffers) -> R) -> R {
        withExtendedLifetime(layout) {
            layout.order.withUnsafeBufferPointer { order in
                layout.programs.withUnsafeBufferPointer { programs in
                    layout.labelStarts.withUnsafeBufferPointer { labelStarts in
                        layout.eventStarts.withUnsafeBufferPointer { eventStarts in
                            layout.targetStarts.withUnsafeBufferPointer { targetStarts in
                                layout.flatTargets.withUnsafeBufferPointer { targets in
                                    layout.reads.withUnsafeBufferPointer { reads in
                                        labels.withUnsafeBufferPointer { labels in
                                            events.withUnsafeBufferPointer { events in
                                                withUnsafeTemporaryAllocation(of: RuleResult.self, capacity: max(1, segments)) { results in
                                                    results.initialize(repeating: RuleResult(value: false))
                                                    return body(SegmentEvalBuffers(
                                                        order: order, programs: programs, labelStarts: labelStarts,
                                                        eventStarts: eventStarts, targetStarts: targetStarts, targets: targets,
                                                        reads: reads, labels: labels, events: events, results: results))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// ``withEvaluation(layout:labels:events:segments:_:)`` for this membership's current bindings.
    func evaluationScope<R>(_ body: (SegmentEvalBuffers) -> R) -> R {
        Self.withEvaluation(layout: layout, labels: flatLabelIDs, events: flatEventIDs, segments: segments.count, body)
    }
}

/// Where a customer's stage scan stopped: its counts per base stage, the stages reached, and the entries
/// scanned (the first `scanned` entries of her timeline, the last at `lastTime`). Her next event continues
/// the scan from there instead of rescanning her whole timeline, unless that prefix changed (an entry at or
/// before `lastTime` arrived late, or an order event, which can change what an earlier entry counts for).
struct StageProgress: Sendable {
    var counts: (UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0)
    var reachedBits: UInt8 = 0
    /// ``LifecycleStage`` raw value; 255: no scan kept.
    var reached: UInt8 = 255
    var scanned: UInt32 = 0
    var lastTime: Int64 = .min

    static let none = StageProgress()
}

extension StageRules {
    /// The stage reached by the customer's events up to `now`, continuing `progress` when her timeline's
    /// scanned prefix is unchanged (exact: a late entry at or before the last scanned time is detected,
    /// since it would sit at index `scanned`), else scanning from the start; `progress` is updated.
    /// - Parameter rescan: scan from the start (an order changed: a cancellation changes what an earlier
    ///   order entry counts for).
    func reachedStage(in p: UnsafePointer<Profile>, asOf now: Int64, progress: inout StageProgress, rescan: Bool) -> LifecycleStage {
        let count = p.pointee.timeline.count
        var scan = StageScan(rules: self)
        var start = 0
        let n = Int(progress.scanned)
        if !rescan, progress.reached != 255, n > 0, n <= count, p.pointee.timeline[n - 1].time == progress.lastTime,
           n == count || p.pointee.timeline[n].time > progress.lastTime {
            let c = progress.counts
            scan.counts = SIMD8<Int32>(Int32(c.0), Int32(c.1), Int32(c.2), Int32(c.3), Int32(c.4), 0, 0, 0)
            scan.reachedBits = progress.reachedBits
            scan.reached = LifecycleStage(rawValue: Int(progress.reached)) ?? .awareness
            start = n
        }
        var i = start
        while i < count {
            let e = p.pointee.timeline[i]
            if e.time > now { break }
            scan.add(e) { k in k < p.pointee.orders.count ? p.pointee.orders[k] : nil }
            i += 1
        }
        if i > 0 && i == count {
            let c = scan.counts
            func clamp(_ v: Int32) -> UInt16 { UInt16(clamping: v) }
            progress = StageProgress(counts: (clamp(c[0]), clamp(c[1]), clamp(c[2]), clamp(c[3]), clamp(c[4])),
                                     reachedBits: scan.reachedBits, reached: UInt8(scan.reached.rawValue),
                                     scanned: UInt32(i), lastTime: p.pointee.timeline[i - 1].time)
        } else {
            // Entries after `now` (a clock behind the log): nothing is kept.
            progress = .none
        }
        return scan.reached
    }
}
