extension Engine {
    /// The top `count` products customer `c` has not bought, by the strongest affinity rule that
    /// leads to each from what she bought (products, categories) up to the model's cutoff, or viewed
    /// since her last order. Live scores pass the watermark as `asOf`, so that an order placed after the
    /// model was mined is not recommended again.
    /// - Complexity: O(her orders and views + her antecedents × ``NextProductOptions/keepPerAntecedent``).
    public func recommendations(for c: UInt32, model: NextProductModel, count: Int = 3, asOf: Int64? = nil) -> [ProductRecommendation] {
        guard Int(c) < profiles.count, count > 0 else { return [] }
        let cutoff = asOf ?? model.asOf
        let profile = profiles[Int(c)]
        var bought = Set<UInt32>()
        var antecedents = Set<UInt64>()
        for order in profile.orders where !order.cancelled && order.time <= cutoff {
            let start = Int(order.productStart), end = min(orderProducts.count, start + Int(order.productCount))
            guard start < end else { continue }
            for p in orderProducts[start..<end] {
                bought.insert(p)
                antecedents.insert(NextProductModel.key(UInt64(AffinityAntecedentKind.boughtProduct.rawValue), p))
                let category = Int(p) < productCategory.count ? productCategory[Int(p)] : 0
                if category > 0 {
                    antecedents.insert(NextProductModel.key(UInt64(AffinityAntecedentKind.boughtCategory.rawValue), category - 1))
                }
            }
        }
        // Views since the last order: interest that has not turned into a purchase yet.
        let lastOrder = profile.orders.reduce(Int64.min) { !$1.cancelled && $1.time <= cutoff ? max($0, $1.time) : $0 }
        let productViewed = KnownEvent.productViewed.id
        for e in profile.timeline {
            guard e.time <= cutoff else { break }
            if e.name == productViewed && e.kind == .product && e.time > lastOrder {
                antecedents.insert(NextProductModel.key(UInt64(AffinityAntecedentKind.viewedProduct.rawValue), e.item))
            }
        }
        var best: [UInt32: AffinityRule] = [:]
        for key in antecedents {
            guard let list = model.index[key] else { continue }
            for rule in list where !bought.contains(rule.consequent) {
                if let current = best[rule.consequent], !NextProductModel.stronger(rule, current) { continue }
                best[rule.consequent] = rule
            }
        }
        // The `count` strongest, by insertion into a short sorted list.
        var top: [AffinityRule] = []
        top.reserveCapacity(count + 1)
        for rule in best.values {
            guard top.count < count || top.last.map({ NextProductModel.stronger(rule, $0) }) == true else { continue }
            let at = top.firstIndex { NextProductModel.stronger(rule, $0) } ?? top.count
            top.insert(rule, at: at)
            if top.count > count { top.removeLast() }
        }
        return top.map { ProductRecommendation(product: $0.consequent, score: $0.shrunkConfidence, rule: $0) }
    }

    /// A rule in words: "bought hiking-boots: 38% of such buyers then bought p0107, lift 6.2".
    public func describe(_ rule: AffinityRule) -> String {
        let antecedent: String
        let who: String
        switch rule.antecedentKind {
        case .boughtProduct: (antecedent, who) = ("bought " + products.string(rule.antecedent), "buyers")
        case .boughtCategory: (antecedent, who) = ("bought " + categories.string(rule.antecedent), "buyers")
        case .viewedProduct: (antecedent, who) = ("viewed " + products.string(rule.antecedent), "viewers")
        }
        let consequent = rule.consequentKind == .product ? products.string(rule.consequent) : categories.string(rule.consequent)
        let percent = Int((rule.confidence * 100).rounded())
        return "\(antecedent): \(percent)% of such \(who) then bought \(consequent), lift \(ChurnFeature.decimal(rule.lift, 1))"
    }
}
