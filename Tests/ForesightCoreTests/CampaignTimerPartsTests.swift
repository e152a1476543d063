import Foundation
import Testing
import ForesightCore

/// A flush's timer checks run in parts side by side decide exactly what one pass does.
@Suite struct CampaignTimerPartsTests {
    static let yaml = """
    triggers:
      - { name: cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: c, cooldown: 1d }
      - { name: viewed, after: Product Viewed, not_followed_by: Product Added, within: 1d, channel: email, template: v, cooldown: 2d }
      - { name: quiet week, inactive: 7d, channel: email, template: q7, cooldown: 7d }
      - { name: quiet fortnight, inactive: 14d, when: orders >= 1, channel: sms, template: q14, cooldown: 14d }
      - { name: order, on: Order Completed, channel: email, template: o, cooldown: 3d }
    """

    /// The fired and suppressed decisions (ids, customers, times, reasons) and the timers run after replaying
    /// `lines` with the timer checks of every flush split into `parts`, then a quiet month of clock.
    static func replay(_ lines: [String], parts: Int) throws -> (decisions: [String], timersRun: Int, report: CampaignsReport) {
        var p = try campaignPipeline(yaml)
        _ = p.updateCampaigns { $0.timerCheckParts = parts }
        var decisions: [String] = []
        func take() {
            decisions += takeDecisionLines(&p) { d in "\(d.id) \(d.customer) \(d.causeTime) \(d.sendTime) \(d.suppressed?.rawValue ?? "fired")" }
        }
        for start in stride(from: 0, to: lines.count, by: 5000) {
            feed(&p, Array(lines[start..<min(lines.count, start + 5000)]))
            p.flushSegments()
            take()
        }
        passQuietMonth(&p)
        take()
        let runner = try #require(p.campaigns)
        return (decisions, runner.timersRun, runner.report(now: p.engine.watermark))
    }

    @Test func timerChecksInPartsDecideWhatOnePassDoes() throws {
        let lines = SegmentParallelFlushTests.log(customers: 3000, days: 60, seed: 5)
        let serial = try Self.replay(lines, parts: 1)
        let parallel = try Self.replay(lines, parts: 3)
        // The log exercises every kind: waits that fire, inactivity that fires, and many checks.
        #expect(serial.timersRun > 10_000, "\(serial.timersRun)")
        let silent: [String] = serial.report.triggers.filter { $0.fired == 0 }.map { $0.name }
        #expect(silent.isEmpty, "never fired: \(silent)")
        #expect(parallel.timersRun == serial.timersRun)
        #expect(parallel.decisions.count == serial.decisions.count)
        let n = min(parallel.decisions.count, serial.decisions.count)
        let first = (0..<n).first { parallel.decisions[$0] != serial.decisions[$0] }
        #expect(first == nil, "the decisions differ first at \(first ?? -1)")
        #expect(parallel.report == serial.report)
    }
}
