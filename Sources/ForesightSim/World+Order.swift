import ForesightCore

extension World {
    /// Walks the checkout steps for the current cart; some checkouts stop half way.
    ///
    /// - Returns: the time of the last event written.
    mutating func checkout(_ c: Int, at start: Int64, channel: Channel, campaign: Campaign?) -> Int64 {
        let orderId = nextId()
        let value = cartValue
        var t = start + step()
        beginTrack("Checkout Started", customer: c, time: t)
        openProperties()
        appendId("\"order_id\":\"o-", orderId)
        queue.arena.appendLiteral(",\"value\":")
        queue.arena.appendHundredths(value)
        queue.arena.appendLiteral(",\"currency\":\"USD\"")
        closeProperties()
        finish(channel: channel, campaign: nil)

        t += step()
        checkoutStep(c, orderId: orderId, step: 1, time: t, channel: channel,
                     detail: random.chance(0.8) ? ",\"shipping_method\":\"standard\"" : ",\"shipping_method\":\"express\"")
        guard random.chance(0.88) else { return t }
        t += step()
        let methods: [StaticString] = [",\"payment_method\":\"card\"", ",\"payment_method\":\"paypal\"", ",\"payment_method\":\"apple_pay\""]
        beginTrack("Payment Info Entered", customer: c, time: t)
        openProperties()
        appendId("\"order_id\":\"o-", orderId)
        queue.arena.appendLiteral(",\"step\":2")
        queue.arena.appendLiteral(methods[random.below(methods.count)])
        closeProperties()
        finish(channel: channel, campaign: nil)

        var discount = 0
        if random.chance(0.12) {
            discount = value / 10
            t += step()
            beginTrack("Coupon Applied", customer: c, time: t)
            openProperties()
            appendId("\"order_id\":\"o-", orderId)
            queue.arena.appendLiteral(random.chance(0.5) ? ",\"coupon_id\":\"AUTUMN10\"" : ",\"coupon_id\":\"WELCOME10\"")
            queue.arena.appendLiteral(",\"discount\":")
            queue.arena.appendHundredths(discount)
            closeProperties()
            finish(channel: channel, campaign: nil)
        }
        guard random.chance(profiles[c].archetype.orderRate) else { return t }
        t += step()
        completeOrder(c, orderId: orderId, discount: discount, time: t, channel: channel, campaign: campaign)
        return t
    }

    private mutating func checkoutStep(_ c: Int, orderId: UInt64, step: Int, time t: Int64, channel: Channel, detail: StaticString) {
        beginTrack("Checkout Step Completed", customer: c, time: t)
        openProperties()
        appendId("\"order_id\":\"o-", orderId)
        queue.arena.appendLiteral(",\"step\":")
        queue.arena.appendDecimal(step)
        queue.arena.appendLiteral(detail)
        closeProperties()
        finish(channel: channel, campaign: nil)
    }

    /// Writes `Order Completed` for the current cart, updates the customer and schedules what
    /// may follow (cancellation, refund, review, support ticket).
    mutating func completeOrder(_ c: Int, orderId: UInt64, discount: Int, time t: Int64, channel: Channel, campaign: Campaign?) {
        guard let primary = cart.first?.product else { return }
        let revenue = cartValue - discount
        beginTrack("Order Completed", customer: c, time: t)
        openProperties()
        appendId("\"order_id\":\"o-", orderId)
        queue.arena.appendLiteral(",\"revenue\":")
        queue.arena.appendHundredths(revenue)
        queue.arena.appendLiteral(",\"currency\":\"USD\",")
        appendCartProducts()
        closeProperties()
        finish(channel: channel, campaign: campaign)

        states[c].orders += 1
        states[c].lastProduct = primary
        states[c].nextCategory = catalog.followUp(after: catalog.products[primary].category, random: &random) ?? -1
        scheduleFollowUps(c, orderId: orderId, revenue: revenue, product: primary, orderTime: t)
    }

    /// A purchase in a physical store: no browsing, just the order on the `store` channel.
    mutating func storeVisit(_ c: Int, at t: Int64) {
        cart.removeAll(keepingCapacity: true)
        let items = 1 + random.geometric(success: 0.6, cap: 2)
        for _ in 0..<items {
            let product = catalog.product(in: intentCategory(c), spendLevel: profiles[c].spendLevel, random: &random)
            if !cart.contains(where: { $0.product == product.index }) { cart.append((product.index, 1)) }
        }
        completeOrder(c, orderId: nextId(), discount: 0, time: t, channel: .store, campaign: nil)
        states[c].lastActive = t
    }

    private mutating func scheduleFollowUps(_ c: Int, orderId: UInt64, revenue: Int, product: Int, orderTime: Int64) {
        let archetype = profiles[c].archetype
        if random.chance(0.015) {
            let t = orderTime + Int64(random.uniform(0.5, 8) * Double(SimTime.hourMs))
            beginTrack("Order Cancelled", customer: c, time: t)
            openProperties()
            appendId("\"order_id\":\"o-", orderId)
            queue.arena.appendLiteral(",\"reason\":\"changed_mind\"")
            closeProperties()
            finish(channel: .web, campaign: nil)
        } else if random.chance(archetype == .canceller || archetype == .churner ? 0.07 : 0.03) {
            let t = orderTime + Int64(random.uniform(4, 20) * Double(SimTime.dayMs))
            beginTrack("Order Refunded", customer: c, time: t)
            openProperties()
            appendId("\"order_id\":\"o-", orderId)
            queue.arena.appendLiteral(",\"revenue\":")
            queue.arena.appendHundredths(random.chance(0.7) ? revenue : revenue / 2)
            closeProperties()
            finish(channel: .support, campaign: nil)
        }
        if random.chance(0.1) {
            let t = orderTime + Int64(random.uniform(3, 15) * Double(SimTime.dayMs))
            review(c, product: product, time: t)
        }
        let ticketRate: Double = archetype == .canceller || archetype == .churner ? 0.1 : 0.035
        if random.chance(ticketRate) {
            let t = orderTime + Int64(random.uniform(1, 8) * Double(SimTime.dayMs))
            supportTicket(c, time: t, mood: Self.mood(archetype))
        }
    }

    /// Writes a `Product Reviewed` whose rating and sentiment follow the customer's mood.
    private mutating func review(_ c: Int, product: Int, time t: Int64) {
        let rating = min(5, max(1, Int((Self.mood(profiles[c].archetype) * 2 + 3.6 + random.normal()).rounded())))
        let sentiment = min(100, max(-100, Int(((Double(rating) - 3) / 2 + 0.2 * random.normal()) * 100)))
        beginTrack("Product Reviewed", customer: c, time: t)
        openProperties()
        queue.arena.append(contentsOf: catalog.products[product].fragment)
        queue.arena.appendLiteral(",\"rating\":")
        queue.arena.appendDecimal(rating)
        queue.arena.appendLiteral(",\"sentiment\":")
        queue.arena.appendHundredths(sentiment)
        closeProperties()
        finish(channel: .web, campaign: nil)
    }

    /// Writes `Support Ticket Opened` and, hours later, `Support Ticket Resolved`.
    mutating func supportTicket(_ c: Int, time t: Int64, mood: Double) {
        let ticket = nextId()
        let sentiment = min(100, max(-100, Int((mood + 0.3 * random.normal()) * 100)))
        let topics: [StaticString] = [",\"topic\":\"delivery\"", ",\"topic\":\"return\"", ",\"topic\":\"billing\"",
                                      ",\"topic\":\"product_question\""]
        beginTrack("Support Ticket Opened", customer: c, time: t)
        openProperties()
        appendId("\"ticket_id\":\"t-", ticket)
        queue.arena.appendLiteral(topics[random.below(topics.count)])
        queue.arena.appendLiteral(",\"sentiment\":")
        queue.arena.appendHundredths(sentiment)
        closeProperties()
        finish(channel: .support, campaign: nil)

        let resolved = t + Int64(random.uniform(1, 48) * Double(SimTime.hourMs))
        beginTrack("Support Ticket Resolved", customer: c, time: resolved)
        openProperties()
        appendId("\"ticket_id\":\"t-", ticket)
        closeProperties()
        finish(channel: .support, campaign: nil)
    }

    /// How the archetype tends to feel, from -1 (angry) to 1 (delighted).
    static func mood(_ archetype: Archetype) -> Double {
        switch archetype {
        case .loyal: return 0.35
        case .regular, .oneTime: return 0.1
        case .browser, .anonymous: return 0
        case .churner: return -0.3
        case .canceller: return -0.6
        }
    }

    /// Appends a prefix such as `"order_id":"o-`, the id in hex, and the closing quote.
    @inline(__always)
    mutating func appendId(_ prefix: StaticString, _ id: UInt64) {
        queue.arena.appendLiteral(prefix)
        queue.arena.appendHex16(id)
        queue.arena.append(0x22)
    }
}
