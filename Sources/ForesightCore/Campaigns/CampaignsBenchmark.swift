import Foundation

/// The campaign triggers' benchmark: the replay as the live ingest thread reads (1 MiB batches on the
/// deferred path), with and without 20 triggers.
public enum CampaignsBenchmark {
    /// Twenty triggers of every kind but segment entries (measured with the segments): eight on events,
    /// four not-followed-by waits, four inactivity timers, two score crossings (they fire at score runs,
    /// not per event), two more on events with payloads; caps and quiet hours on.
    public static let sampleYAML = """
    campaigns:
      cap_per_day: 2
      cap_per_week: 5
      quiet_hours: { from: "21:00", to: "08:00", timezone: Europe/Berlin, mode: delay }
    triggers:
      - { name: T1 big order, on: Order Completed where revenue > 200, when: orders >= 2, channel: email, template: t1, payload: [email, revenue] }
      - { name: T2 browser, on: Product Viewed, when: product_views >= 20 and orders = 0, channel: email, template: t2 }
      - { name: T3 checkout, on: Checkout Started, channel: email, template: t3 }
      - { name: T4 click, on: Email Link Clicked, channel: email, template: t4 }
      - { name: T5 unhappy, on: Support Ticket Opened where sentiment < -0.5, channel: email, template: t5 }
      - { name: T6 bad review, on: Product Reviewed where rating <= 2, channel: email, template: t6 }
      - { name: T7 welcome, on: Signed Up, channel: email, template: t7 }
      - { name: T8 refund, on: Order Refunded, channel: sms, template: t8 }
      - { name: T9 cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: t9, payload: [email, product] }
      - { name: T10 checkout left, after: Checkout Started, not_followed_by: Order Completed, within: 30m, channel: sms, template: t10 }
      - { name: T11 viewed not added, after: Product Viewed, not_followed_by: Product Added, within: 1d, channel: email, template: t11 }
      - { name: T12 opened not clicked, after: Email Opened, not_followed_by: Email Link Clicked, within: 2d, channel: email, template: t12 }
      - { name: T13 quiet week, inactive: 7d, channel: email, template: t13 }
      - { name: T14 quiet fortnight, inactive: 14d, when: orders >= 1, channel: email, template: t14 }
      - { name: T15 quiet month, inactive: 30d, channel: email, template: t15, payload: [email, recency_days] }
      - { name: T16 quiet two months, inactive: 60d, channel: sms, template: t16 }
      - { name: T17 churn, score: churn_risk rises above 0.7, channel: email, template: t17 }
      - { name: T18 alive, score: p_alive falls below 0.3, channel: email, template: t18 }
      - { name: T19 cart viewed, on: Cart Viewed, when: cart_adds >= 3, channel: email, template: t19 }
      - { name: T20 pricey add, on: Product Added where price > 100, channel: email, template: t20, payload: [email, product, clv] }
    """

    /// ``sampleYAML`` loaded.
    public static var sampleConfiguration: CampaignsConfiguration {
        CampaignsConfiguration.parse(yaml: sampleYAML, file: "sample").configuration
    }

    /// One replay's figures.
    public struct ReplayRun: Sendable, Codable, Equatable {
        public var events: Int
        public var seconds: Double
        public var fired = 0
        public var heldOut = 0
        public var suppressed = 0
        public var timersRun = 0
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// Replays `path` in batches as ``LiveIngestor`` does, with the triggers of `configuration` (none when nil):
    /// each event observed, the runner's hourly flushes, one at the end.
    public static func replay(path: String, configuration: CampaignsConfiguration?, batchBytes: Int = 1 << 20,
                              clock: () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) throws
        -> (run: ReplayRun, pipeline: IngestPipeline) {
        var pipeline = IngestPipeline(sourceName: path)
        if let configuration { pipeline.setCampaigns(CampaignRunner(configuration: configuration)) }
        let source = try LogSources.open(path: path)
        let start = clock()
        while true {
            let status = try source.poll(maxBytes: batchBytes) { line in pipeline.consumeDeferred(line, quarantine: nil) }
            pipeline.flush()
            let end = status.atEOF || status.isFinished || status.bytesRead == 0
            if end {
                pipeline.flushSegments(force: true)
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
