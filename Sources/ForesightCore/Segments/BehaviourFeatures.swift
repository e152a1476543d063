#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A behavioural feature for clustering; each enters as ln(1 + value), standardised.
public enum BehaviourFeature: String, CaseIterable, Sendable, Codable {
    /// Days since the latest event.
    case recency
    /// Completed orders.
    case frequency
    /// Revenue.
    case monetary
    case sessions
    /// Email opens and clicks.
    case emailEngagement = "email_engagement"
    /// Cart adds beyond the orders placed.
    case cartAbandonment = "cart_abandonment"
    /// Support tickets opened.
    case support

    /// The raw value of one profile at `now`.
    @inline(__always)
    func raw(_ p: BehaviourFigures, now: Int64) -> Double {
        switch self {
        case .recency: return max(0, Double(now - p.lastSeen) / 86_400_000)
        case .frequency: return Double(p.orders)
        case .monetary: return max(0, p.revenue)
        case .sessions: return Double(p.sessions)
        case .emailEngagement: return Double(p.emailOpens) + Double(p.emailClicks)
        case .cartAbandonment: return max(0, Double(p.cartAdds) - Double(p.orders))
        case .support: return Double(p.supportTickets)
        }
    }

    /// Words for a centroid far above (high) or below (low) the average; nil when not worth saying.
    var words: (high: String, low: String?) {
        switch self {
        case .recency: return ("lapsed", "recently active")
        case .frequency: return ("frequent", "infrequent")
        case .monetary: return ("high spend", "low spend")
        case .sessions: return ("heavy browsers", "few visits")
        case .emailEngagement: return ("email-driven", "email-quiet")
        case .cartAbandonment: return ("cart abandoners", nil)
        case .support: return ("support-heavy", nil)
        }
    }
}

/// The profile figures the features read, copied out field by field (copying a whole ``Profile``
/// would retain its timeline and orders).
struct BehaviourFigures {
    var lastSeen: Int64, orders: UInt32, revenue: Double, sessions: UInt32
    var emailOpens: UInt32, emailClicks: UInt32, cartAdds: UInt32, supportTickets: UInt32

    @inline(__always)
    init(_ all: UnsafeBufferPointer<Profile>, _ i: Int) {
        lastSeen = all[i].lastSeen
        orders = all[i].orderCount
        revenue = all[i].revenue
        sessions = all[i].sessions
        emailOpens = all[i].emailOpens
        emailClicks = all[i].emailClicks
        cartAdds = all[i].cartAdds
        supportTickets = all[i].supportTickets
    }

    /// ln(1 + value) of each feature, appended to `out`.
    @inline(__always)
    func append(_ features: [BehaviourFeature], now: Int64, to out: inout [Float]) {
        for f in features { out.append(log1pf(Float(f.raw(self, now: now)))) }
    }
}

/// Standardised, log-scaled features of many customers: a dense row-major n × d matrix of `Float`.
public struct BehaviourMatrix: Sendable {
    public let features: [BehaviourFeature]
    /// Customer id of each row.
    public let customers: [UInt32]
    /// Row-major values: row i is `values[i * d ..< (i + 1) * d]`.
    public internal(set) var values: [Float]
    /// Mean and standard deviation of each column of ln(1 + raw), to read centroids back.
    public let means: [Double]
    public let deviations: [Double]

    public var count: Int { customers.count }
    public var dimensions: Int { features.count }

    /// Builds the matrix from raw rows (row-major, before the log), standardising each column.
    /// - Complexity: O(n × d).
    public init(features: [BehaviourFeature], customers: [UInt32], raw: [Double]) {
        self.init(features: features, customers: customers, logged: raw.map { Float(log1p(max(0, $0))) })
    }

    /// Builds the matrix from ln(1 + raw) rows, standardising each column in place.
    init(features: [BehaviourFeature], customers: [UInt32], logged: [Float]) {
        let d = features.count, n = customers.count
        var values = logged
        var means = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        values.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d { let v = Double(x[i * d + j]); means[j] += v; sq[j] += v * v } }
        }
        var deviations = [Double](repeating: 1, count: d)
        for j in 0..<d where n > 0 {
            means[j] /= Double(n)
            let variance = sq[j] / Double(n) - means[j] * means[j]
            deviations[j] = variance > 1e-12 ? variance.squareRoot() : 1
        }
        let shift = means.map(Float.init), scale = deviations.map { Float(1 / $0) }
        values.withUnsafeMutableBufferPointer { x in
            for i in 0..<n { for j in 0..<d { x[i * d + j] = (x[i * d + j] - shift[j]) * scale[j] } }
        }
        self.features = features
        self.customers = customers
        self.values = values
        self.means = means
        self.deviations = deviations
    }

    private init(features: [BehaviourFeature], customers: [UInt32], values: [Float], means: [Double], deviations: [Double]) {
        self.features = features
        self.customers = customers
        self.values = values
        self.means = means
        self.deviations = deviations
    }

    /// The given rows, with this matrix's standardisation.
    func subset(_ rows: [Int]) -> BehaviourMatrix {
        let d = dimensions
        var v: [Float] = []
        v.reserveCapacity(rows.count * d)
        for i in rows { v.append(contentsOf: values[i * d..<(i + 1) * d]) }
        return BehaviourMatrix(features: features, customers: rows.map { customers[$0] }, values: v, means: means,
                               deviations: deviations)
    }

    /// The raw value (before the log) a standardised value stands for.
    public func rawValue(_ z: Double, feature j: Int) -> Double { expm1(z * deviations[j] + means[j]) }
}

extension Engine {
    /// The behavioural features of every customer with an event, at `now`.
    /// - Complexity: O(customers × features); meant to run under the engine's lock, the fit elsewhere.
    public func behaviourMatrix(features: [BehaviourFeature] = BehaviourFeature.allCases, now: Int64) -> BehaviourMatrix {
        var customers: [UInt32] = []
        var logged: [Float] = []
        customers.reserveCapacity(profiles.count)
        logged.reserveCapacity(profiles.count * features.count)
        profiles.withUnsafeBufferPointer { all in
            for i in all.indices where all[i].events > 0 {
                customers.append(UInt32(i))
                BehaviourFigures(all, i).append(features, now: now, to: &logged)
            }
        }
        return BehaviourMatrix(features: features, customers: customers, logged: logged)
    }
}
