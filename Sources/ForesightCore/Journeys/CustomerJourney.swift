/// One customer's journey: her timeline grouped by session, with stage changes, orders, tickets, the
/// campaign messages she received and what came of them, and her pain points.
public struct CustomerJourney: Sendable, Equatable {
    public var customer: String
    public var now: Int64
    /// The current stage (with the churn risk when one was given).
    public var stage: LifecycleStage
    public var stageHistory: [StageChange]
    public var sessions: [JourneySession]
    public var painPoints: [PainPoint]
}

/// One session of a journey: events no further apart than the session gap.
public struct JourneySession: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    /// Channels used, in order of first use.
    public var channels: [Channel]
    public var touchpoints: [Touchpoint]
    public var stageChanges: [StageChange]
    public var orders: [JourneyOrder]
    public var tickets: [JourneyTicket]
    public var campaigns: [CampaignMessage]
    public var painPoints: [PainPoint]
}

/// One event of a session.
public struct Touchpoint: Sendable, Equatable {
    public var time: Int64
    public var event: String
    public var channel: Channel
    /// Product, category, page, campaign or order.
    public var item: String?
    public var amount: Double?
}

public struct JourneyOrder: Sendable, Equatable {
    public var time: Int64
    public var revenue: Double
    public var items: Int
    public var cancelled: Bool
}

public struct JourneyTicket: Sendable, Equatable {
    public var time: Int64
    public var sentiment: Double?
}

/// A campaign message delivered, and the furthest response to it within ``CampaignMessage/responseWindowMs``.
public struct CampaignMessage: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable, Codable {
        case noResponse = "no response", bounced, unsubscribed, opened, clicked, ordered
    }
    public var time: Int64
    public var campaign: String?
    public var outcome: Outcome
    /// Responses counted: events of the same campaign (or an order) within 7 days of delivery.
    public static let responseWindowMs: Int64 = 7 * 86_400_000
}

extension Engine {
    /// The journey of the customer with key `id` at `now`.
    /// - Throws: ``JourneyError/unknownCustomer(_:)`` for a key not in the log.
    public func journey(customerID id: String, rules: StageRules = StageRules(), now: Int64,
                        churnRisk: Double? = nil) throws(JourneyError) -> CustomerJourney {
        guard let c = customers.lookup(id), Int(c) < profiles.count else {
            let near = customers.ids(containing: id).prefix(3).map { customers.string($0) }
            throw .unknownCustomer("no customer '\(id)' in this log" + (near.isEmpty ? "" : " (similar: \(near.joined(separator: ", ")))"))
        }
        return journey(c, rules: rules, now: now, churnRisk: churnRisk)
    }

    /// The journey of customer `c` at `now`. - Complexity: O(events of the customer).
    public func journey(_ c: UInt32, rules: StageRules = StageRules(), now: Int64, churnRisk: Double? = nil) -> CustomerJourney {
        let rules = rules.bound(to: eventNames)
        let p = profiles[Int(c)]
        let history = rules.history(p, now: now, churnRisk: churnRisk)
        let pains = Self.painPoints(p.timeline, now: now, sessionGapMs: config.sessionGapMs)
        let t = p.timeline
        var sessions: [JourneySession] = []
        var i = 0
        while i < t.count && t[i].time <= now {
            var j = i + 1
            while j < t.count && t[j].time <= now && t[j].time - t[j - 1].time <= config.sessionGapMs { j += 1 }
            sessions.append(session(c, p, i..<j, now: now))
            i = j
        }
        // Stage changes and pain points go to the session they happened in (inactivity changes: the one before).
        for change in history {
            let k = max(0, (sessions.lastIndex { $0.start <= change.time }) ?? 0)
            if k < sessions.count { sessions[k].stageChanges.append(change) }
        }
        for pain in pains {
            if let k = sessions.lastIndex(where: { $0.start <= pain.time }) { sessions[k].painPoints.append(pain) }
        }
        return CustomerJourney(customer: customers.string(c), now: now, stage: history.last?.stage ?? .awareness,
                               stageHistory: history, sessions: sessions, painPoints: pains)
    }

    private func session(_ c: UInt32, _ p: Profile, _ range: Range<Int>, now: Int64) -> JourneySession {
        let t = p.timeline
        var s = JourneySession(start: t[range.lowerBound].time, end: t[range.upperBound - 1].time, channels: [], touchpoints: [],
                               stageChanges: [], orders: [], tickets: [], campaigns: [], painPoints: [])
        for i in range {
            let e = t[i]
            if e.channel != .none && !s.channels.contains(e.channel) { s.channels.append(e.channel) }
            s.touchpoints.append(Touchpoint(time: e.time, event: eventNames.string(UInt32(e.name)), channel: e.channel,
                                            item: itemText(e, customer: c), amount: e.value.isNaN ? nil : Double(e.value)))
            switch KnownEvent(rawValue: e.name) {
            case .orderCompleted?:
                if e.kind == .order, Int(e.item) < p.orders.count, p.orders[Int(e.item)].time == e.time {
                    let o = p.orders[Int(e.item)]
                    s.orders.append(JourneyOrder(time: e.time, revenue: roundCents(o.revenue), items: Int(o.productCount), cancelled: o.cancelled))
                }
            case .supportTicketOpened?:
                s.tickets.append(JourneyTicket(time: e.time, sentiment: e.value.isNaN ? nil : Double(e.value)))
            case .emailDelivered?:
                s.campaigns.append(CampaignMessage(time: e.time, campaign: e.kind == .campaign ? labels.string(e.item) : nil,
                                                   outcome: Self.outcome(of: i, in: t, now: now)))
            default: break
            }
        }
        return s
    }

    /// The furthest response to the message delivered at `t[i]`: an order within the window after an open or
    /// click, else a click, an open, an unsubscribe or a bounce of the same campaign.
    static func outcome(of i: Int, in t: [TimelineEntry], now: Int64) -> CampaignMessage.Outcome {
        let d = t[i]
        let sameCampaign = { (e: TimelineEntry) in d.kind != .campaign || (e.kind == .campaign && e.item == d.item) }
        var result = CampaignMessage.Outcome.noResponse
        func rank(_ o: CampaignMessage.Outcome) -> Int {
            switch o {
            case .noResponse: return 0
            case .bounced: return 1
            case .unsubscribed: return 2
            case .opened: return 3
            case .clicked: return 4
            case .ordered: return 5
            }
        }
        var j = i + 1
        while j < t.count && t[j].time <= now && t[j].time - d.time <= CampaignMessage.responseWindowMs {
            let e = t[j]
            var o: CampaignMessage.Outcome?
            switch KnownEvent(rawValue: e.name) {
            case .emailDelivered?: if sameCampaign(e) && e.kind == .campaign { j = t.count; continue }
            case .emailOpened?: if sameCampaign(e) { o = .opened }
            case .emailLinkClicked?: if sameCampaign(e) { o = .clicked }
            case .unsubscribed?: if sameCampaign(e) { o = .unsubscribed }
            case .emailBounced?: if sameCampaign(e) { o = .bounced }
            case .orderCompleted?: if rank(result) >= rank(.opened) { o = .ordered }
            default: break
            }
            if let o, rank(o) > rank(result) { result = o }
            j += 1
        }
        return result
    }
}
