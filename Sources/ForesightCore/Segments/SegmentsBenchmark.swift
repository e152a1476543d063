#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times the whole-population segment work: RFM re-scoring, a k-means fit and a mini-batch refit,
/// and the per-customer rule maintenance, on synthetic customers or an engine's. Meant for
/// `foresight bench --segments`; run it on a release build.
public enum SegmentsBenchmark {
    /// Timings of one run, in milliseconds unless named otherwise.
    public struct Report: Sendable, Codable, Equatable {
        public var customers: Int
        public var buyers: Int
        /// Copying the RFM extract out of the engine (0 for synthetic data).
        public var rfmExtractMs: Double
        public var rfmScoreMs: Double
        /// Building the standardised feature matrix (synthetic: from raw rows).
        public var featuresMs: Double
        /// k chosen by silhouette (fit on a 10k sample, scored on 1.5k).
        public var chooseKMs: Double
        public var k: Int
        /// Full fit: k-means++ on a sample, Lloyd iterations over every customer.
        public var fitMs: Double
        /// Mini-batch refit from the previous centroids, with the assignment of every customer.
        public var refitMs: Double
        /// Rule segments evaluated per customer update.
        public var ruleSegments: Int
        /// One customer's update of every rule segment, in nanoseconds.
        public var updateNsPerCustomer: Double
        /// The same after a page view: only the segments reading what a page view changes are evaluated.
        public var pageViewUpdateNsPerCustomer: Double

        /// A few lines of text.
        public var text: String {
            func f(_ v: Double) -> String { String(Double((v * 10).rounded()) / 10) }
            return """
            segments benchmark: \(customers) customers, \(buyers) with orders
              RFM scoring       \(f(rfmScoreMs)) ms (+ \(f(rfmExtractMs)) ms to copy the extract)
              features          \(f(featuresMs)) ms
              choose k          \(f(chooseKMs)) ms (k = \(k))
              k-means fit       \(f(fitMs)) ms
              k-means refit     \(f(refitMs)) ms (mini-batch + assignment)
              rule update       \(f(updateNsPerCustomer)) ns per customer for \(ruleSegments) rule segments (all evaluated)
              after a page view \(f(pageViewUpdateNsPerCustomer)) ns per customer (segments reading what it changes)
            """
        }
    }

    /// The rule segments timed per customer update: a mix like a real configuration's.
    public static let sampleRules: [String] = [
        "recency_days <= 7", "recency_days <= 30", "tenure_days <= 30", "orders >= 2", "revenue >= 500 or aov >= 150",
        "segment(\"S4\") and orders >= 3 and recency_days <= 60", "orders = 0 and sessions >= 3",
        "email_opt_in and email_opens >= 3", "orders >= 1 and recency_days between 30 and 90",
        "churn_risk >= 0.7", "clv >= 200 and p_alive < 0.5", "stage = \"Lapsed\"", "stage in [\"At Risk\", \"Lapsed\"]",
        "country in [\"DE\", \"AT\", \"CH\"]", "age between 18 and 34", "cart_adds > 3", "support_tickets >= 2",
        "not email_opt_in and sms_opt_in", "days_since_order > 45 and orders >= 2", "events >= 100",
    ]

    /// Runs on `customers` synthetic customers (deterministic for a seed).
    public static func run(customers n: Int, seed: UInt64 = 1) -> Report {
        var rng = ClusterRandom(seed: seed)
        let now: Int64 = 1_780_000_000_000
        let day: Int64 = 86_400_000
        var profiles: [Profile] = []
        profiles.reserveCapacity(n)
        for _ in 0..<n {
            var p = Profile()
            p.firstSeen = now - Int64(rng.unit() * 365) * day
            p.lastSeen = p.firstSeen + Int64(rng.unit() * Double(now - p.firstSeen))
            let buyer = rng.unit() < 0.4
            p.orderCount = buyer ? UInt32(1 + Int(-log(1 - rng.unit()) * 1.5)) : 0
            p.revenue = Double(p.orderCount) * 20 * (1 + 4 * rng.unit() * rng.unit())
            if buyer { p.lastOrder = p.lastSeen - Int64(rng.unit() * 10) * day; p.firstOrder = p.lastOrder }
            p.sessions = UInt32(1 + Int(rng.unit() * rng.unit() * 40))
            p.events = p.sessions * UInt32(3 + Int(rng.unit() * 8))
            p.emailOpens = UInt32(rng.unit() * rng.unit() * 20)
            p.emailClicks = UInt32(Double(p.emailOpens) * rng.unit() * 0.4)
            p.cartAdds = p.orderCount + UInt32(rng.unit() * 3)
            p.supportTickets = rng.unit() < 0.1 ? UInt32(1 + Int(rng.unit() * 3)) : 0
            profiles.append(p)
        }
        return run(profiles: profiles, now: now, rfmExtract: nil, extractMs: 0)
    }

    /// Runs on an engine's customers at `now` (its watermark, usually).
    public static func run(engine: Engine, now: Int64) -> Report {
        let clock = ContinuousClock()
        var extract = RFMExtract()
        let extractTime = clock.measure { extract = engine.rfmExtract() }
        return run(profiles: engine.profiles, now: now, rfmExtract: extract, extractMs: milliseconds(extractTime))
    }

    private static func run(profiles: [Profile], now: Int64, rfmExtract: RFMExtract?, extractMs: Double) -> Report {
        let clock = ContinuousClock()
        var extract = rfmExtract ?? RFMExtract()
        if rfmExtract == nil {
            extract.customerCount = profiles.count
            profiles.withUnsafeBufferPointer { all in
                for i in all.indices where all[i].orderCount > 0 {
                    extract.append(customer: UInt32(i), lastOrderDay: Int32(Timestamp.day(all[i].lastOrder)),
                                   orders: all[i].orderCount, revenue: Float(all[i].revenue))
                }
            }
        }
        var buyersScored = 0
        let rfmTime = clock.measure { buyersScored = RFMScorer.score(extract).sizes.reduce(0, +) }

        let features = BehaviourFeature.allCases
        var matrix = BehaviourMatrix(features: features, customers: [], logged: [])
        let featureTime = clock.measure {
            var logged: [Float] = []
            var ids: [UInt32] = []
            logged.reserveCapacity(profiles.count * features.count)
            profiles.withUnsafeBufferPointer { all in
                for i in all.indices where all[i].events > 0 {
                    ids.append(UInt32(i))
                    BehaviourFigures(all, i).append(features, now: now, to: &logged)
                }
            }
            matrix = BehaviourMatrix(features: features, customers: ids, logged: logged)
        }
        var k = 2
        let chooseTime = clock.measure { k = KMeans.chooseK(matrix).k }
        var model: KMeansModel?
        let fitTime = clock.measure { model = KMeans.fit(matrix, k: k) }
        var refitted: KMeansModel?
        let refitTime = clock.measure { if let model { refitted = KMeans.refit(matrix, from: model) } }
        _ = refitted

        // Per-customer rule maintenance, on up to 100k customers.
        let segments = sampleRules.enumerated().compactMap { i, text -> RuleSegment? in
            guard case .success(let rule) = CompiledRule.compile(text) else { return nil }
            return RuleSegment(name: "S\(i)", rule: rule)
        }
        var membership = SegmentMembership(segments: segments)
        let labels = Interner(capacity: 16), names = Interner(capacity: 16)
        let sample = min(profiles.count, 100_000)
        var changes = 0
        // A first pass enters every customer in its segments; the timed pass is the steady state, where
        // an event rarely changes a membership.
        let stageRules = StageRules()
        func pass(_ changed: RuleInputs) {
            profiles.withUnsafeBufferPointer { all in
                guard let base = all.baseAddress else { return }
                for c in 0..<sample {
                    let input = RuleInput(profile: base + c, traits: nil, scores: .unknown, now: now,
                                          stageRules: stageRules, sessionGapMs: 30 * 60_000)
                    changes &+= membership.update(customer: UInt32(c), input: input, labels: labels, eventNames: names,
                                                  changed: changed).count
                }
            }
        }
        pass(.all)
        let updateTime = clock.measure { pass(.all) }
        let pageView = RuleInputs.changed(byEvent: KnownEvent.pageViewed.id)
        let pageViewTime = clock.measure { pass(pageView) }
        _ = changes
        return Report(customers: profiles.count, buyers: buyersScored, rfmExtractMs: extractMs,
                      rfmScoreMs: milliseconds(rfmTime), featuresMs: milliseconds(featureTime),
                      chooseKMs: milliseconds(chooseTime), k: k, fitMs: milliseconds(fitTime),
                      refitMs: milliseconds(refitTime), ruleSegments: segments.count,
                      updateNsPerCustomer: sample > 0 ? milliseconds(updateTime) * 1e6 / Double(sample) : 0,
                      pageViewUpdateNsPerCustomer: sample > 0 ? milliseconds(pageViewTime) * 1e6 / Double(sample) : 0)
    }

    /// The best of `runs` flushes of every customer of `engine` (each marked as changed in every input) into
    /// a new membership of `configuration`'s segments, its evaluation split into `parts` (nil: as a replay's
    /// flush splits it); in seconds, with the changes of one such flush.
    public static func fullFlush(engine: Engine, configuration: SegmentsConfiguration, parts: Int?, runs: Int = 3)
        -> (seconds: Double, changes: Int) {
        let clock = ContinuousClock()
        guard let now = engine.watermark else { return (0, 0) }
        var best = Double.infinity, changes = 0
        for _ in 0..<max(1, runs) {
            var membership = SegmentMembership(segments: configuration.segments)
            membership.explainsChanges = false
            var batch = SegmentUpdateBatch()
            batch.parts = parts
            for c in 0..<UInt32(engine.profiles.count) { batch.mark(customer: c) }
            let time = clock.measure {
                changes = batch.flush(into: &membership, engine: engine, scores: NoSegmentScores(), now: now).count
            }
            best = min(best, milliseconds(time) / 1000)
        }
        return (best, changes)
    }

    private static func milliseconds(_ d: Duration) -> Double {
        let (s, attos) = d.components
        return Double(s) * 1000 + Double(attos) / 1e15
    }
}
