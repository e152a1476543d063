/// What changes about a customer as the simulation runs.
struct CustomerState {
    /// The time the customer's lifecycle counts from: sign-up, or the start of the period for
    /// customers who were already there.
    var since: Int64
    /// An `identify` call has been written.
    var identified = false
    /// Has arrived: signed up during the run, existed before it, or (anonymous) made a first visit.
    var signedUp = false
    /// No more campaign e-mail.
    var unsubscribed = false
    /// The cancellation sequence of a canceller has been written.
    var cancelled = false
    var plan: CustomerProfile.Plan
    var orders = 0
    var lastActive: Int64
    /// The category the last purchase leads to (sequential affinity), or -1.
    var nextCategory = -1
    /// The last product bought, or -1.
    var lastProduct = -1

    init(profile: CustomerProfile, since: Int64) {
        self.since = since
        plan = profile.plan
        lastActive = since
    }
}

/// Local hour-of-day weights for when people shop online (0 = midnight).
enum DailyRhythm {
    static let hourWeights: [Double] = [
        0.35, 0.2, 0.12, 0.08, 0.08, 0.15, 0.4, 0.8, 1.1, 1.3, 1.4, 1.5,
        1.7, 1.6, 1.4, 1.4, 1.5, 1.7, 2.0, 2.4, 2.6, 2.3, 1.6, 0.8,
    ]
    static let cumulative = cumulativeWeights(hourWeights)
}
