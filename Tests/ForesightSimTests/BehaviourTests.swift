import Foundation
import ForesightSim
import Testing

/// Per-customer facts read back from a generated log.
private struct Activity {
    var orders = 0
    var first: Int64 = .max
    var last: Int64 = 0
    var events: Set<String> = []
    /// Categories of each order, in time order.
    var baskets: [[String]] = []
}

private func activity(in bytes: [UInt8]) -> [String: Activity] {
    var result: [String: Activity] = [:]
    for object in decodeAll(bytes) {
        guard let key = customerKey(object), let time = eventTime(object) else { continue }
        var entry = result[key] ?? Activity()
        entry.first = min(entry.first, time)
        entry.last = max(entry.last, time)
        if let event = object["event"] as? String {
            entry.events.insert(event)
            if event == "Order Completed" {
                entry.orders += 1
                let products = (object["properties"] as? [String: Any])?["products"] as? [[String: Any]] ?? []
                entry.baskets.append(products.compactMap { $0["category"] as? String })
            }
        }
        if object["type"] as? String == "identify" { entry.events.insert("identify") }
        result[key] = entry
    }
    return result
}

@Test func archetypesShowUpInBehaviour() {
    let seen = activity(in: sample.bytes)
    var byArchetype: [Archetype: [Activity]] = [:]
    for index in 0..<sampleOptions.customers {
        let profile = CustomerProfile.make(seed: sampleOptions.seed, index: index)
        if let entry = seen[profile.customerId] { byArchetype[profile.archetype, default: []].append(entry) }
    }
    func meanOrders(_ archetype: Archetype) -> Double {
        let group = byArchetype[archetype] ?? []
        return Double(group.reduce(0) { $0 + $1.orders }) / Double(max(1, group.count))
    }
    #expect(Archetype.allCases.allSatisfy { (byArchetype[$0]?.count ?? 0) > 20 })
    #expect((byArchetype[.browser] ?? []).allSatisfy { $0.orders == 0 }, "browsers never order")
    #expect((byArchetype[.anonymous] ?? []).allSatisfy { $0.orders == 0 && !$0.events.contains("identify") })
    #expect(meanOrders(.loyal) > 2 * meanOrders(.regular))
    #expect((byArchetype[.loyal] ?? []).contains { $0.orders >= 5 }, "some customers order many times")
    #expect((byArchetype[.oneTime] ?? []).filter { $0.orders > 1 }.count * 5 < (byArchetype[.oneTime] ?? []).count)
    #expect((byArchetype[.canceller] ?? []).filter { $0.events.contains("Subscription Cancelled") }.count > 10)

    // Churners go quiet: of those seen in the first three weeks, far fewer are still seen in the
    // last two weeks than loyal customers.
    let end = sampleOptions.start + Int64(sampleOptions.days) * 86_400_000
    func recentShare(_ archetype: Archetype) -> Double {
        let group = (byArchetype[archetype] ?? []).filter { $0.first < sampleOptions.start + 21 * 86_400_000 }
        return Double(group.filter { $0.last > end - 14 * 86_400_000 }.count) / Double(max(1, group.count))
    }
    #expect(recentShare(.churner) < 0.6 * recentShare(.loyal), "churner \(recentShare(.churner)) loyal \(recentShare(.loyal))")
}

@Test func affinityPairsAreBoughtLaterMoreOftenThanChance() {
    let result = Generator.generate(GeneratorOptions(customers: 3_000, days: 90, seed: 77))
    var pairs: [String: Int] = [:]
    var from: [String: Int] = [:]
    var to: [String: Int] = [:]
    var total = 0
    for entry in activity(in: result.bytes).values where entry.baskets.count > 1 {
        for i in 0..<entry.baskets.count {
            for j in (i + 1)..<entry.baskets.count {
                for a in entry.baskets[i] {
                    for b in entry.baskets[j] {
                        pairs[a + ">" + b, default: 0] += 1
                        from[a, default: 0] += 1
                        to[b, default: 0] += 1
                        total += 1
                    }
                }
            }
        }
    }
    var observed = 0
    var expected = 0.0
    for pair in Catalog.standard.affinityPairs where pair.from != pair.to {
        observed += pairs[pair.from + ">" + pair.to] ?? 0
        expected += Double(from[pair.from] ?? 0) * Double(to[pair.to] ?? 0) / Double(max(1, total))
    }
    #expect(total > 1_000)
    #expect(Double(observed) > 3 * expected, "observed \(observed), expected by chance \(expected)")
}
