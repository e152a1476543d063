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
