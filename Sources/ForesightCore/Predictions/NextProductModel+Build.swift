extension Engine {
    /// Mines the next-product affinities of every customer's orders and product views up to `asOf`.
    /// - Complexity: O(Σ over customers of earlier items × later items), plus a sort of each
    ///   customer's pairs; for typical histories, linear in the orders and views.
    public func nextProductModel(asOf: Int64, options: NextProductOptions = NextProductOptions()) -> NextProductModel {
        var counts = AffinityCounts()
        var groups: [(time: Int64, products: [UInt32])] = []
        var views: [(time: Int64, product: UInt32)] = []
        let category: (UInt32) -> UInt32? = { p in
            let c = Int(p) < productCategory.count ? productCategory[Int(p)] : 0
            return c > 0 ? c - 1 : nil
        }
        for profile in profiles where profile.orderCount > 0 {
            orderGroups(profile, asOf: asOf, into: &groups)
            guard !groups.isEmpty else { continue }
            views.removeAll(keepingCapacity: true)
            let productViewed = KnownEvent.productViewed.id
            for e in profile.timeline {
                guard e.time <= asOf else { break }
                if e.name == productViewed && e.kind == .product { views.append((e.time, e.item)) }
            }
            counts.add(groups: groups, views: views, category: category)
        }
        return NextProductModel(counts: counts, asOf: asOf, options: options)
    }

    /// The product lists of a profile's completed orders up to `asOf`, merged by time, in time order.
    func orderGroups(_ profile: Profile, asOf: Int64, into groups: inout [(time: Int64, products: [UInt32])]) {
        groups.removeAll(keepingCapacity: true)
        var orders = profile.orders.filter { !$0.cancelled && $0.time <= asOf && $0.productCount > 0 }
        orders.sort { $0.time < $1.time }
        for order in orders {
            let start = Int(order.productStart), end = start + Int(order.productCount)
            guard end <= orderProducts.count else { continue }
            let items = orderProducts[start..<end]
            if let last = groups.last, last.time == order.time {
                groups[groups.count - 1].products.append(contentsOf: items)
            } else {
                groups.append((order.time, Array(items)))
            }
        }
        for k in groups.indices { groups[k].products = Array(Set(groups[k].products)).sorted() }
    }
}

extension NextProductModel {
    init(counts: AffinityCounts, asOf: Int64, options: NextProductOptions) {
        self.asOf = asOf
        self.options = options
        repeatBuyers = counts.repeatBuyers
        viewersWhoBought = counts.viewersWhoBought
        rules = []
        index = [:]
        let m = options.shrinkage
        for (key, n) in counts.pairs where Int(n) >= options.minCustomers {
            let kind = key >> 60
            let a = UInt32((key >> 30) & 0x3FFF_FFFF), b = UInt32(key & 0x3FFF_FFFF)
            let antecedentKind: AffinityAntecedentKind
            let consequentKind: AffinityConsequentKind
            let base: UInt64, population: Int
            switch kind {
            case AffinityCounts.productToProduct:
                (antecedentKind, consequentKind, base, population) = (.boughtProduct, .product, AffinityCounts.laterProduct, repeatBuyers)
            case AffinityCounts.categoryToProduct:
                (antecedentKind, consequentKind, base, population) = (.boughtCategory, .product, AffinityCounts.laterProduct, repeatBuyers)
            case AffinityCounts.categoryToCategory:
                (antecedentKind, consequentKind, base, population) = (.boughtCategory, .category, AffinityCounts.laterCategory, repeatBuyers)
            default:
                (antecedentKind, consequentKind, base, population) = (.viewedProduct, .product, AffinityCounts.productAfterView, viewersWhoBought)
            }
            let nA = Double(counts.antecedents[Self.key(UInt64(antecedentKind.rawValue), a)] ?? 0)
            let nB = Double(counts.bases[Self.key(base, b)] ?? 0)
            guard nA > 0, nB > 0, population > 0 else { continue }
            let rateB = nB / Double(population)
            let confidence = Double(n) / nA
            rules.append(AffinityRule(
                antecedentKind: antecedentKind, antecedent: a, consequentKind: consequentKind, consequent: b,
                customers: Int(n), antecedentCustomers: Int(nA), support: Double(n) / Double(population),
                confidence: confidence, lift: confidence / rateB, shrunkConfidence: (Double(n) + m * rateB) / (nA + m)))
        }
        rules.sort { ($0.antecedentKind.rawValue, $0.antecedent, $0.consequentKind.rawValue, $0.consequent)
            < ($1.antecedentKind.rawValue, $1.antecedent, $1.consequentKind.rawValue, $1.consequent) }
        for rule in rules where rule.consequentKind == .product && rule.lift > 1 {
            index[Self.key(UInt64(rule.antecedentKind.rawValue), rule.antecedent), default: []].append(rule)
        }
        for (key, list) in index {
            index[key] = Array(list.sorted(by: Self.stronger).prefix(options.keepPerAntecedent))
        }
    }

    /// Rule order for recommendations: shrunk confidence, then lift, then customers, then ids.
    static func stronger(_ x: AffinityRule, _ y: AffinityRule) -> Bool {
        if x.shrunkConfidence != y.shrunkConfidence { return x.shrunkConfidence > y.shrunkConfidence }
        if x.lift != y.lift { return x.lift > y.lift }
        if x.customers != y.customers { return x.customers > y.customers }
        return (x.antecedentKind.rawValue, x.antecedent, x.consequent) < (y.antecedentKind.rawValue, y.antecedent, y.consequent)
    }
}
