/// What a customer did first in a sequential affinity rule.
public enum AffinityAntecedentKind: UInt8, Sendable, Codable, CaseIterable {
    /// Bought the product.
    case boughtProduct
    /// Bought something of the category.
    case boughtCategory
    /// Viewed the product (`Product Viewed`).
    case viewedProduct
}

/// What the customer bought afterwards, in a rule.
public enum AffinityConsequentKind: UInt8, Sendable, Codable, CaseIterable {
    case product
    case category
}

/// A sequential affinity: customers who did A went on to buy B in a strictly later order.
///
/// Counts are of customers, each counted once per rule. For rules from purchases the population is the
/// customers with orders at two or more times; for rules from views, the customers who ordered after
/// viewing a product, and "then" means the next order after the view. `confidence` = customers who did A then bought B / customers who did A (and
/// ordered later); `lift` = confidence / the share of the population that bought B in such a later order.
public struct AffinityRule: Sendable, Equatable, Codable {
    /// What the customer did first.
    public var antecedentKind: AffinityAntecedentKind
    /// Product id (``Engine/products``) or category id (``Engine/categories``), per `antecedentKind`.
    public var antecedent: UInt32
    /// What she bought afterwards.
    public var consequentKind: AffinityConsequentKind
    /// Product or category id, per `consequentKind`.
    public var consequent: UInt32
    /// Customers who did A then bought B.
    public var customers: Int
    /// Customers who did A and ordered afterwards.
    public var antecedentCustomers: Int
    /// `customers` / population.
    public var support: Double
    /// P(B later | A).
    public var confidence: Double
    /// Confidence over the base rate of B.
    public var lift: Double
    /// Confidence shrunk toward the base rate, (n(A→B) + m · P(B)) / (n(A) + m): ranks rules of few
    /// customers below equally confident rules of many.
    public var shrunkConfidence: Double
}

/// A product recommended to a customer, with the rule that suggests it most strongly.
public struct ProductRecommendation: Sendable, Equatable, Codable {
    /// Product id (``Engine/products``).
    public var product: UInt32
    /// The rule's shrunk confidence, the ranking score.
    public var score: Double
    /// The rule that gave the score.
    public var rule: AffinityRule
}

/// Settings of the next-product miner.
public struct NextProductOptions: Sendable, Equatable, Codable {
    /// A rule needs at least this many customers.
    public var minCustomers: Int
    /// Strength m of the shrinkage of confidence toward the base rate.
    public var shrinkage: Double
    /// Consequents kept per antecedent for recommendations.
    public var keepPerAntecedent: Int

    /// Creates options; 3 customers, m = 5, 20 consequents by default.
    public init(minCustomers: Int = 3, shrinkage: Double = 5, keepPerAntecedent: Int = 20) {
        self.minCustomers = minCustomers
        self.shrinkage = shrinkage
        self.keepPerAntecedent = keepPerAntecedent
    }
}
