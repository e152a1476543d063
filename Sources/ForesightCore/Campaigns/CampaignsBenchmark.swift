import Foundation

/// The campaign triggers' benchmark: the replay as the live ingest thread reads (1 MiB batches on the
/// deferred path), with and without 20 triggers.
public enum CampaignsBenchmark {
    /// Twenty triggers of every kind but segment entries (measured with the segments), written as a marketer
    /// would: each aimed at a group (a `when` rule, a value test) with a cooldown of one to four weeks. Eight on
    /// events, four not-followed-by waits, four inactivity timers, two score crossings (they fire at score runs,
    /// not per event), two more on events with payloads; caps and quiet hours on.
    public static let sampleYAML = """
    campaigns:
      cap_per_day: 2
      cap_per_week: 5
      quiet_hours: { from: "21:00", to: "08:00", timezone: Europe/Berlin, mode: delay }
    triggers:
      - { name: T1 big order, on: Order Completed where revenue > 200, when: orders >= 2, channel: email, template: t1, payload: [email, revenue], cooldown: 14d }
      - { name: T2 browser, on: Product Viewed, when: product_views >= 20 and orders = 0, channel: email, template: t2, cooldown: 30d }
      - { name: T3 first checkout, on: Checkout Started, when: orders = 0 and checkouts = 1, channel: email, template: t3, cooldown: 30d }
      - { name: T4 first click, on: Email Link Clicked, when: email_clicks = 1, channel: email, template: t4, cooldown: 30d }
      - { name: T5 unhappy, on: Support Ticket Opened where sentiment < -0.5, channel: email, template: t5, cooldown: 7d }
      - { name: T6 bad review, on: Product Reviewed where rating <= 2, channel: email, template: t6, cooldown: 7d }
      - { name: T7 welcome, on: Signed Up, channel: email, template: t7, cooldown: 30d }
      - { name: T8 refund, on: Order Refunded, channel: sms, template: t8, cooldown: 14d }
      - { name: T9 cart, after: Product Added, not_followed_by: Order Completed, within: 1h, when: cart_adds >= 2, channel: email, template: t9, payload: [email, product], cooldown: 7d }
      - { name: T10 checkout left, after: Checkout Started, not_followed_by: Order Completed, within: 30m, channel: sms, template: t10, cooldown: 7d }
      - { name: T11 viewed not added, after: Product Viewed, not_followed_by: Product Added, within: 1d, when: product_views >= 30 and cart_adds = 0, channel: email, template: t11, cooldown: 30d }
      - { name: T12 opened not clicked, after: Email Opened, not_followed_by: Email Link Clicked, within: 2d, when: email_opens >= 5 and email_clicks = 0, channel: email, template: t12, cooldown: 30d }
      - { name: T13 quiet week, inactive: 7d, when: orders >= 3, channel: email, template: t13, cooldown: 28d }
      - { name: T14 quiet fortnight, inactive: 14d, when: orders >= 1, channel: email, template: t14, cooldown: 28d }
      - { name: T15 quiet month, inactive: 30d, channel: email, template: t15, payload: [email, recency_days], cooldown: 60d }
      - { name: T16 quiet two months, inactive: 60d, when: orders >= 1, channel: sms, template: t16, cooldown: 90d }
      - { name: T17 churn, score: churn_risk rises above 0.7, channel: email, template: t17, cooldown: 30d }
      - { name: T18 alive, score: p_alive falls below 0.3, channel: email, template: t18, cooldown: 30d }
      - { name: T19 cart viewed, on: Cart Viewed, when: cart_adds >= 5 and orders = 0, channel: email, template: t19, cooldown: 14d }
      - { name: T20 pricey add, on: Product Added where price > 150, when: orders >= 1, channel: email, template: t20, payload: [email, product, clv], cooldown: 14d }
    """

    /// The same kinds aimed at everyone, each with the default 7-day cooldown: a stress test (about one
    /// decision per three events), to see the cost per decision.
    public static let aggressiveYAML = """
    campaigns:
      cap_per_day: 2
      cap_per_week: 5
      quiet_hours: { from: "21:00", to: "08:00", timezone: Europe/Berlin, mode: delay }
    triggers:
      - { name: A1, on: Order Completed where revenue > 200, channel: email, template: a1, payload: [email, revenue] }
      - { name: A2, on: Product Viewed, when: product_views >= 20 and orders = 0, channel: email, template: a2 }
      - { name: A3, on: Checkout Started, channel: email, template: a3 }
      - { name: A4, on: Email Link Clicked, channel: email, template: a4 }
      - { name: A5, on: Support Ticket Opened where sentiment < -0.5, channel: email, template: a5 }
      - { name: A6, on: Product Reviewed where rating <= 2, channel: email, template: a6 }
      - { name: A7, on: Signed Up, channel: email, template: a7 }
      - { name: A8, on: Order Refunded, channel: sms, template: a8 }
      - { name: A9, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: a9, payload: [email, product] }
      - { name: A10, after: Checkout Started, not_followed_by: Order Completed, within: 30m, channel: sms, template: a10 }
      - { name: A11, after: Product Viewed, not_followed_by: Product Added, within: 1d, channel: email, template: a11 }
      - { name: A12, after: Email Opened, not_followed_by: Email Link Clicked, within: 2d, channel: email, template: a12 }
      - { name: A13, inactive: 7d, channel: email, template: a13 }
      - { name: A14, inactive: 14d, when: orders >= 1, channel: email, template: a14 }
      - { name: A15, inactive: 30d, channel: email, template: a15, payload: [email, recency_days] }
      - { name: A16, inactive: 60d, channel: sms, template: a16 }
      - { name: A17, score: churn_risk rises above 0.7, channel: email, template: a17 }
      - { name: A18, score: p_alive falls below 0.3, channel: email, template: a18 }
      - { name: A19, on: Cart Viewed, when: cart_adds >= 3, channel: email, template: a19 }
      - { name: A20, on: Product Added where price > 100, channel: email, template: a20, payload: [email, product, clv] }
    """

    /// ``sampleYAML`` loaded.
    public static var sampleConfiguration: CampaignsConfiguration {
        CampaignsConfiguration.parse(yaml: sampleYAML, file: "sample").configuration
    }

    /// ``aggressiveYAML`` loaded.
    public static var aggressiveConfiguration: CampaignsConfiguration {
        CampaignsConfiguration.parse(yaml: aggressiveYAML, file: "aggressive").configuration
    }

    /// One replay's figures.
    public struct ReplayRun: Sendable, Codable, Equatable {
        public var events: Int
        public var seconds: Double
        public var fired = 0
        public var heldOut = 0
        public var suppressed = 0
        public var timersRun = 0
        /// Decisions (fired, held out, suppressed) per accepted event.
        public var decisionsPerEvent: Double { events > 0 ? Double(fired + heldOut + suppressed) / Double(events) : 0 }
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// Replays `path` in batches as ``LiveIngestor`` does, with the triggers of `configuration` (none when nil):
    /// each event observed, the runner's hourly flushes, one at the end.
    public static func replay(path: String, configuration: CampaignsConfiguration?, batchBytes: Int = 1 << 20, timerCheckParts: Int? = nil,
                              clock: () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) throws
        -> (run: ReplayRun, pipeline: IngestPipeline) {
        var pipeline = IngestPipeline(sourceName: path)
        if let configuration {
            var runner = CampaignRunner(configuration: configuration)
            runner.timerCheckParts = timerCheckParts
            pipeline.setCampaigns(runner)
        }
        let source = try LogSources.open(path: path)
        let start = clock()
        while true {
            let status = try source.poll(maxBytes: batchBytes) { line in pipeline.consumeDeferred(line, quarantine: nil) }
            pipeline.flush()
            let end = status.atEOF || status.isFinished || status.bytesRead == 0
            if end {
                pipeline.flushSegments(force: true)
                pipeline.joinCampaigns()
                break
            }
        }
        var run = ReplayRun(events: pipeline.engine.stats.accepted, seconds: clock() - start)
        if let runner = pipeline.campaigns {
            let report = runner.report(now: pipeline.engine.watermark)
            run.fired = report.fired
            run.heldOut = report.heldOut
            run.suppressed = report.suppressed
            run.timersRun = runner.timersRun
        }
        return (run, pipeline)
    }
}
