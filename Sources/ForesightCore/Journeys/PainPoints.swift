/// Moments where a customer's journey went wrong.
public enum PainPointKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Products added to the cart in a session that ended without an order after them.
    case cartAbandoned = "cart abandoned"
    /// A checkout started in a session that ended without an order after it.
    case checkoutNotFinished = "checkout not finished"
    /// A support ticket opened with a sentiment below 0.
    case negativeSupport = "negative support sentiment"
}

/// One pain point of one customer.
public struct PainPoint: Sendable, Equatable, Codable {
    /// Event time (ms) of the event that shows it (the last cart add or checkout of the session, the ticket).
    public var time: Int64
    public var kind: PainPointKind
    /// The ticket's sentiment.
    public var sentiment: Double?
}

/// A pain point over all customers: how many had it and how many it lost.
public struct PainPointSummary: Sendable, Equatable, Codable {
    public var kind: PainPointKind
    /// Customers who had it at least once.
    public var customers: Int
    /// Of those, customers without an order after their last occurrence.
    public var lost: Int
    public var occurrences: Int
}

extension Engine {
    /// The pain points of one timeline up to `now`, oldest first. A session still open at `now` (its last event
    /// within the session gap) has not ended, so its cart and checkout are not abandoned yet.
    /// - Complexity: O(events).
    static func painPoints(_ t: [TimelineEntry], now: Int64, sessionGapMs gap: Int64) -> [PainPoint] {
        var points: [PainPoint] = []
        var cart: Int64?, checkout: Int64?
        var last: Int64?
        func endSession() {
            if let c = cart { points.append(PainPoint(time: c, kind: .cartAbandoned)) }
            if let c = checkout { points.append(PainPoint(time: c, kind: .checkoutNotFinished)) }
            cart = nil
            checkout = nil
        }
        for e in t {
            if e.time > now { break }
            if let l = last, e.time - l > gap { endSession() }
            last = e.time
            switch KnownEvent(rawValue: e.name) {
            case .productAdded?: cart = e.time
            case .checkoutStarted?: checkout = e.time
            case .orderCompleted?: cart = nil; checkout = nil
            case .supportTicketOpened?:
                if !e.value.isNaN && e.value < 0 { points.append(PainPoint(time: e.time, kind: .negativeSupport, sentiment: Double(e.value))) }
            default: break
            }
        }
        if let l = last, now - l > gap { endSession() }
        points.sort { $0.time < $1.time }
        return points
    }

    /// The pain points of one customer up to `now`.
    public func painPoints(customer c: UInt32, now: Int64) -> [PainPoint] {
        Self.painPoints(profiles[Int(c)].timeline, now: now, sessionGapMs: config.sessionGapMs)
    }

    /// Every pain point kind with the customers it touched and lost, the most customers lost first.
    /// - Complexity: O(events).
    public func painPointSummary(now: Int64) -> [PainPointSummary] {
        let kinds = PainPointKind.allCases
        var customers = [Int](repeating: 0, count: kinds.count), lost = customers, occurrences = customers
        var latest = [Int64](repeating: .min, count: kinds.count)
        for p in profiles {
            let points = Self.painPoints(p.timeline, now: now, sessionGapMs: config.sessionGapMs)
            guard !points.isEmpty else { continue }
            for k in latest.indices { latest[k] = .min }
            for point in points {
                let k = kinds.firstIndex(of: point.kind) ?? 0
                occurrences[k] += 1
                latest[k] = max(latest[k], point.time)
            }
            for k in kinds.indices where latest[k] != .min {
                customers[k] += 1
                if p.lastOrder == .min || p.lastOrder < latest[k] { lost[k] += 1 }
            }
        }
        return kinds.indices.map { PainPointSummary(kind: kinds[$0], customers: customers[$0], lost: lost[$0], occurrences: occurrences[$0]) }
            .sorted { $0.lost != $1.lost ? $0.lost > $1.lost : $0.customers > $1.customers }
    }
}
