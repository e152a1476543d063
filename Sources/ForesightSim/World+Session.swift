import ForesightCore

extension World {
    /// Writes one visit of customer `c` starting at `start`: landing, search or list, product views,
    /// maybe a cart, maybe a checkout, maybe an order.
    ///
    /// - Returns: the time of the session's last event.
    @discardableResult
    mutating func browseSession(_ c: Int, at start: Int64, origin: SessionOrigin) -> Int64 {
        let profile = profiles[c]
        let app = profile.prefersApp ? random.chance(0.85) : random.chance(0.08)
        let channel: Channel = app ? .app : .web
        var t = start
        if !states[c].identified && !profile.isAnonymous {
            identify(c, time: t, channel: channel)
            t += Int64(random.between(200, 3_000))
        }
        landing(c, at: t, app: app, origin: origin)
        let campaign = origin.campaign

        var category = intentCategory(c)
        t += step()
        if random.chance(0.45) {
            beginTrack("Products Searched", customer: c, time: t)
            openProperties()
            queue.arena.appendLiteral("\"query\":")
            let queries = catalog.categories[category].quotedQueries
            queue.arena.append(contentsOf: queries[random.below(queries.count)])
            closeProperties()
        } else {
            beginTrack("Product List Viewed", customer: c, time: t)
            openProperties()
            queue.arena.appendLiteral("\"category\":")
            queue.arena.append(contentsOf: catalog.categories[category].quotedName)
            closeProperties()
        }
        finish(channel: channel, campaign: campaign)

        viewed.removeAll(keepingCapacity: true)
        let views = 1 + random.geometric(success: 0.45, cap: 6)
        for view in 0..<views {
            if view > 0 && random.chance(0.15) { category = intentCategory(c) }
            let product = catalog.product(in: category, spendLevel: profile.spendLevel, random: &random)
            t += step()
            if random.chance(0.12) {
                productEvent("Product Clicked", product.index, customer: c, time: t, channel: channel)
                t += Int64(random.between(500, 4_000))
            }
            productEvent("Product Viewed", product.index, customer: c, time: t, channel: channel)
            viewed.append(product.index)
            if random.chance(0.05) {
                t += step()
                productEvent("Product Added to Wishlist", product.index, customer: c, time: t, channel: channel)
            }
            if random.chance(0.02) {
                t += step()
                beginTrack("Product Shared", customer: c, time: t)
                openProperties()
                queue.arena.append(contentsOf: product.fragment)
                queue.arena.appendLiteral(random.chance(0.5) ? ",\"share_via\":\"link\"" : ",\"share_via\":\"whatsapp\"")
                closeProperties()
                finish(channel: channel, campaign: nil)
            }
        }
        if profile.archetype == .loyal && random.chance(0.02) {
            t += step()
            beginTrack("Referral Sent", customer: c, time: t)
            openProperties()
            queue.arena.appendLiteral(random.chance(0.6) ? "\"medium\":\"email\"" : "\"medium\":\"link\"")
            closeProperties()
            finish(channel: channel, campaign: nil)
        }

        let boost = states[c].nextCategory == category ? 1.3 : 1.0
        guard random.chance(min(0.95, profile.archetype.cartRate * boost)) else {
            states[c].lastActive = t
            return t
        }
        t = fillCart(c, at: t, channel: channel)
        if !cart.isEmpty && random.chance(profile.archetype.checkoutRate) {
            t = checkout(c, at: t, channel: channel, campaign: campaign)
        }
        states[c].lastActive = t
        return t
    }

    /// The landing event: a page or screen, from an ad when the session came from one.
    private mutating func landing(_ c: Int, at t: Int64, app: Bool, origin: SessionOrigin) {
        switch origin {
        case .ads(let campaign):
            beginPage("Landing", screen: false, customer: c, time: t)
            openProperties()
            queue.arena.appendLiteral("\"path\":\"/lp/")
            queue.arena.append(contentsOf: campaign.name.utf8)
            queue.arena.appendLiteral("\"")
            closeProperties()
            finish(channel: .ads, campaign: campaign)
        case .email(let campaign), .sms(let campaign), .push(let campaign):
            beginPage("Campaign", screen: app, customer: c, time: t)
            finish(channel: app ? .app : .web, campaign: campaign)
        case .direct:
            beginPage("Home", screen: app, customer: c, time: t)
            finish(channel: app ? .app : .web, campaign: nil)
        }
    }

    /// The category a visit is about: the affinity follow-up of the last purchase, an interest,
    /// or something popular.
    mutating func intentCategory(_ c: Int) -> Int {
        let next = states[c].nextCategory
        if next >= 0 && random.chance(0.6) { return next }
        let interests = profiles[c].interests
        let draw = random.unit()
        if draw < 0.35 { return Int(interests.0) }
        if draw < 0.6 { return Int(interests.1) }
        if draw < 0.75 { return Int(interests.2) }
        return catalog.popularCategory(random: &random)
    }

    /// A pause between two clicks, in milliseconds.
    @inline(__always)
    mutating func step() -> Int64 {
        Int64(4_000 + random.exponential(mean: 35_000))
    }

    /// Writes a product event whose properties are the product's fields.
    @inline(__always)
    mutating func productEvent(_ event: StaticString, _ product: Int, customer c: Int, time t: Int64, channel: Channel) {
        beginTrack(event, customer: c, time: t)
        openProperties()
        queue.arena.append(contentsOf: catalog.products[product].fragment)
        closeProperties()
        finish(channel: channel, campaign: nil)
    }

    /// Adds one to three viewed (or follow-up) products to the cart, sometimes removing one again.
    private mutating func fillCart(_ c: Int, at start: Int64, channel: Channel) -> Int64 {
        var t = start
        cart.removeAll(keepingCapacity: true)
        let adds = 1 + random.geometric(success: 0.65, cap: 2)
        for _ in 0..<adds {
            guard !viewed.isEmpty else { break }
            var product = viewed[random.below(viewed.count)]
            if !cart.isEmpty, let next = catalog.followUp(after: catalog.products[cart[0].product].category, random: &random),
               random.chance(0.3) {
                product = catalog.product(in: next, spendLevel: profiles[c].spendLevel, random: &random).index
            }
            if cart.contains(where: { $0.product == product }) { continue }
            let quantity = random.chance(0.88) ? 1 : random.between(2, 3)
            t += step()
            beginTrack("Product Added", customer: c, time: t)
            openProperties()
            queue.arena.append(contentsOf: catalog.products[product].fragment)
            queue.arena.appendLiteral(",\"quantity\":")
            queue.arena.appendDecimal(quantity)
            closeProperties()
            finish(channel: channel, campaign: nil)
            cart.append((product, quantity))
        }
        if cart.count > 0 && random.chance(0.1) {
            let removed = cart.remove(at: random.below(cart.count))
            t += step()
            productEvent("Product Removed", removed.product, customer: c, time: t, channel: channel)
        }
        if !cart.isEmpty && random.chance(0.5) {
            t += step()
            beginTrack("Cart Viewed", customer: c, time: t)
            openProperties()
            appendCartProducts()
            closeProperties()
            finish(channel: channel, campaign: nil)
        }
        return t
    }
}
