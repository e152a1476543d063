/// What RFM scoring needs of the customers with orders, copied out of the engine in O(customers) so
/// the scoring runs off the ingest thread (about 16 bytes per buyer).
public struct RFMExtract: Sendable {
    /// Customer ids of the buyers.
    public var customers: [UInt32] = []
    /// UTC day of each buyer's latest order.
    public var lastOrderDay: [Int32] = []
    public var orders: [UInt32] = []
    public var revenue: [Float] = []
    /// Customers in the engine (buyers or not), for the dense lookup table.
    public var customerCount = 0

    public init() {}

    /// Appends one buyer.
    public mutating func append(customer: UInt32, lastOrderDay: Int32, orders: UInt32, revenue: Float) {
        customers.append(customer)
        self.lastOrderDay.append(lastOrderDay)
        self.orders.append(orders)
        self.revenue.append(revenue)
        customerCount = max(customerCount, Int(customer) + 1)
    }

    public var count: Int { customers.count }
}

/// One customer's RFM scores and segment.
public struct RFMScore: Sendable, Equatable {
    public var recency: Int
    public var frequency: Int
    public var monetary: Int
    /// Index into ``RFMMap/names``.
    public var segment: Int

    /// `(F + M) / 2` rounded down.
    public var frequencyMonetary: Int { RFMMap.frequencyMonetary(f: frequency, m: monetary) }
    /// "545".
    public var code: String { "\(recency)\(frequency)\(monetary)" }
}

/// The result of one RFM scoring: every buyer's scores and segment, sizes, and the quintile cut-offs.
public struct RFMScores: Sendable {
    /// Segment names (the map's, then Other).
    public let names: [String]
    /// Customers per segment, in ``names`` order.
    public let sizes: [Int]
    /// Per dimension (R as a day number, F, M): the smallest value given score 2, 3, 4 and 5 (nil when
    /// no value reached that score).
    public let recencyCutoffs: [Double?], frequencyCutoffs: [Double?], monetaryCutoffs: [Double?]
    /// Per customer: 0 without orders, else r | f << 3 | m << 6 | (segment + 1) << 9.
    let packed: [UInt16]

    /// The scores of a customer, nil without orders.
    public func score(of c: UInt32) -> RFMScore? {
        let i = Int(c)
        guard i < packed.count, packed[i] != 0 else { return nil }
        let p = Int(packed[i])
        return RFMScore(recency: p & 7, frequency: (p >> 3) & 7, monetary: (p >> 6) & 7, segment: (p >> 9) - 1)
    }

    /// The customers in a segment, in id order.
    /// - Complexity: O(customers).
    public func members(of segment: Int) -> [UInt32] {
        var out: [UInt32] = []
        for (i, p) in packed.enumerated() where p != 0 && Int(p >> 9) - 1 == segment { out.append(UInt32(i)) }
        return out
    }

    /// Customers who moved between segments since `previous`, as (from, to, count), largest first.
    /// Customers new to RFM (their first order) are not moves.
    /// - Complexity: O(customers).
    public func moves(since previous: RFMScores) -> [(from: String, to: String, count: Int)] {
        let k = names.count
        var counts = [Int](repeating: 0, count: k * k)
        for i in 0..<min(packed.count, previous.packed.count) where packed[i] != 0 && previous.packed[i] != 0 {
            let a = Int(previous.packed[i] >> 9) - 1, b = Int(packed[i] >> 9) - 1
            if a != b && a < k { counts[a * k + b] += 1 }
        }
        var out: [(String, String, Int)] = []
        for a in 0..<k { for b in 0..<k where counts[a * k + b] > 0 { out.append((names[a], names[b], counts[a * k + b])) } }
        return out.sorted { $0.2 > $1.2 }
    }
}

/// Scores recency, frequency and monetary value 1–5 by quintiles over the customers with orders.
///
/// A customer's score comes from the middle rank of the customers tied with it (`1 + ⌊5 · midrank / n⌋`),
/// so equal values always get equal scores, and a value shared by many customers (one order) gets the
/// score of the middle of its run rather than pushing the run into one end. Recency is the UTC day of
/// the latest order: more recent, higher.
public enum RFMScorer {
    /// Scores an extract with a map.
    /// - Complexity: O(n log n) for the three sorts over n buyers, then O(n + customers).
    public static func score(_ extract: RFMExtract, map: RFMMap = .standard) -> RFMScores {
        let n = extract.count
        let r = cutoffs(extract.lastOrderDay.map(Double.init))
        let f = cutoffs(extract.orders.map(Double.init))
        let m = cutoffs(extract.revenue.map(Double.init))
        let grid = map.grid
        var packed = [UInt16](repeating: 0, count: extract.customerCount)
        var sizes = [Int](repeating: 0, count: map.rules.count + 1)
        for i in 0..<n {
            let rs = scoreOf(Double(extract.lastOrderDay[i]), r)
            let fs = scoreOf(Double(extract.orders[i]), f)
            let ms = scoreOf(Double(extract.revenue[i]), m)
            let segment = Int(grid[(rs - 1) * 5 + RFMMap.frequencyMonetary(f: fs, m: ms) - 1])
            sizes[segment] += 1
            packed[Int(extract.customers[i])] = UInt16(rs | fs << 3 | ms << 6 | (segment + 1) << 9)
        }
        return RFMScores(names: map.names, sizes: sizes, recencyCutoffs: r, frequencyCutoffs: f, monetaryCutoffs: m,
                         packed: packed)
    }

    /// The smallest value scored 2, 3, 4, 5 (nil when no value gets that score).
    static func cutoffs(_ values: [Double]) -> [Double?] {
        let sorted = values.sorted()
        let n = sorted.count
        var out: [Double?] = [nil, nil, nil, nil]
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && sorted[end] == sorted[start] { end += 1 }
            let mid = Double(start + end - 1) / 2
            let s = min(5, 1 + Int(5 * mid / Double(n)))
            // Scores rise with the value: the first run reaching a score sets its cut-off.
            for k in 2...5 where s >= k && out[k - 2] == nil { out[k - 2] = sorted[start] }
            start = end
        }
        return out
    }

    @inline(__always)
    static func scoreOf(_ v: Double, _ cutoffs: [Double?]) -> Int {
        var s = 1
        for c in cutoffs { if let c, v >= c { s += 1 } }
        return s
    }
}
