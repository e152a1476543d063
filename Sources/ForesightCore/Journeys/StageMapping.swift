/// Which events move a customer into each of the five base stages (`journeys.stages` in `foresight.yml`).
///
/// A base stage is reached at the event where its rule first holds: an event of one of its names (with
/// its condition, if any) has happened `minCount` times, and the stage it `requires` has been reached.
/// The current base stage is the furthest one reached; a customer with any event is at least in
/// Awareness from her first event. At Risk and Lapsed are not mapped from events: ``StageRules`` derives
/// them from the churn risk and inactivity.
public struct StageMapping: Sendable, Equatable {
    /// One rule per base stage, in stage order (Awareness … Advocacy).
    public var rules: [StageRule]

    public init(rules: [StageRule]) {
        var byStage = Self.baseStages.map { StageRule(stage: $0) }
        for r in rules where r.stage.isBase { byStage[r.stage.rawValue] = r }
        self.rules = byStage
    }

    /// The stages events can reach, in order.
    public static let baseStages: [LifecycleStage] = [.awareness, .consideration, .purchase, .retention, .advocacy]

    /// The default mapping, as `Data/foresight.yml` writes it. `Checkout Started` counts as Consideration:
    /// a started checkout without an order is a pain point, not a purchase.
    public static let standard = StageMapping(rules: [
        StageRule(stage: .awareness, events: [
            .init("Page Viewed"), .init("Screen Viewed"), .init("Products Searched"), .init("Product List Viewed"),
            .init("Email Opened"), .init("Email Link Clicked"),
        ]),
        StageRule(stage: .consideration, events: [
            .init("Product Viewed"), .init("Product Clicked"), .init("Product Added"), .init("Product Added to Wishlist"),
            .init("Cart Viewed"), .init("Checkout Started"),
        ]),
        StageRule(stage: .purchase, events: [.init("Order Completed")]),
        StageRule(stage: .retention, events: [.init("Order Completed")], minCount: 2),
        StageRule(stage: .advocacy, events: [
            .init("Product Reviewed", EventCondition(op: .atLeast, value: 4)), .init("Product Shared"), .init("Referral Sent"),
        ], requires: .purchase),
    ])

    /// Every event name the mapping reads.
    public var eventNames: [String] { rules.flatMap { $0.events.map(\.name) } }
}

/// The rule of one base stage.
public struct StageRule: Sendable, Equatable {
    public var stage: LifecycleStage
    /// Alternatives: any of these events counts.
    public var events: [StageEvent]
    /// How many matching events it takes (2 for repeat orders).
    public var minCount: Int
    /// A stage that must be reached first (Advocacy requires Purchase by default); nil for none.
    public var requires: LifecycleStage?

    public init(stage: LifecycleStage, events: [StageEvent] = [], minCount: Int = 1, requires: LifecycleStage? = nil) {
        self.stage = stage
        self.events = events
        self.minCount = max(1, minCount)
        self.requires = requires
    }
}

/// An event name with an optional condition on the event's value.
public struct StageEvent: Sendable, Equatable {
    public var name: String
    public var condition: EventCondition?

    public init(_ name: String, _ condition: EventCondition? = nil) {
        self.name = name
        self.condition = condition
    }

    /// As written in the configuration: `Product Reviewed where rating >= 4`.
    public var description: String { condition.map { "\(name) where \($0)" } ?? name }
}

/// A test on a timeline entry's value: the rating of a review, the sentiment of a ticket, the revenue of an
/// order, the price of a product event. An event without a value fails every condition.
public struct EventCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Op: String, Sendable, CaseIterable {
        case less = "<", atMost = "<=", greater = ">", atLeast = ">=", equal = "=", notEqual = "!="
    }
    public var op: Op
    public var value: Double
    /// The word the configuration used (`rating`, `value`, …), for messages.
    public var field: String

    public init(op: Op, value: Double, field: String = "rating") {
        self.op = op
        self.value = value
        self.field = field
    }

    /// The names a condition may read; all are the entry's value.
    public static let fields = ["rating", "sentiment", "revenue", "price", "value"]

    @inlinable
    public func holds(_ v: Float32) -> Bool {
        guard !v.isNaN else { return false }
        let x = Double(v)
        switch op {
        case .less: return x < value
        case .atMost: return x <= value
        case .greater: return x > value
        case .atLeast: return x >= value
        case .equal: return x == value
        case .notEqual: return x != value
        }
    }

    public var description: String {
        let v = value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
        return "\(field) \(op.rawValue) \(v)"
    }

    /// Parses `rating >= 4`; nil with a reason when it is not of that form.
    public static func parse(_ text: String) -> (EventCondition?, String?) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3 else { return (nil, "a condition reads 'FIELD OP NUMBER', e.g. 'rating >= 4'") }
        guard fields.contains(parts[0]) else {
            return (nil, "unknown field '\(parts[0])' in a condition (expected \(fields.joined(separator: ", ")))")
        }
        guard let op = Op(rawValue: parts[1]) else {
            return (nil, "unknown operator '\(parts[1])' (expected \(Op.allCases.map(\.rawValue).joined(separator: " ")))")
        }
        guard let value = Double(parts[2]) else { return (nil, "'\(parts[2])' is not a number") }
        return (EventCondition(op: op, value: value, field: parts[0]), nil)
    }
}

/// A mapping resolved to one engine's event-name ids, shared by every copy of the ``StageRules`` holding it.
///
/// Per name id, a byte: bit s set when the name counts unconditionally for base stage s, bit 7 when some
/// rule reads it with a condition (those are in ``conditional``).
public final class StageTable: Sendable {
    let byName: [UInt8]
    let conditional: [(name: UInt16, stage: Int, condition: EventCondition)]
    /// Names not known to every engine (custom events), looked up in an engine's interner by ``StageRules/bound(to:)``.
    let customNames: [String]
    /// How many event names the engine had when bound (a grown interner may resolve more custom names).
    let namesSeen: Int
    /// Per base stage: the entries it needs (`Int32.max`: no rule) and the stage it requires first (-1: none).
    let minCount: SIMD8<Int32>
    let requires: SIMD8<Int32>

    init(mapping: StageMapping, eventNames: Interner?) {
        var byName = [UInt8](repeating: 0, count: KnownEvent.allCases.count)
        var conditional: [(name: UInt16, stage: Int, condition: EventCondition)] = []
        var custom: [String] = []
        for rule in mapping.rules {
            for e in rule.events {
                let id: UInt16?
                if let known = KnownEvent.allCases.first(where: { $0.name == e.name }) {
                    id = known.id
                } else {
                    if !custom.contains(e.name) { custom.append(e.name) }
                    id = eventNames?.lookup(e.name).flatMap { $0 < UInt32(TimelineEntry.maxNameID) ? UInt16($0) : nil }
                }
                guard let id else { continue }
                if Int(id) >= byName.count { byName += [UInt8](repeating: 0, count: Int(id) + 1 - byName.count) }
                if let condition = e.condition {
                    byName[Int(id)] |= 0x80
                    conditional.append((id, rule.stage.rawValue, condition))
                } else {
                    byName[Int(id)] |= 1 << UInt8(rule.stage.rawValue)
                }
            }
        }
        var minCount = SIMD8<Int32>(repeating: .max), requires = SIMD8<Int32>(repeating: -1)
        for (s, r) in mapping.rules.enumerated() where s < 5 {
            minCount[s] = Int32(clamping: r.minCount)
            requires[s] = Int32(r.requires?.rawValue ?? -1)
        }
        self.minCount = minCount
        self.requires = requires
        self.byName = byName
        self.conditional = conditional
        customNames = custom
        namesSeen = eventNames?.count ?? 0
    }

    /// The base stages (bit set) an entry counts for.
    @inline(__always)
    func stages(of e: TimelineEntry) -> UInt8 {
        let name = Int(e.name)
        guard name < byName.count else { return 0 }
        let bits = byName[name]
        guard bits & 0x80 != 0 else { return bits }
        var result = bits & 0x7F
        for c in conditional where c.name == e.name && c.condition.holds(e.value) { result |= 1 << UInt8(c.stage) }
        return result
    }
}
