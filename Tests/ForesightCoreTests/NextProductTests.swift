import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct NextProductTests {
    static func order(_ user: String, _ day: Int, _ products: [(String, String)]) -> String {
        let time = String(format: "2026-03-%02dT10:00:00Z", day)
        return ChurnEvents.order(user, time, id: "\(user)-\(day)", revenue: 10, products: products)
    }

    static let a = ("pa", "x"), b = ("pb", "y"), c = ("pc", "z")

    /// c1, c2: A then B; c3: A then C; c4: C then B; c5: A only.
    static func small() -> Engine {
        var engine = Engine()
        engine.ingest(lines: [
            order("c1", 1, [a]), ChurnEvents.view("c1", "2026-03-02T09:00:00Z", product: "pb", category: "y"), order("c1", 2, [b]),
            order("c2", 1, [a]), order("c2", 3, [b]),
            order("c3", 1, [a]), order("c3", 4, [c]),
            order("c4", 2, [c]), order("c4", 5, [b]),
            order("c5", 6, [a]),
        ].joined(separator: "\n"))
        return engine
    }

    func rule(_ model: NextProductModel, _ engine: Engine, _ kind: AffinityAntecedentKind, _ from: String, _ to: AffinityConsequentKind, _ target: String) -> AffinityRule? {
        let fromID = kind == .boughtCategory ? engine.categories.lookup(from) : engine.products.lookup(from)
        let toID = to == .category ? engine.categories.lookup(target) : engine.products.lookup(target)
        return model.rules.first { $0.antecedentKind == kind && $0.antecedent == fromID && $0.consequentKind == to && $0.consequent == toID }
    }

    @Test func supportConfidenceAndLiftOfAHandMadeLog() throws {
        let engine = Self.small()
        let model = engine.nextProductModel(asOf: ms("2026-03-31T00:00:00Z"), options: NextProductOptions(minCustomers: 1))
        #expect(model.repeatBuyers == 4)
        // A then B: c1 and c2 of the 3 who bought A and ordered again; B was bought later by c1, c2, c4.
        let ab = try #require(rule(model, engine, .boughtProduct, "pa", .product, "pb"))
        #expect(ab.customers == 2 && ab.antecedentCustomers == 3)
        #expect(abs(ab.support - 0.5) < 1e-12)
        #expect(abs(ab.confidence - 2.0 / 3) < 1e-12)
        #expect(abs(ab.lift - (2.0 / 3) / (3.0 / 4)) < 1e-12)
        #expect(abs(ab.shrunkConfidence - (2 + 5 * 0.75) / (3 + 5)) < 1e-12)
        // The same at category level.
        let xy = try #require(rule(model, engine, .boughtCategory, "x", .category, "y"))
        #expect(xy.customers == 2 && abs(xy.lift - ab.lift) < 1e-12)
        // C then B: only c4 (c3's C was in her last order, so it is not an antecedent).
        let cb = try #require(rule(model, engine, .boughtProduct, "pc", .product, "pb"))
        #expect(cb.antecedentCustomers == 1 && cb.confidence == 1)
        // B then anything: nobody ordered after buying B.
        #expect(model.rules.allSatisfy { !($0.antecedentKind == .boughtProduct && $0.antecedent == engine.products.lookup("pb")) })
        // Viewed B, then bought B: c1, the only customer who ordered after a view.
        #expect(model.viewersWhoBought == 1)
        let viewed = try #require(rule(model, engine, .viewedProduct, "pb", .product, "pb"))
        #expect(viewed.customers == 1 && viewed.confidence == 1 && viewed.lift == 1)
    }

    @Test func recommendationsSkipBoughtProductsAndWeakRules() throws {
        let engine = Self.small()
        let model = engine.nextProductModel(asOf: ms("2026-03-31T00:00:00Z"), options: NextProductOptions(minCustomers: 1))
        let c5 = try #require(engine.customers.lookup("c5"))
        let next = engine.recommendations(for: c5, model: model)
        // A → B has lift 8/9 (B is bought later anyway), so only A → C (lift 4/3) is offered; A itself is bought.
        #expect(next.map { engine.products.string($0.product) } == ["pc"])
        let first = try #require(next.first)
        #expect(engine.describe(first.rule) == "bought pa: 33% of such buyers then bought pc, lift 1.3")
        // c1 bought A and B: nothing is recommended that she already has.
        let c1 = try #require(engine.customers.lookup("c1"))
        #expect(engine.recommendations(for: c1, model: model).allSatisfy { !["pa", "pb"].contains(engine.products.string($0.product)) })
    }

    @Test func theCutoffHidesLaterOrders() {
        let engine = Self.small()
        // By 03-02 only c1 has ordered twice.
        let model = engine.nextProductModel(asOf: ms("2026-03-02T23:00:00Z"), options: NextProductOptions(minCustomers: 1))
        #expect(model.repeatBuyers == 1)
        #expect(model.rules.allSatisfy { $0.customers == 1 })
    }

    /// A shop with planted sequential affinities (as in the generator): after buying a source category, a
    /// customer's next order is in its follow-up category with probability 0.8, else in a random one.
    @Test func plantedAffinitiesComeOutOnTop() throws {
        let categories = ["tents", "sleeping-bags", "hiking-boots", "hiking-socks", "cameras", "memory-cards", "books", "mugs"]
        let follow = ["tents": "sleeping-bags", "hiking-boots": "hiking-socks", "cameras": "memory-cards"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var lines: [String] = []
        for customer in 0..<1500 {
            var category = categories[next(categories.count)]
            for step in 0..<(2 + next(3)) {
                let product = "\(category)-\(next(4))"
                lines.append(Self.order("k\(customer)", 1 + step * 5, [(product, category)]))
                if let target = follow[category], next(10) < 8 { category = target } else { category = categories[next(categories.count)] }
            }
        }
        var engine = Engine()
        engine.ingest(lines: lines.joined(separator: "\n"))
        let model = engine.nextProductModel(asOf: ms("2026-04-30T00:00:00Z"))
        let byLift = model.rules(from: .boughtCategory, to: .category)
        let top = byLift.prefix(3).map { "\(engine.categories.string($0.antecedent)) → \(engine.categories.string($0.consequent))" }
        #expect(Set(top) == ["tents → sleeping-bags", "hiking-boots → hiking-socks", "cameras → memory-cards"])
        for rule in byLift.prefix(3) {
            #expect(rule.confidence > 0.7 && rule.lift > 2)
        }
        // A tent buyer is offered sleeping bags first.
        let tentBuyer = try #require((0..<engine.profiles.count).first { c in
            let p = engine.profiles[c]
            return p.orders.count == 2 && engine.recommendations(for: UInt32(c), model: model).isEmpty == false
                && engine.categories.string(engine.productCategory[Int(engine.orderProducts[Int(p.orders[1].productStart)])] - 1) == "tents"
        })
        let offered = engine.recommendations(for: UInt32(tentBuyer), model: model)
        let firstCategory = try #require(offered.first.map { engine.productCategory[Int($0.product)] - 1 })
        #expect(engine.categories.string(firstCategory) == "sleeping-bags")
        #expect(offered.count == 3)
    }
}
