/// A never-ending stream of fresh events with a moving clock, for `foresight simulate` and the demo.
///
/// It uses the generator's shop (same catalog, same customer profiles for the same seed): the
/// customers `0..<customers` are taken to exist already and come back, new ones arrive with the
/// next ids. Visits arrive as a random process in event time whose pace is tuned to `rate`.
///
/// ```swift
/// var simulator = LiveSimulator(seed: 42, customers: 2_000, start: now, rate: 50)
/// var bytes: [UInt8] = []
/// simulator.events(until: now + 1_000, into: &bytes)   // about 50 lines
/// ```
public struct LiveSimulator {
    /// The first event time.
    public let start: Int64
    /// Events per second of wall time the simulator aims at.
    public let rate: Double
    /// Event-time seconds per wall-time second.
    public let speed: Double
    /// The event time up to which events have been released.
    public private(set) var clock: Int64
    private var world: World
    private var stage: OutputStage
    private var nextArrival: Int64
    /// Events per millisecond of event time.
    private let eventsPerMs: Double
    /// Share of arrivals that are new customers.
    private let newCustomerShare: Double

    /// What has been written so far.
    public var counts: OutputCounts { stage.counts }

    /// The number of customers known so far (existing ones and those who arrived).
    public var population: Int { world.profiles.count }

    /// Creates a simulator that continues the population of `customers` customers made from `seed`.
    ///
    /// - Parameters:
    ///   - seed: the seed of the file being continued (same ids, same catalog).
    ///   - customers: customers already in that file; new ones get the following ids.
    ///   - start: the event time of the first event, in milliseconds since the epoch.
    ///   - rate: events per second of wall time.
    ///   - speed: event-time seconds per wall second (timestamps run `speed` times faster).
    ///   - badRate: share of lines replaced by bad input.
    ///   - duplicateRate: share of events written twice.
    /// - Complexity: O(customers) to set up.
    public init(
        seed: UInt64, customers: Int, start: Int64, rate: Double, speed: Double = 1,
        badRate: Double = 0, duplicateRate: Double = 0
    ) {
        self.start = start
        self.rate = max(0.001, rate)
        self.speed = max(0.001, speed)
        clock = start
        nextArrival = start
        eventsPerMs = self.rate / self.speed / 1000
        newCustomerShare = 0.04
        let runKey = mix64(UInt64(bitPattern: start) ^ 0x5111) | 1
        world = World(seed: seed, runKey: runKey)
        stage = OutputStage(seed: seed ^ runKey, badRate: badRate, duplicateRate: duplicateRate)
        world.profiles.reserveCapacity(customers)
        world.states.reserveCapacity(customers)
        for c in 0..<customers {
            let age = Int64(world.random.uniform(1, 120) * Double(SimTime.dayMs))
            world.addCustomer(since: start - age)
            let profile = world.profiles[c]
            guard !profile.isAnonymous else { continue }
            world.states[c].signedUp = true
            world.states[c].identified = true
            world.states[c].lastActive = start - Int64(world.random.uniform(0, 30) * Double(SimTime.dayMs))
            if profile.archetype == .canceller && world.cancelTime(c) < start {
                world.states[c].cancelled = true
                world.states[c].plan = .free
                world.states[c].unsubscribed = world.random.chance(0.7)
            }
            if profile.archetype == .oneTime && world.random.chance(0.8) { world.states[c].orders = 1 }
        }
        // Start the visits earlier and throw that part away, so that sessions already under way
        // fill the first seconds and the pace is right from the start.
        let warmUp = min(Self.warmUpMs, Int64(Self.warmUpEvents / eventsPerMs))
        nextArrival = start - warmUp
        advance(to: start)
        world.queue.discard(before: start)
    }

    /// Event time simulated (and thrown away) before `start`.
    static let warmUpMs: Int64 = 20 * SimTime.minuteMs
    /// At most this many events are generated for the warm-up.
    static let warmUpEvents = 100_000.0

    /// Writes into `out` every event with a time before `eventTime`, in time order.
    ///
    /// - Returns: the number of lines written.
    /// - Complexity: O(k log n) for k events written, n waiting.
    @discardableResult
    public mutating func events(until eventTime: Int64, into out: inout [UInt8]) -> Int {
        advance(to: eventTime)
        clock = max(clock, eventTime)
        return world.queue.drain(before: eventTime, through: &stage, into: &out) { _ in }
    }

    /// Lets every visit that starts before `eventTime` happen.
    private mutating func advance(to eventTime: Int64) {
        while nextArrival < eventTime {
            // Pace by the events this visit writes within the next half hour; the long tail
            // (e-mail opened hours later, a refund weeks later) comes on top.
            world.queue.nearLimit = nextArrival + 30 * SimTime.minuteMs
            let before = world.queue.committedNear
            arrive(at: nextArrival)
            let produced = max(1, world.queue.committedNear - before)
            let gap = world.random.exponential(mean: Double(produced) / eventsPerMs)
            nextArrival += max(1, Int64(gap))
        }
    }

    /// One arrival: a new customer, a campaign e-mail, or a returning customer's visit.
    private mutating func arrive(at t: Int64) {
        let draw = world.random.unit()
        if draw < newCustomerShare || world.profiles.isEmpty {
            let c = world.profiles.count
            world.addCustomer(since: t)
            if world.profiles[c].isAnonymous {
                world.states[c].signedUp = true
                world.visit(c, at: t)
            } else {
                world.signUp(c, at: t)
            }
        } else if draw < newCustomerShare + 0.1 {
            for _ in 0..<32 {
                let c = world.random.below(world.profiles.count)
                if world.canEmail(c) {
                    let campaigns = Campaign.newsletters
                    world.emailDelivery(c, at: t, campaign: campaigns[world.random.below(campaigns.count)])
                    return
                }
            }
        } else if let c = returningCustomer(at: t) {
            if world.profiles[c].archetype == .canceller && !world.states[c].cancelled
                && world.cancelTime(c) - 2 * SimTime.dayMs < t {
                world.cancellation(c, ticketAt: t, cancelAt: max(world.cancelTime(c), t + SimTime.hourMs))
            }
            world.visit(c, at: t)
        } else {
            let c = world.profiles.count
            world.addCustomer(since: t)
            world.states[c].signedUp = true
            world.visit(c, at: t)
        }
    }

    /// A customer drawn in proportion to how active they are at `t` (rejection sampling), or nil
    /// when no known customer turned up.
    private mutating func returningCustomer(at t: Int64) -> Int? {
        var fallback: Int?
        for _ in 0..<64 {
            let c = world.random.below(world.profiles.count)
            guard world.states[c].signedUp else { continue }
            fallback = c
            let weight = min(1, world.profiles[c].sessionRate * world.activity(c, at: t) * 2)
            if world.random.chance(weight) { return c }
        }
        return fallback
    }
}
