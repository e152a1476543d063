/// Everything the customer detail screen and `foresight journey` show about one customer, apart from
/// the timeline rows (fetched by window with ``Engine/timelineRows(_:range:)``).
public struct CustomerDetail: Sendable, Equatable, Codable {
    public var id: String
    public var email: String?
    public var name: String?
    public var country: String?
    public var city: String?
    public var plan: String?
    public var timezone: String?
    public var age: Int?
    public var emailOptIn: String
    public var smsOptIn: String
    public var firstSeen: String
    public var lastSeen: String
    public var daysSinceLastSeen: Int
    public var stage: String
    public var events: Int
    public var sessions: Int
    public var orders: Int
    public var revenue: Double
    public var refunds: Double
    public var averageOrderValue: Double
    public var pageViews: Int
    public var productViews: Int
    public var cartAdds: Int
    public var cartRemoves: Int
    public var checkouts: Int
    public var emailsDelivered: Int
    public var emailOpens: Int
    public var emailClicks: Int
    public var supportTickets: Int
    public var meanSentiment: Double?
    public var channels: [String]
    public var productsViewed: [String]
    public var productsCarted: [String]
    public var productsBought: [String]
    public var categoriesBought: [String]
    public var eventsByName: [String: Int]
}

/// One timeline event as text, for screens and the journey command.
public struct TimelineRow: Sendable, Equatable, Codable {
    public var time: String
    public var timeMs: Int64
    public var channel: String
    public var event: String
    /// Product, category, page, campaign or order shown with the event.
    public var item: String?
    public var amount: Double?
    /// The event starts a new session (gap over the session gap, or the first event).
    public var newSession: Bool
}

extension Engine {
    /// The detail of one customer at event time `now`.
    /// - Complexity: O(events of the customer).
    public func customerDetail(_ c: UInt32, now: Int64, rules: StageRules = StageRules()) -> CustomerDetail {
        let p = profiles[Int(c)]
        let t = traits(of: p)
        func label(_ id: UInt32?) -> String? { id.flatMap { $0 == UInt32.max ? nil : labels.string($0) } }
        var viewed: [UInt32: Int] = [:], carted: [UInt32: Int] = [:], byName: [UInt16: Int] = [:]
        for e in p.timeline {
            byName[e.name, default: 0] += 1
            guard e.kind == .product else { continue }
            if e.name == KnownEvent.productViewed.id { viewed[e.item, default: 0] += 1 }
            if e.name == KnownEvent.productAdded.id { carted[e.item, default: 0] += 1 }
        }
        var bought: [UInt32: Int] = [:], boughtCategories: [UInt32: Int] = [:]
        for o in p.orders where !o.cancelled {
            for k in Int(o.productStart)..<Int(o.productStart) + Int(o.productCount) {
                let product = orderProducts[k]
                bought[product, default: 0] += 1
                let category = productCategory[Int(product)]
                if category > 0 { boughtCategories[category - 1, default: 0] += 1 }
            }
        }
        func top(_ counts: [UInt32: Int], _ names: Interner) -> [String] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10).map { names.string($0.key) }
        }
        var names: [String: Int] = [:]
        for (id, n) in byName { names[eventNames.string(UInt32(id)), default: 0] += n }
        return CustomerDetail(
            id: displayKey(c), email: t?.email.map { redaction?.email($0) ?? $0 }, name: t?.name.map { redaction?.name($0) ?? $0 }, country: label(t?.country), city: label(t?.city),
            plan: label(t?.plan), timezone: label(t?.timezone), age: t.flatMap { $0.age > 0 ? Int($0.age) : nil },
            emailOptIn: (t?.emailOptIn ?? .unknown).label, smsOptIn: (t?.smsOptIn ?? .unknown).label,
            firstSeen: Timestamp.iso8601(p.firstSeen), lastSeen: Timestamp.iso8601(p.lastSeen),
            daysSinceLastSeen: Int((now - p.lastSeen) / 86_400_000), stage: rules.bound(to: eventNames).stage(p, now: now).label,
            events: Int(p.events), sessions: Int(p.sessions), orders: Int(p.orderCount),
            revenue: roundCents(p.revenue), refunds: roundCents(p.refunds), averageOrderValue: roundCents(p.averageOrderValue),
            pageViews: Int(p.pageViews), productViews: Int(p.productViews), cartAdds: Int(p.cartAdds),
            cartRemoves: Int(p.cartRemoves), checkouts: Int(p.checkouts), emailsDelivered: Int(p.emailsDelivered),
            emailOpens: Int(p.emailOpens), emailClicks: Int(p.emailClicks), supportTickets: Int(p.supportTickets),
            meanSentiment: p.meanSentiment, channels: p.channelList.map(\.label),
            productsViewed: top(viewed, products), productsCarted: top(carted, products),
            productsBought: top(bought, products), categoriesBought: top(boughtCategories, categories),
            eventsByName: names
        )
    }

    /// Timeline rows of one customer for a window of indices (chronological order).
    /// - Complexity: O(window).
    public func timelineRows(_ c: UInt32, range: Range<Int>) -> [TimelineRow] {
        let timeline = profiles[Int(c)].timeline
        let lo = max(0, range.lowerBound), hi = min(timeline.count, range.upperBound)
        guard lo < hi else { return [] }
        return (lo..<hi).map { i in
            let e = timeline[i]
            let newSession = i == 0 || e.time - timeline[i - 1].time > config.sessionGapMs
            return TimelineRow(time: Timestamp.iso8601(e.time), timeMs: e.time, channel: e.channel.label,
                               event: eventNames.string(UInt32(e.name)), item: itemText(e, customer: c),
                               amount: e.value.isNaN ? nil : Double(e.value), newSession: newSession)
        }
    }

    /// The item of a timeline entry as text: product (with category), category, page, campaign or order.
    public func itemText(_ e: TimelineEntry, customer c: UInt32) -> String? {
        switch e.kind {
        case .none: return nil
        case .product:
            let category = Int(e.item) < productCategory.count ? productCategory[Int(e.item)] : 0
            return products.string(e.item) + (category > 0 ? " (\(categories.string(category - 1)))" : "")
        case .category: return categories.string(e.item)
        case .label: return labels.string(e.item)
        case .campaign: return "campaign " + labels.string(e.item)
        case .order:
            let orders = profiles[Int(c)].orders
            guard Int(e.item) < orders.count else { return nil }
            let o = orders[Int(e.item)]
            let n = Int(o.productCount)
            let items = n == 0 ? "order" : "order of \(n) item\(n == 1 ? "" : "s")"
            return items + (o.cancelled ? ", cancelled" : "")
        }
    }
}
