/// A rule's text literals and event names resolved to one engine's interned ids.
///
/// Interned ids never change, so a resolved literal stays resolved; a literal the engine has not seen
/// yet (a country no customer has sent) matches nobody and is looked up again when the interner grows.
public struct RuleBindings: Sendable, Equatable {
    /// Label id per text literal; `unresolvedLabel` while unknown to the engine.
    var labelIDs: [UInt32]
    /// Event name id per `count(...)` event; `UInt16.max` while unknown.
    var eventIDs: [UInt16]
    private var labelsSeen = -1
    private var namesSeen = -1

    /// Never a label id of a trait (``Traits`` uses `UInt32.max` for unknown).
    static let unresolvedLabel = UInt32.max - 1

    /// Bindings that resolve nothing (every text and count test sees an unknown value).
    public init(_ rule: CompiledRule) {
        labelIDs = Array(repeating: Self.unresolvedLabel, count: rule.labelLiterals.count)
        eventIDs = Array(repeating: UInt16.max, count: rule.eventLiterals.count)
    }

    /// Bindings resolved against the engine's interners.
    public init(_ rule: CompiledRule, labels: Interner, eventNames: Interner) {
        self.init(rule)
        refresh(rule, labels: labels, eventNames: eventNames)
    }

    /// Resolves the literals still unknown, when an interner has grown since the last call.
    /// - Complexity: O(1) when nothing was interned since; else O(literals).
    public mutating func refresh(_ rule: CompiledRule, labels: Interner, eventNames: Interner) {
        if labels.count != labelsSeen {
            labelsSeen = labels.count
            for (i, text) in rule.labelLiterals.enumerated() where labelIDs[i] == Self.unresolvedLabel {
                if let id = labels.lookup(text) { labelIDs[i] = id }
            }
        }
        if eventNames.count != namesSeen {
            namesSeen = eventNames.count
            for (i, name) in rule.eventLiterals.enumerated() where eventIDs[i] == UInt16.max {
                // Timeline entries clamp name ids to 14 bits; a later name would be ambiguous.
                if let id = eventNames.lookup(name), id < UInt32(TimelineEntry.maxNameID) { eventIDs[i] = UInt16(id) }
            }
        }
    }
}

extension RuleBindings {
    /// Runs `body` with the ids as unsafe buffers (evaluation retains nothing).
    func withIDs<R>(_ body: (BoundIDs) -> R) -> R {
        labelIDs.withUnsafeBufferPointer { l in eventIDs.withUnsafeBufferPointer { e in body(BoundIDs(labels: l, events: e)) } }
    }
}

/// A rule's bound ids as buffers, valid for the duration of one evaluation.
struct BoundIDs {
    var labels: UnsafeBufferPointer<UInt32>
    var events: UnsafeBufferPointer<UInt16>
}
