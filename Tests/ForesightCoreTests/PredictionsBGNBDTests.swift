import Testing
import ForesightCore

/// BG/NBD closed forms against an independent computation, and their shape.
///
/// Expected values were computed with Python 3.11 + scipy 1.17 (`gammaln`, `betaln`, `hyp2f1`, the
/// formulas of Fader, Hardie & Lee 2005 as written in the paper, eqs. 6, 8, 9, 10, 11), except where a
/// comment says mpmath (60 digits) was used instead.
@Suite struct PredictionsBGNBDTests {
    /// CDNOW's estimates (a < 1) and a second set with a > 1.
    static let cdnow = BGNBDModel(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    static let other = BGNBDModel(r: 1.5, alpha: 10, a: 2.5, b: 4)

    struct Case: Sendable {
        var x: Double, tx: Double, age: Double
        var logLikelihood: Double, alive: Double, expected39: Double, expected2: Double
    }

    static let cdnowCases = [
        Case(x: 0, tx: 0, age: 38.857142857142854, logLikelihood: -0.5546972319626022, alive: 1,
             expected39: 0.19510966499308482, expected2: 0.011153167168113329),
        Case(x: 2, tx: 30.428571428571427, age: 38.857142857142854, logLikelihood: -9.458473557488498,
             alive: 0.7265897218354948, expected39: 1.2261158061493334, expected2: 0.07448491079603414),
        Case(x: 5, tx: 10, age: 38, logLikelihood: -14.369183276175475, alive: 0.027481579663076062,
             expected39: 0.10637639490372575, expected2: 0.006699854089067314),
        Case(x: 1, tx: 1.5, age: 20, logLikelihood: -4.242055399991129, alive: 0.34429950536327714,
             expected39: 0.5334056990767481, expected2: 0.034471240765858106),
    ]

    static let otherCases = [
        Case(x: 0, tx: 0, age: 38.857142857142854, logLikelihood: -2.3794732425198686, alive: 1,
             expected39: 0.8742167314397362, expected2: 0.06022134332144331),
        Case(x: 2, tx: 30.428571428571427, age: 38.857142857142854, logLikelihood: -9.04841587708092,
             alive: 0.5075928519158778, expected39: 0.9296149137163127, expected2: 0.07080814326855979),
        Case(x: 5, tx: 10, age: 38, logLikelihood: -13.20403284577422, alive: 0.01069320515648767,
             expected39: 0.03375096494752677, expected2: 0.002800852164956901),
        Case(x: 1, tx: 1.5, age: 20, logLikelihood: -3.0661370093877003, alive: 0.12706944728679745,
             expected39: 0.2373367783007104, expected2: 0.02038714712775395),
    ]

    static func close(_ value: Double, _ expected: Double, _ relative: Double = 1e-9) -> Bool {
        abs(value - expected) <= relative * max(abs(expected), 1e-300)
    }

    @Test(arguments: [(cdnow, cdnowCases), (other, otherCases)])
    func closedFormsMatchScipy(model: BGNBDModel, cases: [Case]) {
        for c in cases {
            #expect(Self.close(model.logLikelihood(x: c.x, tx: c.tx, age: c.age), c.logLikelihood), "ll \(c.x)")
            #expect(Self.close(model.probabilityAlive(x: c.x, tx: c.tx, age: c.age), c.alive), "alive \(c.x)")
            #expect(Self.close(model.expectedTransactions(in: 39, x: c.x, tx: c.tx, age: c.age), c.expected39), "E39 \(c.x)")
            #expect(Self.close(model.expectedTransactions(in: 2, x: c.x, tx: c.tx, age: c.age), c.expected2), "E2 \(c.x)")
        }
    }

    @Test func newCustomerFormsMatchScipy() {
        let m = Self.cdnow
        #expect(Self.close(m.expectedTransactionsOfNewCustomer(in: 39), 1.1967231933207985))
        #expect(Self.close(m.expectedTransactionsOfNewCustomer(in: 1), 0.05326789117165627))
        #expect(Self.close(m.expectedTransactionsOfNewCustomer(in: 200), 3.143855509111452))
        // mpmath: t = 2000 puts the series at z = 0.998 (thousands of terms).
        #expect(Self.close(m.expectedTransactionsOfNewCustomer(in: 2000), 8.6363127941929041, 1e-8))
        let pk: [(Int, Double)] = [(0, 0.5737863520960094), (1, 0.19939528083591138), (2, 0.0854297595390607), (5, 0.017965493866579037)]
        for (k, p) in pk { #expect(Self.close(m.probabilityOfTransactions(k, in: 39), p), "P(X=\(k))") }
        let o = Self.other
        #expect(Self.close(o.expectedTransactionsOfNewCustomer(in: 39), 2.1632219803367656))
        #expect(Self.close(o.expectedTransactionsOfNewCustomer(in: 1), 0.14315910112822555))
        let pkOther: [(Int, Double)] = [(0, 0.09219468396992359), (1, 0.41689076063625274), (2, 0.20856437432111657), (5, 0.038133871296976325)]
        for (k, p) in pkOther { #expect(Self.close(o.probabilityOfTransactions(k, in: 39), p), "P(X=\(k))") }
    }

    @Test(arguments: [cdnow, other])
    func transactionCountDistributionSumsToOneWithTheRightMean(model: BGNBDModel) {
        let probabilities = (0..<400).map { model.probabilityOfTransactions($0, in: 39) }
        #expect(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        let mean = probabilities.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        #expect(Self.close(mean, model.expectedTransactionsOfNewCustomer(in: 39), 1e-10))
        #expect(model.probabilityOfTransactions(-1, in: 39) == 0)
        #expect(model.probabilityOfTransactions(0, in: 0) == 1)
    }

    @Test func expectationHasNoSingularityAtAEqualsOne() {
        // mpmath, a = 1 + 1e-40: 1.027291915777826852.
        let m = BGNBDModel(r: 0.5, alpha: 3, a: 1, b: 2)
        #expect(Self.close(m.expectedTransactionsOfNewCustomer(in: 10), 1.027291915777826852, 1e-10))
        let near = BGNBDModel(r: 0.5, alpha: 3, a: 1 + 1e-12, b: 2)
        #expect(Self.close(near.expectedTransactionsOfNewCustomer(in: 10), 1.027291915777826852, 1e-9))
        // a + b < 1 (the hypergeometric's c < 0); mpmath, and the same by direct integration over p.
        let small = BGNBDModel(r: 0.3, alpha: 2, a: 0.4, b: 0.3)
        #expect(Self.close(small.expectedTransactionsOfNewCustomer(in: 5), 0.45804926731544639, 1e-10))
    }

    @Test(arguments: [cdnow, other])
    func probabilityAliveFallsAsTheLastPurchaseRecedes(model: BGNBDModel) {
        for x in [1.0, 3, 10, 50] {
            let curve = stride(from: 40.0, through: 0, by: -2.5).map { model.probabilityAlive(x: x, tx: $0, age: 40) }
            #expect(curve.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(zip(curve, curve.dropFirst()).allSatisfy { $0 > $1 }, "x = \(x)")
        }
        // Huge x and T must not overflow.
        let extreme = model.probabilityAlive(x: 5000, tx: 10, age: 5000)
        #expect(extreme >= 0 && extreme < 1e-100)
        #expect(model.logLikelihood(x: 5000, tx: 4999, age: 5000).isFinite)
    }

    @Test(arguments: [cdnow, other])
    func expectedTransactionsGrowWithFrequency(model: BGNBDModel) {
        // A customer who has just bought (t_x = T): more past purchases, more expected purchases.
        // From x = 1 on: BG/NBD holds a one-time buyer alive for sure, so with a high dropout
        // probability (a/(a+b) = 0.38 for the second model) x = 0 can expect more than x = 1
        // (scipy: 0.74848 against 0.72822).
        let values = (1...30).map { model.expectedTransactions(in: 26, x: Double($0), tx: 30, age: 30) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        // And more with a longer horizon.
        let horizons = [1.0, 5, 26, 52, 104].map { model.expectedTransactions(in: $0, x: 3, tx: 20, age: 30) }
        #expect(zip(horizons, horizons.dropFirst()).allSatisfy { $0 < $1 })
        #expect(model.expectedTransactions(in: 0, x: 3, tx: 20, age: 30) == 0)
    }
}
