/// Sequential co-purchase and view-to-purchase affinities mined from every customer's history up to a
/// cutoff, and the index that turns them into next-product recommendations.
public struct NextProductModel: Sendable {
    /// The cutoff (ms): orders and views after it were not seen.
    public var asOf: Int64
    /// Customers with orders at two or more times: the population of purchase rules.
    public var repeatBuyers: Int
    /// Customers who ordered after viewing a product: the population of view rules.
    public var viewersWhoBought: Int
    /// Every rule with at least ``NextProductOptions/minCustomers`` customers.
    public var rules: [AffinityRule]
    /// Rules with a product consequent and lift above 1, best first, by antecedent.
    var index: [UInt64: [AffinityRule]]
    /// The settings it was mined with.
    public var options: NextProductOptions

    /// The rules of one antecedent and consequent kind, by lift (ties: customers), strongest first.
    public func rules(from antecedent: AffinityAntecedentKind, to consequent: AffinityConsequentKind) -> [AffinityRule] {
        rules.filter { $0.antecedentKind == antecedent && $0.consequentKind == consequent }
            .sorted { $0.lift != $1.lift ? $0.lift > $1.lift : $0.customers > $1.customers }
    }

    static func key(_ kind: UInt64, _ a: UInt32, _ b: UInt32 = 0) -> UInt64 {
        kind << 60 | UInt64(a & 0x3FFF_FFFF) << 30 | UInt64(b & 0x3FFF_FFFF)
    }
}

/// The pair, antecedent and base-rate counts of the miner; each key counted once per customer.
struct AffinityCounts {
    // Pair kinds.
    static let productToProduct: UInt64 = 0, categoryToProduct: UInt64 = 1, categoryToCategory: UInt64 = 2, viewToProduct: UInt64 = 3
    // Antecedent kinds (as AffinityAntecedentKind) and base kinds.
    static let laterProduct: UInt64 = 0, laterCategory: UInt64 = 1, productAfterView: UInt64 = 2

    var pairs: [UInt64: Int32] = [:]
    var antecedents: [UInt64: Int32] = [:]
    var bases: [UInt64: Int32] = [:]
    var repeatBuyers = 0
    var viewersWhoBought = 0

    // Per-customer buffers, deduplicated before counting.
    private var pairKeys: [UInt64] = []
    private var antecedentKeys: [UInt64] = []
    private var baseKeys: [UInt64] = []

    /// Counts one customer: `groups` are the product lists of her orders at distinct times, in time
    /// order, with those times; `views` the (time, product) of her product views in time order. A view
    /// rule pairs the products viewed since the previous order with those of the next order.
    mutating func add(groups: [(time: Int64, products: [UInt32])], views: [(time: Int64, product: UInt32)], category: (UInt32) -> UInt32?) {
        pairKeys.removeAll(keepingCapacity: true)
        antecedentKeys.removeAll(keepingCapacity: true)
        baseKeys.removeAll(keepingCapacity: true)
        if groups.count >= 2 {
            repeatBuyers += 1
            var earlierProducts: [UInt32] = [], earlierCategories: [UInt32] = []
            for (k, group) in groups.enumerated() {
                if k > 0 {
                    for b in group.products {
                        baseKeys.append(NextProductModel.key(Self.laterProduct, b))
                        let cb = category(b)
                        if let cb { baseKeys.append(NextProductModel.key(Self.laterCategory, cb)) }
                        for a in earlierProducts where a != b { pairKeys.append(NextProductModel.key(Self.productToProduct, a, b)) }
                        for ca in earlierCategories {
                            pairKeys.append(NextProductModel.key(Self.categoryToProduct, ca, b))
                            if let cb { pairKeys.append(NextProductModel.key(Self.categoryToCategory, ca, cb)) }
                        }
                    }
                }
                guard k < groups.count - 1 else { break }
                for a in group.products {
                    earlierProducts.append(a)
                    antecedentKeys.append(NextProductModel.key(UInt64(AffinityAntecedentKind.boughtProduct.rawValue), a))
                    if let ca = category(a) {
                        earlierCategories.append(ca)
                        antecedentKeys.append(NextProductModel.key(UInt64(AffinityAntecedentKind.boughtCategory.rawValue), ca))
                    }
                }
                Self.unique(&earlierProducts)
                Self.unique(&earlierCategories)
            }
        }
        if let lastOrder = groups.last?.time, let firstView = views.first?.time, firstView < lastOrder {
            viewersWhoBought += 1
            var v = 0
            var viewed: [UInt32] = []
            for group in groups {
                while v < views.count && views[v].time < group.time {
                    viewed.append(views[v].product)
                    antecedentKeys.append(NextProductModel.key(UInt64(AffinityAntecedentKind.viewedProduct.rawValue), views[v].product))
                    v += 1
                }
                guard !viewed.isEmpty else { continue }
                Self.unique(&viewed)
                for b in group.products {
                    baseKeys.append(NextProductModel.key(Self.productAfterView, b))
                    for a in viewed { pairKeys.append(NextProductModel.key(Self.viewToProduct, a, b)) }
                }
                // An order answers the views before it; the next order starts from fresh views.
                viewed.removeAll(keepingCapacity: true)
            }
        }
        Self.count(&pairKeys, into: &pairs)
        Self.count(&antecedentKeys, into: &antecedents)
        Self.count(&baseKeys, into: &bases)
    }

    private static func unique(_ keys: inout [UInt32]) {
        guard keys.count > 1 else { return }
        keys.sort()
        var w = 1
        for r in 1..<keys.count where keys[r] != keys[w - 1] {
            keys[w] = keys[r]
            w += 1
        }
        keys.removeLast(keys.count - w)
    }

    private static func count(_ keys: inout [UInt64], into table: inout [UInt64: Int32]) {
        guard !keys.isEmpty else { return }
        keys.sort()
        var previous: UInt64?
        for key in keys where key != previous {
            table[key, default: 0] += 1
            previous = key
        }
    }
}
