/// What to generate: how many customers over how many days, from which seed.
public struct GeneratorOptions: Sendable, Equatable {
    /// Customers in the population (ids `u0000000` … and a few anonymous visitors).
    public var customers: Int
    /// Length of the period in days.
    public var days: Int
    /// The seed every random choice follows.
    public var seed: UInt64
    /// The first instant of the period, in milliseconds since the epoch.
    public var start: Int64
    /// Share of lines replaced by bad input (0…1).
    public var badRate: Double
    /// Share of events written twice with the same `messageId` (0…1).
    public var duplicateRate: Double

    /// Creates options; the defaults give the bundled demo data's shape from 2026-09-01.
    public init(
        customers: Int = 1_000, days: Int = 60, seed: UInt64 = 42, start: Int64 = SimTime.defaultStart,
        badRate: Double = 0, duplicateRate: Double = 0
    ) {
        self.customers = customers
        self.days = days
        self.seed = seed
        self.start = start
        self.badRate = badRate
        self.duplicateRate = duplicateRate
    }
}

/// The deterministic batch generator: simulates the period day by day and writes each day's events
/// in time order, so the same options always give the same bytes and memory stays bounded.
public struct Generator {
    /// Sessions per customer-day are scaled by this to land near 25 events per customer over 90 days.
    static let sessionScale = 0.215
    /// Output is handed over in chunks of about this many bytes.
    public static let chunkSize = 1 << 20

    /// What this generator makes.
    public let options: GeneratorOptions
    private var world: World
    private var stage: OutputStage

    /// Prepares the population; nothing is written until `run`.
    ///
    /// - Complexity: O(customers).
    public init(options: GeneratorOptions) {
        self.options = options
        world = World(seed: options.seed, runKey: 0)
        stage = OutputStage(seed: options.seed, badRate: options.badRate, duplicateRate: options.duplicateRate)
        world.profiles.reserveCapacity(options.customers)
        world.states.reserveCapacity(options.customers)
        for index in 0..<options.customers {
            world.addCustomer(since: options.start)
            if world.profiles[index].preExisting {
                world.states[index].signedUp = true
            }
        }
    }

    /// Generates the whole period, passing chunks of whole lines (about 1 MiB each) to `write`.
    ///
    /// - Returns: what was written.
    /// - Complexity: O(customers × days + events × log pending).
    public mutating func run(write: ([UInt8]) throws -> Void) rethrows -> OutputCounts {
        var out: [UInt8] = []
        out.reserveCapacity(Self.chunkSize + (1 << 16))
        let days = max(0, options.days)
        for day in 0..<days {
            let dayStart = options.start + Int64(day) * SimTime.dayMs
            simulateDay(day, dayStart: dayStart)
            try world.queue.drain(before: dayStart + SimTime.dayMs, through: &stage, into: &out,
                                  flushingAt: Self.chunkSize) { chunk in
                try write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        world.queue.removeAll()
        if !out.isEmpty { try write(out) }
        return stage.counts
    }

    /// Generates everything into memory (for tests and small data sets).
    public static func generate(_ options: GeneratorOptions) -> (bytes: [UInt8], counts: OutputCounts) {
        var generator = Generator(options: options)
        var bytes: [UInt8] = []
        let counts = generator.run { bytes.append(contentsOf: $0) }
        return (bytes, counts)
    }

    private mutating func simulateDay(_ day: Int, dayStart: Int64) {
        campaigns(day, dayStart: dayStart)
        let dayEnd = dayStart + SimTime.dayMs
        let weekday = SimTime.weekday(ms: dayStart)
        let dayFactor = (weekday >= 5 ? 1.15 : 1.0) * Self.sessionScale
        let noon = dayStart + SimTime.dayMs / 2
        for c in 0..<world.profiles.count {
            let profile = world.profiles[c]
            if !world.states[c].signedUp {
                guard !profile.preExisting, signupDay(profile) == day else { continue }
                let t = world.sessionTime(c, dayStart: dayStart)
                if profile.isAnonymous {
                    world.states[c].signedUp = true
                    world.states[c].since = t
                    world.visit(c, at: t)
                } else {
                    world.signUp(c, at: t)
                }
                continue
            }
            if profile.archetype == .canceller && !world.states[c].cancelled {
                let cancelAt = world.cancelTime(c)
                if cancelAt - 2 * SimTime.dayMs < dayEnd {
                    let ticketAt = max(cancelAt - 2 * SimTime.dayMs, dayStart + Int64(world.random.below(Int(SimTime.dayMs))))
                    world.cancellation(c, ticketAt: ticketAt, cancelAt: max(cancelAt, ticketAt + SimTime.hourMs))
                }
            }
            let rate = profile.sessionRate * world.activity(c, at: noon) * dayFactor
            let sessions = world.random.poisson(rate)
            for _ in 0..<sessions {
                world.visit(c, at: world.sessionTime(c, dayStart: dayStart))
            }
        }
    }

    /// The day (0-based) a customer who is new in the period signs up.
    private func signupDay(_ profile: CustomerProfile) -> Int {
        min(options.days - 1, Int(profile.signupFraction * Double(options.days)))
    }

    /// Campaign e-mails of the day: weekly picks on Tuesdays, new arrivals on Fridays, a win-back to
    /// customers idle for three weeks on Sundays, and a sale once a month.
    private mutating func campaigns(_ day: Int, dayStart: Int64) {
        let weekday = SimTime.weekday(ms: dayStart)
        var sends: [(Campaign, Double)] = []
        if weekday == 1 { sends.append((.weeklyPicks, 0.2)) }
        if weekday == 4 { sends.append((.newArrivals, 0.12)) }
        if day % 30 == 24 { sends.append((.autumnSale, 0.4)) }
        let winBack = weekday == 6
        guard !sends.isEmpty || winBack else { return }
        let sendTime = dayStart + 13 * SimTime.hourMs
        for c in 0..<world.profiles.count where world.canEmail(c) {
            for (campaign, share) in sends where world.random.chance(share) {
                world.emailDelivery(c, at: sendTime + Int64(world.random.below(Int(2 * SimTime.hourMs))), campaign: campaign)
            }
            let idle = dayStart - world.states[c].lastActive
            if winBack && idle > 21 * SimTime.dayMs && idle <= 28 * SimTime.dayMs && world.random.chance(0.6) {
                world.emailDelivery(c, at: sendTime + Int64(world.random.below(Int(SimTime.hourMs))), campaign: .winBack)
            }
        }
    }
}
