/// A set of the inputs rules read: profile fields, traits, scores and the timeline. An event changes
/// some of them; a segment whose rule reads none of them keeps its answer without being evaluated.
public struct RuleInputs: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The input a field reads.
    public init(_ field: RuleField) {
        rawValue = 1 << UInt64(RuleField.allCases.firstIndex(of: field) ?? 63)
    }

    /// ``changed(byEvent:)`` of every ``KnownEvent`` id, by id (built once; the ingest path looks it up
    /// per event instead of building the set).
    static let changedByKnownEvent: [RuleInputs] = KnownEvent.allCases.map { changed(byEvent: $0.rawValue) }

    /// The timeline, read by `count(...)` windows.
    public static let timeline = RuleInputs(rawValue: 1 << 62)
    /// An earlier order's record changed (cancelled, updated, refunded): what its completion counts for in the
    /// stage may have changed, so the customer's stage scan starts over instead of continuing. A new order
    /// only adds an entry at the end, which the continued scan reads.
    public static let orderHistory = RuleInputs(rawValue: 1 << 61)
    public static let all = RuleInputs(rawValue: .max)

    /// The model scores (a new scoring run changes them).
    public static let scores: RuleInputs = [.init(.churnRisk), .init(.pAlive), .init(.clv), .init(.expectedOrders)]
    /// The traits of an `identify` call.
    public static let traits: RuleInputs = [.init(.country), .init(.city), .init(.plan), .init(.age), .init(.emailOptIn), .init(.smsOptIn)]

    /// What the clock alone changes: the day fields, the 30-day sessions, the stage's thresholds and
    /// the windowed counts. A timer re-evaluates only the segments reading one of them.
    public static let clock: RuleInputs = [.init(.recencyDays), .init(.daysSinceOrder), .init(.tenureDays),
                                           .init(.sessions30d), .init(.stage), .timeline]

    /// What any event changes: its time (recency, tenure, stage), the event and session counts, and
    /// the timeline.
    static let everyEvent: RuleInputs = [.init(.recencyDays), .init(.tenureDays), .init(.events), .init(.sessions),
                                         .init(.sessions30d), .init(.stage), .timeline]

    /// The inputs an event of a name changes (``KnownEvent`` ids; any other name changes only what
    /// every event changes).
    public static func changed(byEvent name: UInt16) -> RuleInputs {
        var set = everyEvent
        switch KnownEvent(rawValue: name) {
        case .pageViewed?, .screenViewed?: set.insert(.init(.pageViews))
        case .productViewed?: set.insert(.init(.productViews))
        case .productAdded?: set.insert(.init(.cartAdds))
        case .checkoutStarted?: set.insert(.init(.checkouts))
        case .emailOpened?: set.insert(.init(.emailOpens))
        case .emailLinkClicked?: set.insert(.init(.emailClicks))
        case .supportTicketOpened?: set.insert(.init(.supportTickets))
        case .identify?: set.formUnion(.traits)
        case .orderCompleted?:
            set.formUnion([.init(.orders), .init(.revenue), .init(.aov), .init(.refunds), .init(.daysSinceOrder)])
        case .orderUpdated?, .orderCancelled?, .orderRefunded?:
            set.formUnion([.init(.orders), .init(.revenue), .init(.aov), .init(.refunds), .init(.daysSinceOrder), .orderHistory])
        default: break
        }
        return set
    }
}

extension RuleAtom {
    /// The inputs the atom reads (a segment reference reads what the referenced rule reads, which
    /// ``SegmentMembership`` adds).
    var reads: RuleInputs {
        switch test {
        case .number(let f, _), .text(let f, _, _, _), .bool(let f, _): return RuleInputs(f)
        // The stage follows orders, advocacy, views, carts and checkouts, and the time of the last event.
        case .stage: return [.init(.stage), .init(.orders), .init(.productViews), .init(.cartAdds), .init(.checkouts),
                             .init(.recencyDays), .timeline]
        case .count: return .timeline
        case .segment: return []
        }
    }
}

extension RuleProgram {
    /// The inputs the program's atoms read.
    var reads: RuleInputs { atoms.reduce(into: RuleInputs()) { $0.formUnion($1.reads) } }
}
