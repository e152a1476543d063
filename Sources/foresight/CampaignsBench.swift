import ForesightCore
import ForesightUI
import Foundation

/// `foresight bench --campaigns [FILE]`: the replay with and without the 20 sample triggers (alternating,
/// best of `runs` each) and their ratio; then the dry run of the bundled configuration (`foresight campaigns
/// --dry-run`, score runs included) against the plain replay's time.
enum CampaignsBench {
    struct Result: Encodable {
        var file: String
        var triggers: Int
        var runs: Int
        var without: CampaignsBenchmark.ReplayRun
        var with: CampaignsBenchmark.ReplayRun
        var ratio: Double
        var aggressive: CampaignsBenchmark.ReplayRun?
        var aggressiveRatio: Double?
        var dryRunSeconds: Double?
        var dryRunScoreRuns: Int?
        var dryRunScoreWaitSeconds: Double?
    }

    static func run(path given: String?, customers: Int, days: Int, seed: UInt64, runs: Int, config: String?, timerCheckParts: Int? = nil,
                    triggersOnly: Bool = false, plainOnly: Bool = false, json: Bool) throws {
        let path = try given ?? BenchLog.generate("campbench", customers: customers, days: days, seed: seed)
        defer { if given == nil { try? FileManager.default.removeItem(atPath: path) } }
        let sample = CampaignsBenchmark.sampleConfiguration
        if triggersOnly || plainOnly {
            do {
                return try profileRuns(path: path, configuration: plainOnly ? nil : sample, runs: runs, timerCheckParts: timerCheckParts)
            } catch let error as IngestError {
                throw CLIError(error.message)
            }
        }
        var best: [Bool: CampaignsBenchmark.ReplayRun] = [:]
        do {
            for _ in 0..<max(1, runs) {
                for withTriggers in [false, true] {
                    let (run, _) = try CampaignsBenchmark.replay(path: path, configuration: withTriggers ? sample : nil,
                                                                 timerCheckParts: timerCheckParts, clock: monotonicSeconds)
                    if best[withTriggers].map({ run.seconds < $0.seconds }) ?? true { best[withTriggers] = run }
                }
            }
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        guard let without = best[false], let with = best[true] else { throw CLIError("\(path): nothing replayed") }
        var result = Result(file: path, triggers: sample.triggers.count, runs: max(1, runs), without: without, with: with,
                            ratio: without.eventsPerSecond > 0 ? with.eventsPerSecond / without.eventsPerSecond : 0)
        // The stress set, once: what a decision costs.
        if let (run, _) = try? CampaignsBenchmark.replay(path: path, configuration: CampaignsBenchmark.aggressiveConfiguration, clock: monotonicSeconds) {
            result.aggressive = run
            result.aggressiveRatio = without.eventsPerSecond > 0 ? run.eventsPerSecond / without.eventsPerSecond : 0
        }
        // The dry run of the bundled configuration, as `foresight campaigns FILE --dry-run` runs it.
        var options = ConfigOptions()
        options.config = config
        if (try? options.resolvedPath()) ?? nil != nil {
            let setup = try CampaignSetup.load(config: options, engine: EngineConfig())
            var pipeline = IngestPipeline(sourceName: path)
            pipeline.segments = setup.segments
            pipeline.setCampaigns(setup.runner)
            let start = monotonicSeconds()
            let summary = try CampaignReplay.run(path: path, maxLineBytes: 1 << 20, pipeline: &pipeline, clock: monotonicSeconds)
            result.dryRunSeconds = monotonicSeconds() - start
            result.dryRunScoreRuns = summary.scoreRuns
            result.dryRunScoreWaitSeconds = summary.scoreSeconds
        }
        if json { try printJSON(result); return }
        func rate(_ r: CampaignsBenchmark.ReplayRun) -> String {
            "\(Format.decimal(r.eventsPerSecond / 1e6, places: 2))M events/s (\(Format.decimal(r.seconds, places: 2)) s)"
        }
        print("Replay of \(path): \(Format.integer(without.events)) events, best of \(result.runs)")
        print("  without triggers:      \(rate(without))")
        print("  with \(result.triggers) triggers:       \(rate(with)); \(Format.integer(with.fired)) fired, \(Format.integer(with.heldOut)) held out, \(Format.integer(with.suppressed)) suppressed, \(Format.integer(with.timersRun)) timer checks")
        print("  ratio with / without:  \(Format.decimal(result.ratio * 100, places: 1))% (\(Format.decimal(with.decisionsPerEvent * 100, places: 1)) decisions per 100 events)")
        if let a = result.aggressive, let r = result.aggressiveRatio {
            let extra = max(0, a.seconds - without.seconds)
            let decisions = a.fired + a.heldOut + a.suppressed
            print("  20 triggers aimed at everyone: \(rate(a)), \(Format.decimal(a.decisionsPerEvent * 100, places: 1)) decisions per 100 events, \(Format.decimal(r * 100, places: 1))%; about \(Format.decimal(decisions > 0 ? extra / Double(decisions) * 1e6 : 0, places: 1)) µs per decision")
        }
        if let s = result.dryRunSeconds {
            print("  dry run of the bundled configuration: \(Format.decimal(s, places: 2)) s (\(result.dryRunScoreRuns ?? 0) score runs in the background, \(Format.decimal(result.dryRunScoreWaitSeconds ?? 0, places: 2)) s waited for them) against \(Format.decimal(without.seconds, places: 2)) s for the plain replay")
        }
    }

    /// `--triggers-only`: the replays with the triggers alone (to profile them), with the timer checks per trigger;
    /// `--plain-only` (`configuration` nil): the replays without them.
    private static func profileRuns(path: String, configuration: CampaignsConfiguration?, runs: Int, timerCheckParts: Int?) throws {
        for _ in 0..<max(1, runs) {
            let (run, pipeline) = try CampaignsBenchmark.replay(path: path, configuration: configuration,
                                                                timerCheckParts: timerCheckParts, clock: monotonicSeconds)
            guard let configuration else {
                print("without triggers: \(Format.decimal(run.seconds, places: 2)) s")
                continue
            }
            print("with \(configuration.triggers.count) triggers: \(Format.decimal(run.seconds, places: 2)) s, \(Format.integer(run.fired)) fired, \(Format.integer(run.heldOut)) held out, \(Format.integer(run.suppressed)) suppressed, \(Format.integer(run.timersRun)) timer checks")
            if let runner = pipeline.campaigns {
                let checks = zip(runner.triggers, runner.checksByTrigger).filter { $0.1 > 0 }
                print("  timer checks by trigger: " + checks.map { "\($0.0.name) \(Format.integer($0.1))" }.joined(separator: ", "))
            }
        }
    }
}
