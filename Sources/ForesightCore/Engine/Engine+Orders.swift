extension Engine {
    /// Applies an order event. Returns the index of the order in the customer's list (nil when the event
    /// names an order never seen) and the amount to show on the timeline.
    mutating func applyOrder(customer c: Int, name: UInt16, time: Int64, line: UnsafeRawBufferPointer) -> (Int?, Double) {
        let event = parser.event
        let key: UInt64 = event.orderId.isNonEmpty ? (parser.withBytes(event.orderId, in: line) { hashBytes($0) } | 1) : 0
        let existing = key == 0 ? nil : profiles[c].orders.firstIndex { $0.key == key }
        var amount = event.amount
        if amount.isNaN { amount = productsAmount() }

        switch KnownEvent(rawValue: name) {
        case .orderCompleted?:
            if let index = existing {
                updateOrder(customer: c, index: index, amount: amount, line: line)
                return (index, profiles[c].orders[index].revenue)
            }
            let start = UInt32(orderProducts.count)
            let count = appendOrderProducts(line: line)
            let revenue = amount.isNaN ? 0 : amount
            let day = Timestamp.day(time)
            if !profiles[c].orders.contains(where: { !$0.cancelled && Timestamp.day($0.time) == day }) {
                activity.add(.buyers, at: time)
            }
            profiles[c].orders.append(OrderRecord(key: key, time: time, revenue: revenue, productStart: start, productCount: count))
            profiles[c].orderCount += 1
            profiles[c].revenue += revenue
            if time < profiles[c].firstOrder { profiles[c].firstOrder = time }
            let lastOrder = profiles[c].lastOrder
            if time > lastOrder {
                profiles[c].lastOrder = time
                activity.move(.lastOrder, from: lastOrder == Int64.min ? nil : lastOrder, to: time)
            }
            activity.add(.orders, at: time)
            activity.addRevenue(at: time, revenue)
            stats.orders += 1
            stats.revenue += revenue
            return (profiles[c].orders.count - 1, revenue)
        case .orderUpdated?:
            guard let index = existing else { return (nil, amount) }
            updateOrder(customer: c, index: index, amount: amount, line: line)
            return (index, profiles[c].orders[index].revenue)
        case .orderCancelled?:
            guard let index = existing else { return (nil, amount) }
            if !profiles[c].orders[index].cancelled {
                let revenue = profiles[c].orders[index].revenue
                profiles[c].orders[index].cancelled = true
                profiles[c].orderCount -= 1
                profiles[c].revenue -= revenue
                activity.add(.orders, at: profiles[c].orders[index].time, -1)
                activity.addRevenue(at: profiles[c].orders[index].time, -revenue)
                stats.orders -= 1
                stats.revenue -= revenue
            }
            return (index, profiles[c].orders[index].revenue)
        case .orderRefunded?:
            // A refund without an amount refunds the whole order, when the order is known.
            let refund = amount.isNaN ? (existing.map { profiles[c].orders[$0].revenue } ?? 0) : amount
            if let index = existing { profiles[c].orders[index].refunded += refund }
            profiles[c].refunds += refund
            stats.refunds += refund
            return (existing, refund)
        default:
            return (existing, amount)
        }
    }

    /// A later event for a known order: a new amount replaces the old; new products replace the old.
    private mutating func updateOrder(customer c: Int, index: Int, amount: Double, line: UnsafeRawBufferPointer) {
        if !amount.isNaN {
            let old = profiles[c].orders[index].revenue
            profiles[c].orders[index].revenue = amount
            if !profiles[c].orders[index].cancelled {
                profiles[c].revenue += amount - old
                stats.revenue += amount - old
                activity.addRevenue(at: profiles[c].orders[index].time, amount - old)
            }
        }
        if !parser.event.products.isEmpty || parser.event.product.id.isNonEmpty {
            let start = UInt32(orderProducts.count)
            let count = appendOrderProducts(line: line)
            profiles[c].orders[index].productStart = start
            profiles[c].orders[index].productCount = count
        }
    }

    private mutating func appendOrderProducts(line: UnsafeRawBufferPointer) -> UInt16 {
        var count: UInt16 = 0
        for product in parser.event.products where product.id.isNonEmpty && count < UInt16.max {
            orderProducts.append(internProduct(product, line: line))
            count += 1
        }
        if count == 0 && parser.event.product.id.isNonEmpty {
            orderProducts.append(internProduct(parser.event.product, line: line))
            count = 1
        }
        return count
    }

    /// Sum of price × quantity over the event's products (NaN when no product has a price).
    private func productsAmount() -> Double {
        var sum = 0.0
        var any = false
        for p in parser.event.products where !p.price.isNaN {
            sum += p.price * (p.quantity.isNaN ? 1 : p.quantity)
            any = true
        }
        if !any, !parser.event.product.price.isNaN {
            let p = parser.event.product
            return p.price * (p.quantity.isNaN ? 1 : p.quantity)
        }
        return any ? sum : .nan
    }

    /// Applies the traits of an `identify` call.
    mutating func applyTraits(customer c: Int, line: UnsafeRawBufferPointer) {
        guard parser.event.hasTraits else { return }
        if profiles[c].traitsIndex == 0 {
            traits.append(Traits())
            profiles[c].traitsIndex = UInt32(traits.count)
        }
        let t = Int(profiles[c].traitsIndex) - 1
        let e = parser.event
        if let v = parser.string(e.email, in: line) { traits[t].email = v }
        if let v = parser.string(e.traitName, in: line) { traits[t].name = v }
        if e.country.isNonEmpty { traits[t].country = parser.withBytes(e.country, in: line) { labels.intern($0) } }
        if e.city.isNonEmpty { traits[t].city = parser.withBytes(e.city, in: line) { labels.intern($0) } }
        if e.plan.isNonEmpty { traits[t].plan = parser.withBytes(e.plan, in: line) { labels.intern($0) } }
        if e.timezone.isNonEmpty { traits[t].timezone = parser.withBytes(e.timezone, in: line) { labels.intern($0) } }
        if !e.age.isNaN { traits[t].age = UInt8(clamping: Int(max(0, min(255, e.age)))) }
        if e.emailOptIn != .unknown { traits[t].emailOptIn = e.emailOptIn }
        if e.smsOptIn != .unknown { traits[t].smsOptIn = e.smsOptIn }
    }
}
