import ForesightCore
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The simulated shop shared by the generator and the live simulator: the population, the catalog,
/// each customer's changing state, and the queue of encoded events not yet written.
///
/// Sessions and follow-ups are written into `queue` as complete JSON lines; the driver (the
/// generator's day loop or the simulator's arrival clock) decides who acts when and drains the queue.
struct World {
    let seed: UInt64
    let catalog = Catalog.standard
    var profiles: [CustomerProfile] = []
    var states: [CustomerState] = []
    var random: SimRandom
    var queue = EventQueue()
    private var formatter = TimestampFormatter()
    /// Scrambles counters into message, order and ticket ids; differs between runs that append
    /// to the same file so ids never collide.
    private let idKey: UInt64
    private var messageCounter: UInt64 = 0
    private var idCounter: UInt64 = 0
    /// Products viewed in the current session (reused to avoid allocations).
    var viewed: [Int] = []
    /// Products in the current cart, with quantities.
    var cart: [(product: Int, quantity: Int)] = []

    /// Creates a world whose random choices follow `seed` and whose ids are scrambled by `runKey`.
    init(seed: UInt64, runKey: UInt64) {
        self.seed = seed
        random = SimRandom(seed: deriveSeed(seed, runKey))
        idKey = mix64(seed ^ mix64(runKey &+ 0x1D))
        viewed.reserveCapacity(16)
        cart.reserveCapacity(8)
    }

    /// Adds customer `index` (the next one) with its lifecycle starting at `since`.
    mutating func addCustomer(since: Int64) {
        let profile = CustomerProfile.make(seed: seed, index: profiles.count)
        profiles.append(profile)
        states.append(CustomerState(profile: profile, since: since))
    }

    /// A fresh id for an order, ticket or similar: 16 hex digits, unique within the run.
    mutating func nextId() -> UInt64 {
        idCounter += 1
        return mix64(idCounter ^ (idKey &* 3))
    }

    /// How active customer `c` is at time `t`, relative to their full rate (0…1).
    func activity(_ c: Int, at t: Int64) -> Double {
        let state = states[c]
        let profile = profiles[c]
        let ageDays = Double(t - state.since) / Double(SimTime.dayMs)
        switch profile.archetype {
        case .churner:
            if ageDays < profile.lifespanDays { return 1 }
            let fading = ageDays - profile.lifespanDays
            return fading > 15 ? 0 : exp(-fading / 5)
        case .canceller:
            return ageDays >= profile.lifespanDays ? 0.03 : 1
        case .oneTime:
            return state.orders > 0 ? 0.12 : 1
        case .anonymous:
            return ageDays > profile.lifespanDays ? 0 : 1
        case .loyal, .regular, .browser:
            return 1
        }
    }

    /// A time within the day starting at `dayStart` at which customer `c` is plausibly online,
    /// following their local daily rhythm.
    mutating func sessionTime(_ c: Int, dayStart: Int64) -> Int64 {
        let profile = profiles[c]
        let localHour: Double
        if random.chance(0.45) {
            localHour = Double(profile.favouriteHour) + 1.5 * random.normal() + 0.5
        } else {
            localHour = Double(random.pick(cumulative: DailyRhythm.cumulative)) + random.unit()
        }
        let offset = Int64(Geography.cities[profile.city].offsetMinutes) * SimTime.minuteMs
        var msOfDay = (Int64(localHour * Double(SimTime.hourMs)) - offset) % SimTime.dayMs
        if msOfDay < 0 { msOfDay += SimTime.dayMs }
        return dayStart + msOfDay
    }

    // MARK: - Encoding

    /// Starts a `track` line: type, event, customer key, timestamp, messageId.
    @inline(__always)
    mutating func beginTrack(_ event: StaticString, customer c: Int, time t: Int64) {
        let form = beginLine(at: t)
        queue.arena.appendLiteral("{\"type\":\"track\",\"event\":\"")
        queue.arena.appendLiteral(event)
        queue.arena.appendLiteral("\",")
        appendCommon(customer: c, form: form)
    }

    /// Starts a `page` (or, in the app, `screen`) line.
    mutating func beginPage(_ name: StaticString, screen: Bool, customer c: Int, time t: Int64) {
        let form = beginLine(at: t)
        queue.arena.appendLiteral(screen ? "{\"type\":\"screen\",\"name\":\"" : "{\"type\":\"page\",\"name\":\"")
        queue.arena.appendLiteral(name)
        queue.arena.appendLiteral("\",")
        appendCommon(customer: c, form: form)
    }

    /// Writes a complete `identify` line with the customer's current traits.
    mutating func identify(_ c: Int, time t: Int64, channel: Channel) {
        let form = beginLine(at: t)
        queue.arena.appendLiteral("{\"type\":\"identify\",")
        appendCommon(customer: c, form: form)
        queue.arena.appendLiteral(",\"traits\":")
        let state = states[c]
        profiles[c].appendTraits(plan: state.plan, emailOptIn: profiles[c].emailOptIn && !state.unsubscribed,
                                 into: &queue.arena)
        finish(channel: channel, campaign: nil)
        states[c].identified = true
    }

    /// How a line writes its timestamp; most use UTC with milliseconds.
    enum TimestampForm {
        case utc, wholeSeconds, offset, epochMilliseconds
    }

    /// Picks the timestamp form of the next line and starts it in the queue. A line written in
    /// whole seconds is filed under its truncated time, so the output stays in order.
    @inline(__always)
    private mutating func beginLine(at t: Int64) -> (form: TimestampForm, time: Int64) {
        let draw = random.unit()
        let form: TimestampForm = draw < 0.015 ? .epochMilliseconds : draw < 0.03 ? .offset : draw < 0.05 ? .wholeSeconds : .utc
        let time = form == .wholeSeconds ? t - ((t % 1000) + 1000) % 1000 : t
        queue.begin(time: time)
        return (form, time)
    }

    /// Appends the customer key, `timestamp` and `messageId`.
    @inline(__always)
    private mutating func appendCommon(customer c: Int, form: (form: TimestampForm, time: Int64)) {
        profiles[c].appendKey(into: &queue.arena)
        queue.arena.appendLiteral(",\"timestamp\":")
        switch form.form {
        case .epochMilliseconds:
            queue.arena.appendDecimal(Int(form.time))
        case .offset:
            queue.arena.append(0x22)
            formatter.appendOffset(form.time, offsetMinutes: Geography.cities[profiles[c].city].offsetMinutes,
                                   into: &queue.arena)
            queue.arena.append(0x22)
        case .utc, .wholeSeconds:
            queue.arena.append(0x22)
            formatter.appendUTC(form.time, fraction: form.form == .utc, into: &queue.arena)
            queue.arena.append(0x22)
        }
        queue.arena.appendLiteral(",\"messageId\":\"m-")
        messageCounter += 1
        queue.arena.appendHex16(mix64(messageCounter ^ idKey))
        queue.arena.append(0x22)
    }

    /// Opens the `properties` object.
    @inline(__always)
    mutating func openProperties() {
        queue.arena.appendLiteral(",\"properties\":{")
    }

    /// Closes the `properties` object.
    @inline(__always)
    mutating func closeProperties() {
        queue.arena.append(0x7D)
    }

    /// Writes `context` and ends the line.
    @inline(__always)
    mutating func finish(channel: Channel, campaign: Campaign?) {
        queue.arena.append(contentsOf: channelFragments[Int(channel.rawValue)])
        if let campaign { queue.arena.append(contentsOf: campaign.fragment) }
        queue.arena.appendLiteral("}}")
        queue.commit()
    }

    /// Appends `"products":[{…,"quantity":n},…]` for the current cart.
    mutating func appendCartProducts() {
        queue.arena.appendLiteral("\"products\":[")
        for (i, item) in cart.enumerated() {
            if i > 0 { queue.arena.append(0x2C) }
            queue.arena.append(0x7B)
            queue.arena.append(contentsOf: catalog.products[item.product].fragment)
            queue.arena.appendLiteral(",\"quantity\":")
            queue.arena.appendDecimal(item.quantity)
            queue.arena.append(0x7D)
        }
        queue.arena.append(0x5D)
    }

    /// The cart's value in cents.
    var cartValue: Int {
        cart.reduce(0) { $0 + catalog.products[$1.product].price * $1.quantity }
    }
}
