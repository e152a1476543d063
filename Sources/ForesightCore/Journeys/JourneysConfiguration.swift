import Foundation
import Yams

/// The journeys part of `foresight.yml`: the stage rules and the default funnel.
public struct JourneysConfiguration: Sendable, Equatable {
    public var stageRules: StageRules
    /// The funnel the Journeys view opens with.
    public var funnel: FunnelSteps

    /// The default funnel: view, cart, checkout, order.
    public static let standardFunnel = FunnelSteps(steps: [["Product Viewed"], ["Product Added"], ["Checkout Started"], ["Order Completed"]])

    public init(stageRules: StageRules = StageRules(), funnel: FunnelSteps = JourneysConfiguration.standardFunnel) {
        self.stageRules = stageRules
        self.funnel = funnel
    }
}

/// What loading the journeys section gave: the configuration (defaults where the file says nothing or
/// is wrong) and every problem found, as file:line:column.
public struct JourneysConfigurationLoad: Sendable {
    public var configuration: JourneysConfiguration
    public var problems: [ConfigProblem]
    /// False when the file could not be read or its YAML did not parse.
    public var isUsable: Bool
}

extension JourneysConfiguration {
    /// Loads the `journeys:` section of a configuration file.
    public static func load(path: String) -> JourneysConfigurationLoad {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            return JourneysConfigurationLoad(configuration: JourneysConfiguration(),
                                             problems: [ConfigProblem(file: name, line: 1, column: 1, reason: "cannot read \(path)")],
                                             isUsable: false)
        }
        return parse(yaml: String(decoding: data, as: UTF8.self), file: name)
    }

    /// Parses configuration text (only its `journeys:` section); `file` names it in problems.
    public static func parse(yaml: String, file: String) -> JourneysConfigurationLoad {
        var doc = ConfigDocument(yaml: yaml, file: file)
        // Problems of the whole document (YAML errors) are the segments loader's to report too; keep them here
        // so that a command reading only journeys still says why the file is unusable.
        var config = JourneysConfiguration()
        if let (_, node) = doc.section("journeys") { config = JourneysSection.read(node, &doc) }
        return JourneysConfigurationLoad(configuration: config, problems: doc.problems, isUsable: doc.parsed)
    }
}

/// Reads `journeys:` — `stages`, `at_risk`, `lapsed`, `funnel`, `funnel_window`.
enum JourneysSection {
    static let keys = ["stages", "at_risk", "lapsed", "funnel", "funnel_window"]

    static func read(_ node: Node, _ doc: inout ConfigDocument) -> JourneysConfiguration {
        guard case .mapping(let m) = node else {
            doc.report("'journeys' must be a mapping (\(keys.joined(separator: ", ")))", at: node)
            return JourneysConfiguration()
        }
        doc.checkKeys(m, known: keys, in: "journeys")
        var rules = StageMapping.standard.rules
        if let stages = m["stages"] {
            if case .mapping(let sm) = stages {
                for (key, value) in sm {
                    guard let name = key.string, let stage = LifecycleStage.named(name), stage.isBase else {
                        let names = StageMapping.baseStages.map(\.label)
                        let hint = key.string.flatMap { RuleParser.closest(to: $0, in: names) }.map { "; did you mean '\($0)'?" } ?? ""
                        let derived = key.string.flatMap(LifecycleStage.named).map { " ('\($0.label)' comes from at_risk / lapsed)" } ?? ""
                        doc.report("unknown stage '\(key.string ?? "?")' (expected \(names.joined(separator: ", ")))\(derived)\(hint)", at: key)
                        continue
                    }
                    if let rule = stageRule(stage, value, &doc) { rules[stage.rawValue] = rule }
                }
            } else {
                doc.report("'journeys.stages' must map stage names to {events, min_count, requires}", at: stages)
            }
        }
        var stageRules = StageRules(mapping: StageMapping(rules: rules))
        if let atRisk = m["at_risk"] {
            if case .mapping(let a) = atRisk {
                doc.checkKeys(a, known: ["churn_risk", "inactive_days", "from"], in: "journeys.at_risk")
                if let v = number(a["churn_risk"], "at_risk.churn_risk", in: 0...1, &doc) { stageRules.atRiskChurnRisk = v }
                if let v = number(a["inactive_days"], "at_risk.inactive_days", in: 1...10_000, &doc) { stageRules.atRiskAfterDays = Int(v) }
                if let from = a["from"] {
                    if let s = from.string.flatMap(LifecycleStage.named), s.isBase { stageRules.atRiskFrom = s } else {
                        doc.report("'at_risk.from' must be a base stage (Awareness … Advocacy)", at: from)
                    }
                }
            } else {
                doc.report("'journeys.at_risk' must be a mapping {churn_risk, inactive_days, from}", at: atRisk)
            }
        }
        if let lapsed = m["lapsed"] {
            if case .mapping(let l) = lapsed {
                doc.checkKeys(l, known: ["inactive_days"], in: "journeys.lapsed")
                if let v = number(l["inactive_days"], "lapsed.inactive_days", in: 1...10_000, &doc) { stageRules.lapsedAfterDays = Int(v) }
            } else {
                doc.report("'journeys.lapsed' must be a mapping {inactive_days}", at: lapsed)
            }
        }
        if stageRules.lapsedAfterDays <= stageRules.atRiskAfterDays {
            doc.report("lapsed.inactive_days (\(stageRules.lapsedAfterDays)) should be above at_risk.inactive_days (\(stageRules.atRiskAfterDays)): nobody would be At Risk by inactivity",
                       at: m["lapsed"] ?? node)
        }
        var config = JourneysConfiguration(stageRules: stageRules)
        var window: Int64?
        if let w = m["funnel_window"] {
            do throws(JourneyError) { window = try JourneyDuration.parse(w.string ?? "") } catch { doc.report(error.description, at: w) }
        }
        if let f = m["funnel"] {
            let text: String?
            switch f {
            case .scalar(let s): text = s.string
            case .sequence(let items): text = items.compactMap(\.string).joined(separator: ", ")
            default: text = nil
            }
            do throws(JourneyError) {
                config.funnel = try FunnelSteps.parse(text ?? "", windowMs: window)
            } catch {
                doc.report("funnel: \(error.description); the standard funnel is used", at: f)
            }
        } else {
            config.funnel.windowMs = window
        }
        return config
    }

    private static func stageRule(_ stage: LifecycleStage, _ node: Node, _ doc: inout ConfigDocument) -> StageRule? {
        var rule = StageRule(stage: stage)
        let eventsNode: Node?
        switch node {
        case .sequence: eventsNode = node
        case .mapping(let m):
            doc.checkKeys(m, known: ["events", "min_count", "requires"], in: "stage \(stage.label)")
            eventsNode = m["events"]
            if let v = number(m["min_count"], "\(stage.label).min_count", in: 1...1_000_000, &doc) { rule.minCount = Int(v) }
            if let r = m["requires"] {
                if let s = r.string.flatMap(LifecycleStage.named), s.isBase, s != stage { rule.requires = s } else {
                    doc.report("'requires' of \(stage.label) must be another base stage", at: r)
                }
            }
        default:
            doc.report("stage \(stage.label) must be a list of events or {events, min_count, requires}", at: node)
            return nil
        }
        guard let eventsNode, case .sequence(let items) = eventsNode else {
            doc.report("stage \(stage.label) needs 'events': a list of event names", at: eventsNode ?? node)
            return nil
        }
        let known = KnownEvent.allCases.map(\.name)
        for item in items {
            guard let text = item.string?.trimmingSpaces, !text.isEmpty else {
                doc.report("an event of \(stage.label) must be a name, optionally with 'where rating >= 4'", at: item)
                continue
            }
            var name = text, condition: EventCondition?
            if let r = text.range(of: " where ") {
                name = String(text[..<r.lowerBound]).trimmingSpaces
                let (c, problem) = EventCondition.parse(String(text[r.upperBound...]))
                guard let c else {
                    doc.report("\(stage.label): \(problem ?? "bad condition")", at: item)
                    continue
                }
                condition = c
            }
            if !known.contains(name), let near = RuleParser.closest(to: name, in: known) {
                // Kept as a custom event name, but it looks like a typo.
                doc.report("'\(name)' is not a built-in event (did you mean '\(near)'?); kept as a custom event name", at: item)
            }
            rule.events.append(StageEvent(name, condition))
        }
        return rule
    }

    private static func number(_ node: Node?, _ what: String, in range: ClosedRange<Double>, _ doc: inout ConfigDocument) -> Double? {
        guard let node else { return nil }
        guard let v = node.string.flatMap(Double.init), range.contains(v) else {
            doc.report("'\(what)' must be a number from \(ConfigNumber.text(range.lowerBound)) to \(ConfigNumber.text(range.upperBound))", at: node)
            return nil
        }
        return v
    }
}

private enum ConfigNumber {
    static func text(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}
