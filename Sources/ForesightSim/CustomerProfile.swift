#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The fixed traits of one synthetic customer, derived from the seed and the customer's index alone.
///
/// Because nothing here depends on the number of customers, the period or the run, the same seed
/// always gives the same population: the simulator recognises the customers a generated file holds.
public struct CustomerProfile: Sendable {
    /// Subscription plan, as written in the `plan` trait.
    enum Plan: UInt8 {
        case free, plus, premium

        var quoted: StaticString {
            switch self {
            case .free: return "\"free\""
            case .plus: return "\"plus\""
            case .premium: return "\"premium\""
            }
        }
    }

    /// Position in the population; the customer id is `u` followed by it, seven digits.
    public let index: Int
    /// The behaviour pattern.
    public let archetype: Archetype
    /// Signed up before the generated period starts (no `Signed Up` event in the log).
    public let preExisting: Bool
    /// When in the period a new customer signs up, as a fraction of it.
    let signupFraction: Double
    let city: Int
    let firstName: Int
    let lastName: Int
    let emailDomain: Int
    let age: Int
    let plan: Plan
    let emailOptIn: Bool
    let smsOptIn: Bool
    let prefersApp: Bool
    /// Favourite categories (indices into the catalog).
    let interests: (UInt8, UInt8, UInt8)
    /// Sessions per day while fully active.
    let sessionRate: Double
    /// 0…1: how strongly the customer leans to dearer products.
    let spendLevel: Double
    /// Churner: active days before decay; canceller: days before cancelling; anonymous: days seen.
    let lifespanDays: Double
    /// The local hour of day the customer is most often online (0…23).
    let favouriteHour: Int

    /// True for visitors known only by `anonymousId`.
    public var isAnonymous: Bool { archetype == .anonymous }

    /// The customer key as written in the log: `u0000123`, or `anon-…` for anonymous visitors.
    public var customerId: String {
        var bytes: [UInt8] = []
        appendKeyValue(into: &bytes)
        return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Derives the profile of customer `index` for `seed`.
    ///
    /// - Complexity: O(1); a few dozen random draws.
    public static func make(seed: UInt64, index: Int) -> CustomerProfile {
        var random = SimRandom(seed: deriveSeed(seed ^ 0xC057_03E5, UInt64(index)))
        let archetype = Archetype.allCases[random.pick(cumulative: Archetype.cumulativeShares)]
        let city = random.pick(cumulative: Geography.cityWeights)
        let catalog = Catalog.standard
        let first = catalog.popularCategory(random: &random)
        var second = catalog.popularCategory(random: &random)
        if second == first { second = (first + 1 + random.below(catalog.categories.count - 1)) % catalog.categories.count }
        let third = catalog.popularCategory(random: &random)
        let planDraw = random.unit()
        let premiumShare = archetype == .loyal ? 0.25 : 0.08
        let plan: Plan = planDraw < premiumShare ? .premium : (planDraw < premiumShare + 0.3 ? .plus : .free)
        let heterogeneity = exp(0.45 * random.normal() - 0.1)
        let lifespan: Double
        switch archetype {
        case .churner: lifespan = random.uniform(3, 25)
        case .canceller: lifespan = random.uniform(6, 55)
        case .anonymous: lifespan = random.uniform(0.5, 8)
        default: lifespan = .infinity
        }
        let evening = [19, 20, 21, 20, 12, 8, 22, 18][random.below(8)]
        return CustomerProfile(
            index: index,
            archetype: archetype,
            preExisting: archetype != .anonymous && random.chance(0.3),
            signupFraction: random.unit(),
            city: city,
            firstName: random.below(10),
            lastName: random.below(10),
            emailDomain: random.below(Geography.emailDomains.count),
            age: min(80, max(18, Int(38 + 12 * random.normal()))),
            plan: plan,
            emailOptIn: random.chance(archetype == .loyal ? 0.85 : 0.68),
            smsOptIn: random.chance(0.3),
            prefersApp: random.chance(0.4),
            interests: (UInt8(first), UInt8(second), UInt8(third)),
            sessionRate: archetype.sessionsPerDay * heterogeneity,
            spendLevel: archetype == .loyal ? random.uniform(0.3, 1) : random.unit(),
            lifespanDays: lifespan,
            favouriteHour: evening
        )
    }

    /// Appends `"u0000123"` (with quotes) or the anonymous id.
    @inline(__always)
    func appendKeyValue(into out: inout [UInt8]) {
        if isAnonymous {
            out.appendLiteral("\"anon-")
            out.appendHex16(mix64(UInt64(index) ^ 0xA11_0A11))
            out.append(0x22)
        } else {
            out.appendLiteral("\"u")
            out.appendDecimal(index, width: 7)
            out.append(0x22)
        }
    }

    /// Appends `"userId":"u0000123"` or `"anonymousId":"anon-…"`.
    @inline(__always)
    func appendKey(into out: inout [UInt8]) {
        out.appendLiteral(isAnonymous ? "\"anonymousId\":" : "\"userId\":")
        appendKeyValue(into: &out)
    }

    /// Appends the `traits` object of an `identify` call (cold path: once per customer or so).
    func appendTraits(plan: Plan, emailOptIn: Bool, into out: inout [UInt8]) {
        let place = Geography.cities[city]
        let group = place.names.rawValue
        let first = Geography.firstNames[group][firstName]
        let last = Geography.lastNames[group][lastName]
        let email = Geography.asciiSlug(first) + "." + Geography.asciiSlug(last) + String(index)
            + "@" + Geography.emailDomains[emailDomain]
        out.appendLiteral("{\"email\":")
        out.appendJSONString(email)
        out.appendLiteral(",\"name\":")
        out.appendJSONString(first + " " + last)
        out.appendLiteral(",\"country\":")
        out.appendJSONString(place.country)
        out.appendLiteral(",\"city\":")
        out.appendJSONString(place.name)
        out.appendLiteral(",\"timezone\":")
        out.appendJSONString(place.timeZone)
        out.appendLiteral(",\"age\":")
        out.appendDecimal(age)
        out.appendLiteral(",\"plan\":")
        out.appendLiteral(plan.quoted)
        out.appendLiteral(",\"email_opt_in\":")
        out.appendLiteral(emailOptIn ? "true" : "false")
        out.appendLiteral(",\"sms_opt_in\":")
        out.appendLiteral(smsOptIn ? "true" : "false")
        out.append(0x7D)
    }
}
