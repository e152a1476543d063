import Foundation
import ForesightSim
import Testing

private let channels: Set<String> = ["web", "app", "email", "sms", "push", "store", "support", "ads"]

@Test func everyLineFollowsTheContract() {
    let all = lines(of: sample.bytes)
    #expect(all.count == sample.counts.events)
    var problems: [String] = []
    for line in all {
        guard isValidEvent(line), let object = decode(line) else {
            problems.append(String(decoding: line, as: UTF8.self))
            continue
        }
        let type = object["type"] as? String ?? ""
        guard ["track", "identify", "page", "screen"].contains(type) else { problems.append("type \(type)"); continue }
        if type == "page" || type == "screen", !(object["name"] is String) { problems.append("unnamed \(type)") }
        guard object["messageId"] is String else { problems.append("no messageId"); continue }
        let context = object["context"] as? [String: Any]
        guard let channel = context?["channel"] as? String, channels.contains(channel) else {
            problems.append("channel \(String(describing: context))")
            continue
        }
        if let campaign = context?["campaign"] as? [String: Any] {
            for key in ["name", "source", "medium"] where !(campaign[key] is String) {
                problems.append("campaign without \(key)")
            }
        }
        if object["properties"] != nil && !(object["properties"] is [String: Any]) { problems.append("properties") }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}

@Test func identifyTraitsAreCompleteAndConsistent() {
    let zones: [String: Set<String>] = [
        "US": ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
        "DE": ["Europe/Berlin"], "JP": ["Asia/Tokyo"], "IN": ["Asia/Kolkata"], "GB": ["Europe/London"],
    ]
    let traits = decodeAll(sample.bytes).filter { $0["type"] as? String == "identify" }
        .compactMap { $0["traits"] as? [String: Any] }
    #expect(traits.count > 500)
    for trait in traits {
        #expect(trait["email"] is String && trait["name"] is String && trait["city"] is String)
        #expect((trait["age"] as? Int).map { (18...80).contains($0) } == true)
        #expect(["free", "plus", "premium"].contains(trait["plan"] as? String ?? ""))
        #expect(trait["email_opt_in"] is Bool && trait["sms_opt_in"] is Bool)
        guard let country = trait["country"] as? String, let zone = trait["timezone"] as? String else {
            Issue.record("no country or time zone")
            continue
        }
        if let allowed = zones[country] { #expect(allowed.contains(zone), "\(country) in \(zone)") }
        #expect(zone.contains("/"))
    }
    let names = Set(traits.compactMap { $0["name"] as? String })
    #expect(names.contains { $0.unicodeScalars.contains { !$0.isASCII } }, "some names carry diacritics")
}

@Test func timestampsComeInEveryForm() {
    var zulu = 0, offset = 0, epoch = 0, whole = 0
    for object in decodeAll(sample.bytes) {
        if let text = object["timestamp"] as? String {
            if text.hasSuffix("Z") { text.contains(".") ? (zulu += 1) : (whole += 1) } else { offset += 1 }
        } else {
            epoch += 1
        }
    }
    #expect(zulu > 10 * (offset + epoch + whole))
    #expect(offset > 0 && epoch > 0 && whole > 0)
}

@Test func ordersCarryTheirFieldsAndFollowUpsReferToThem() {
    var completed = Set<String>()
    var followUps = 0
    for object in decodeAll(sample.bytes) {
        let event = object["event"] as? String
        let properties = object["properties"] as? [String: Any] ?? [:]
        if event == "Order Completed" {
            guard let id = properties["order_id"] as? String, let revenue = properties["revenue"] as? Double,
                  let products = properties["products"] as? [[String: Any]], !products.isEmpty
            else {
                Issue.record("incomplete order \(properties)")
                continue
            }
            #expect(revenue > 0)
            for product in products {
                #expect(product["product_id"] is String && product["category"] is String)
                #expect(product["price"] is Double && product["quantity"] is Int)
            }
            completed.insert(id)
        } else if event == "Order Refunded" || event == "Order Cancelled" {
            followUps += 1
            #expect(completed.contains(properties["order_id"] as? String ?? ""))
        }
    }
    #expect(completed.count > 300)
    #expect(followUps > 5)
}

@Test func scoresStayInRange() {
    var reviews = 0, tickets = 0
    for object in decodeAll(sample.bytes) {
        let properties = object["properties"] as? [String: Any] ?? [:]
        switch object["event"] as? String {
        case "Product Reviewed":
            reviews += 1
            #expect((1...5).contains(properties["rating"] as? Int ?? 0))
            #expect((-1...1).contains(properties["sentiment"] as? Double ?? 9))
        case "Support Ticket Opened":
            tickets += 1
            #expect((-1...1).contains(properties["sentiment"] as? Double ?? 9))
        default: break
        }
    }
    #expect(reviews > 10 && tickets > 10)
}

@Test func theEventVocabularyIsCovered() {
    let names = Set(decodeAll(sample.bytes).compactMap { $0["event"] as? String })
    let expected = [
        "Products Searched", "Product List Viewed", "Product Viewed", "Product Clicked", "Product Added",
        "Product Removed", "Cart Viewed", "Product Added to Wishlist", "Checkout Started",
        "Checkout Step Completed", "Payment Info Entered", "Coupon Applied", "Order Completed", "Order Refunded",
        "Email Delivered", "Email Opened", "Email Link Clicked", "Unsubscribed", "Support Ticket Opened",
        "Support Ticket Resolved", "Product Reviewed", "Product Shared", "Signed Up", "Subscription Cancelled",
    ]
    #expect(expected.filter { !names.contains($0) }.isEmpty, "missing \(expected.filter { !names.contains($0) })")
    let kinds = Set(decodeAll(sample.bytes).compactMap { $0["type"] as? String })
    #expect(kinds == ["track", "identify", "page", "screen"])
}

@Test func customersJoinOverThePeriod() {
    let signUps = decodeAll(sample.bytes).filter { $0["event"] as? String == "Signed Up" }.compactMap(eventTime)
    let third = Int64(sampleOptions.days) * 86_400_000 / 3
    #expect(signUps.count > sampleOptions.customers / 2)
    #expect(signUps.filter { $0 < sampleOptions.start + third }.count > signUps.count / 5)
    #expect(signUps.filter { $0 >= sampleOptions.start + 2 * third }.count > signUps.count / 5)
}
