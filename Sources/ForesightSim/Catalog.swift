#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// One product of the synthetic catalog.
struct Product {
    /// Index in `Catalog.products`; the id is `p` and this number plus one, four digits.
    let index: Int
    let category: Int
    /// Price in cents.
    let price: Int
    /// `"product_id":"p0042","category":"hiking-boots","brand":"Alpina","price":129.99`, pre-encoded.
    let fragment: [UInt8]
    /// `"p0042"` with its quotes.
    let quotedId: [UInt8]
}

/// The product catalog: a few hundred products in 25 categories, with brands, prices and the
/// sequential co-purchase affinities a next-product model should find.
///
/// The catalog is the same for every seed, so data from different runs shares product ids.
public struct Catalog: Sendable {
    struct Category: Sendable {
        let name: String
        let quotedName: [UInt8]
        let quotedQueries: [[UInt8]]
        /// Product indices of this category, cheapest first.
        let products: [Int]
        /// Cumulative popularity of `products`.
        let productWeights: [Double]
        /// Categories bought afterwards, as (category, cumulative weight); the remainder means none.
        let followUps: [(category: Int, cumulative: Double)]
    }

    let categories: [Category]
    let products: [Product]
    /// Cumulative category popularity.
    let categoryWeights: [Double]

    /// The catalog every generator and simulator uses.
    public static let standard = Catalog()

    /// Category names, in catalog order.
    public var categoryNames: [String] { categories.map(\.name) }

    /// The number of products.
    public var productCount: Int { products.count }

    /// The (earlier, later) category pairs that buyers follow more often than chance.
    public var affinityPairs: [(from: String, to: String)] {
        CatalogData.affinities.map { ($0.from, $0.to) }
    }

    private init() {
        var random = SimRandom(seed: 0xF0_2E51_6470)
        let specs = CatalogData.categories
        let index = Dictionary(uniqueKeysWithValues: specs.enumerated().map { ($1.name, $0) })
        var products: [Product] = []
        var categories: [Category] = []
        for (c, spec) in specs.enumerated() {
            var prices = (0..<CatalogData.productsPerCategory).map { _ -> Int in
                // Log-uniform between the bounds, ending in .99 or .49 or .00.
                let low = log(Double(spec.minPrice))
                let high = log(Double(spec.maxPrice))
                let whole = Int(exp(random.uniform(low, high)))
                let ending = [99, 99, 49, 0][random.below(4)]
                return ending == 0 ? whole * 100 : max(1, whole - 1) * 100 + ending
            }
            prices.sort()
            var members: [Int] = []
            var weights: [Double] = []
            for price in prices {
                let id = products.count
                let brand = spec.brands[random.below(spec.brands.count)]
                var quotedId: [UInt8] = []
                quotedId.appendLiteral("\"p")
                quotedId.appendDecimal(id + 1, width: 4)
                quotedId.appendLiteral("\"")
                var fragment: [UInt8] = []
                fragment.appendLiteral("\"product_id\":")
                fragment += quotedId
                fragment.appendLiteral(",\"category\":")
                fragment.appendJSONString(spec.name)
                fragment.appendLiteral(",\"brand\":")
                fragment.appendJSONString(brand)
                fragment.appendLiteral(",\"price\":")
                fragment.appendHundredths(price)
                products.append(Product(index: id, category: c, price: price, fragment: fragment, quotedId: quotedId))
                members.append(id)
                // Mid-priced products sell best; a random factor breaks ties.
                weights.append(random.uniform(0.3, 1.0))
            }
            var followUps: [(category: Int, cumulative: Double)] = []
            var running = 0.0
            for affinity in CatalogData.affinities where affinity.from == spec.name {
                guard let target = index[affinity.to] else { continue }
                running += affinity.weight
                followUps.append((target, running))
            }
            categories.append(Category(
                name: spec.name, quotedName: quotedJSON(spec.name), quotedQueries: spec.queries.map(quotedJSON),
                products: members, productWeights: cumulativeWeights(weights), followUps: followUps))
        }
        self.products = products
        self.categories = categories
        self.categoryWeights = cumulativeWeights(specs.map(\.popularity))
    }

    /// A product of `category`; customers with a high `spendLevel` (0…1) lean to the dearer ones.
    func product(in category: Int, spendLevel: Double, random: inout SimRandom) -> Product {
        let members = categories[category].products
        let weights = categories[category].productWeights
        let first = members[random.pick(cumulative: weights)]
        let second = members[random.pick(cumulative: weights)]
        let dearer = max(first, second)
        let cheaper = min(first, second)
        return products[random.chance(spendLevel) ? dearer : cheaper]
    }

    /// A category drawn by overall popularity.
    func popularCategory(random: inout SimRandom) -> Int {
        random.pick(cumulative: categoryWeights)
    }

    /// The category a buyer of `category` goes on to buy, or nil when the purchase leads nowhere.
    func followUp(after category: Int, random: inout SimRandom) -> Int? {
        let draw = random.unit()
        for entry in categories[category].followUps where draw < entry.cumulative {
            return entry.category
        }
        return nil
    }
}
