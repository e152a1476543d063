import Foundation
import Yams

/// The campaign part of `foresight.yml`: the guards of `campaigns:` and the rules of `triggers:`.
public struct CampaignsConfiguration: Sendable {
    public var settings: CampaignSettings
    /// Valid triggers, in file order (definitions with problems are left out).
    public var triggers: [CampaignTrigger]

    public init(settings: CampaignSettings = CampaignSettings(), triggers: [CampaignTrigger] = []) {
        self.settings = settings
        self.triggers = triggers
    }
}

/// What loading the campaign sections gave: the valid triggers and every problem, as file:line:column.
public struct CampaignsConfigurationLoad: Sendable {
    public var configuration: CampaignsConfiguration
    public var problems: [ConfigProblem]
    /// False when the file could not be read or its YAML did not parse.
    public var isUsable: Bool
}

extension CampaignsConfiguration {
    /// Loads `campaigns:` and `triggers:` of a configuration file. `segments` names the rule segments a
    /// `segment:` trigger may watch (nil: not checked).
    public static func load(path: String, segments: [String]? = nil) -> CampaignsConfigurationLoad {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            return CampaignsConfigurationLoad(configuration: CampaignsConfiguration(),
                                              problems: [ConfigProblem(file: name, line: 1, column: 1, reason: "cannot read \(path)")],
                                              isUsable: false)
        }
        return parse(yaml: String(decoding: data, as: UTF8.self), file: name, segments: segments)
    }

    /// Parses configuration text (its `campaigns:` and `triggers:` sections).
    public static func parse(yaml: String, file: String, segments: [String]? = nil) -> CampaignsConfigurationLoad {
        var doc = ConfigDocument(yaml: yaml, file: file)
        var config = CampaignsConfiguration()
        if let (_, node) = doc.section("campaigns") { config.settings = TriggersSection.readSettings(node, &doc) }
        if let (_, node) = doc.section("triggers") { config.triggers = TriggersSection.read(node, segments: segments, &doc) }
        return CampaignsConfigurationLoad(configuration: config, problems: doc.problems, isUsable: doc.parsed)
    }
}

/// Reads `campaigns:` (caps, quiet hours) and `triggers:` (the rules).
enum TriggersSection {
    static let settingsKeys = ["cap_per_day", "cap_per_week", "quiet_hours"]
    static let kindKeys = ["on", "score", "segment", "after", "inactive"]
    static let keys = ["name", "description"] + kindKeys
        + ["not_followed_by", "within", "when", "channel", "template", "payload", "cooldown", "control", "goal", "goal_window"]

    static func readSettings(_ node: Node, _ doc: inout ConfigDocument) -> CampaignSettings {
        var s = CampaignSettings()
        guard case .mapping(let m) = node else {
            doc.report("'campaigns' must be a mapping (\(settingsKeys.joined(separator: ", ")))", at: node)
            return s
        }
        doc.checkKeys(m, known: settingsKeys, in: "campaigns")
        if let n = m["cap_per_day"] {
            if let v = n.string.flatMap(Int.init), v >= 0 { s.capPerDay = v } else { doc.report("'cap_per_day' must be a whole number, 0 for no cap", at: n) }
        }
        if let n = m["cap_per_week"] {
            if let v = n.string.flatMap(Int.init), v >= 0 { s.capPerWeek = v } else { doc.report("'cap_per_week' must be a whole number, 0 for no cap", at: n) }
        }
        if let q = m["quiet_hours"] {
            if let text = q.string, ["off", "none", "false"].contains(text.lowercased()) {
                s.quietHours = nil
            } else if case .mapping(let qm) = q {
                doc.checkKeys(qm, known: ["from", "to", "timezone", "mode"], in: "campaigns.quiet_hours")
                var hours = QuietHours()
                if let f = qm["from"] {
                    if let v = f.string.flatMap(QuietHours.parseClock) { hours.startMinute = v } else { doc.report("'quiet_hours.from' must be a time such as \"21:00\"", at: f) }
                }
                if let t = qm["to"] {
                    if let v = t.string.flatMap(QuietHours.parseClock) { hours.endMinute = v } else { doc.report("'quiet_hours.to' must be a time such as \"08:00\"", at: t) }
                }
                if let z = qm["timezone"] {
                    if let name = z.string, TimeZone(identifier: name) != nil { hours.defaultTimeZone = name } else {
                        doc.report("'quiet_hours.timezone' must be a time zone name such as Europe/Berlin or UTC", at: z)
                    }
                }
                if let mode = qm["mode"] {
                    switch mode.string {
                    case "delay": hours.delays = true
                    case "drop": hours.delays = false
                    default: doc.report("'quiet_hours.mode' must be delay or drop", at: mode)
                    }
                }
                s.quietHours = hours
            } else {
                doc.report("'campaigns.quiet_hours' must be {from, to, timezone, mode} or off", at: q)
            }
        }
        return s
    }

    static func read(_ node: Node, segments: [String]?, _ doc: inout ConfigDocument) -> [CampaignTrigger] {
        guard case .sequence(let items) = node else {
            if node.null == nil { doc.report("'triggers' must be a list of triggers, each with a name, a condition and an action", at: node) }
            return []
        }
        var out: [CampaignTrigger] = []
        var firstLine: [String: Int] = [:]
        for item in items {
            guard case .mapping(let m) = item else {
                doc.report("a trigger must be a mapping with name, a condition (\(kindKeys.joined(separator: ", "))) and channel, template", at: item)
                continue
            }
            doc.checkKeys(m, known: keys, in: "a trigger")
            guard let nameNode = m["name"], let name = nameNode.string?.trimmingSpaces, !name.isEmpty else {
                doc.report("a trigger needs a name", at: item)
                continue
            }
            if let first = firstLine[name] {
                doc.report("duplicate trigger name '\(name)' (first defined at line \(first))", at: nameNode)
                continue
            }
            firstLine[name] = item.mark?.line ?? 1
            if let t = trigger(name, m, item, segments: segments, &doc) { out.append(t) }
        }
        return out
    }

    private static func trigger(_ name: String, _ m: Node.Mapping, _ item: Node, segments: [String]?,
                                _ doc: inout ConfigDocument) -> CampaignTrigger? {
        let present = kindKeys.filter { m[$0] != nil }
        guard present.count == 1, let kind = present.first, let kindNode = m[kind] else {
            doc.report(present.isEmpty
                       ? "trigger '\(name)' needs one condition: on (an event), score, segment, after (with not_followed_by and within) or inactive"
                       : "trigger '\(name)' has more than one condition (\(present.joined(separator: ", "))); keep one",
                       at: present.dropFirst().first.flatMap { m[$0] } ?? item)
            return nil
        }
        let text = kindNode.string?.trimmingSpaces ?? ""
        var condition: TriggerCondition
        switch kind {
        case "on":
            guard let e = event(text, name, kindNode, &doc) else { return nil }
            condition = .event(e)
        case "score":
            guard let c = scoreCondition(text) else {
                doc.report("trigger '\(name)': score reads 'FIELD rises above NUMBER' or 'FIELD falls below NUMBER' (fields: \(WatchedScore.allCases.map(\.rawValue).joined(separator: ", ")))", at: kindNode)
                return nil
            }
            condition = c
        case "segment":
            let words = text.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2, words[0] == "enters" || words[0] == "leaves" else {
                doc.report("trigger '\(name)': segment reads 'enters NAME' or 'leaves NAME'", at: kindNode)
                return nil
            }
            let segment = words[1].trimmingSpaces.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if let segments, !segments.contains(segment) {
                let hint = RuleParser.closest(to: segment, in: segments).map { "; did you mean '\($0)'?" } ?? ""
                doc.report("trigger '\(name)': no rule segment is named '\(segment)'\(hint)", at: kindNode)
                return nil
            }
            condition = .segment(segment, enters: words[0] == "enters")
        case "after":
            guard let e = event(text, name, kindNode, &doc) else { return nil }
            guard let thenNode = m["not_followed_by"] else {
                doc.report("trigger '\(name)': 'after' needs 'not_followed_by' (an event, or a list of events) and 'within'", at: kindNode)
                return nil
            }
            var then: [String] = []
            switch thenNode {
            case .sequence(let s): then = s.compactMap { $0.string?.trimmingSpaces }.filter { !$0.isEmpty }
            default: then = (thenNode.string ?? "").split(separator: "|").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            }
            guard !then.isEmpty else {
                doc.report("trigger '\(name)': 'not_followed_by' must name an event", at: thenNode)
                return nil
            }
            guard let w = m["within"], let within = duration(w, "within", name, &doc) else {
                if m["within"] == nil { doc.report("trigger '\(name)': 'after' needs 'within', such as within: 1h", at: kindNode) }
                return nil
            }
            condition = .notFollowed(e, then: then, withinMs: within)
        default:
            guard let ms = duration(kindNode, "inactive", name, &doc) else { return nil }
            condition = .inactivity(forMs: ms)
        }
        if kind != "after" {
            for k in ["not_followed_by", "within"] where m[k] != nil {
                doc.report("trigger '\(name)': '\(k)' goes with 'after' only", at: m[k])
            }
        }
        var when: CompiledRule?
        if let w = m["when"], let scalar = w.scalar {
            switch CompiledRule.compile(scalar.string) {
            case .failure(let e):
                let (l, c) = doc.position(ofOffset: e.offset, in: scalar)
                doc.report("trigger '\(name)': \(e.message)", line: l, column: c)
                return nil
            case .success(let rule):
                if !rule.references.isEmpty {
                    doc.report("trigger '\(name)': segment() cannot be used in 'when'; use 'segment: enters NAME' as the condition", at: w)
                    return nil
                }
                when = rule
            }
        }
        guard let channelNode = m["channel"] else {
            doc.report("trigger '\(name)' needs a channel (\(MessageChannel.allCases.map(\.rawValue).joined(separator: ", ")))", at: item)
            return nil
        }
        guard let channel = channelNode.string.flatMap(MessageChannel.init(rawValue:)) else {
            doc.report("trigger '\(name)': unknown channel '\(channelNode.string ?? "?")' (expected \(MessageChannel.allCases.map(\.rawValue).joined(separator: ", ")))", at: channelNode)
            return nil
        }
        guard let templateNode = m["template"], let template = templateNode.string?.trimmingSpaces, !template.isEmpty else {
            doc.report("trigger '\(name)' needs a template: the name the delivery system knows the message by", at: m["template"] ?? item)
            return nil
        }
        var payload: [PayloadField] = []
        if let p = m["payload"] {
            guard case .sequence(let fields) = p else {
                doc.report("trigger '\(name)': payload must be a list of fields, such as [email, clv, churn_risk]", at: p)
                return nil
            }
            for f in fields {
                guard let fieldName = f.string, let field = PayloadField.named(fieldName) else {
                    let hint = f.string.flatMap { RuleParser.closest(to: $0, in: PayloadField.names) }.map { "; did you mean '\($0)'?" } ?? ""
                    doc.report("trigger '\(name)': unknown payload field '\(f.string ?? "?")'\(hint)", at: f)
                    continue
                }
                payload.append(field)
            }
        }
        var t = CampaignTrigger(name: name, condition: condition, when: when,
                                action: CampaignActionSpec(channel: channel, template: template, payload: payload))
        if let d = m["description"] { t.description = d.string }
        if let c = m["cooldown"] {
            if let text = c.string, ["none", "0", "off"].contains(text) { t.cooldownMs = 0 } else {
                guard let ms = duration(c, "cooldown", name, &doc) else { return nil }
                t.cooldownMs = ms
            }
        }
        if let c = m["control"] {
            guard let share = share(c.string ?? ""), share >= 0, share <= 0.5 else {
                doc.report("trigger '\(name)': control must be a share from 0% to 50% (such as 10%)", at: c)
                return nil
            }
            t.controlShare = share
        }
        if let g = m["goal"] {
            guard let goal = g.string?.trimmingSpaces, !goal.isEmpty else {
                doc.report("trigger '\(name)': goal must be an event name (what counts as a conversion)", at: g)
                return nil
            }
            t.goal = goal
        }
        if let g = m["goal_window"] {
            guard let ms = duration(g, "goal_window", name, &doc) else { return nil }
            t.goalWindowMs = ms
        }
        return t
    }

    private static func event(_ text: String, _ trigger: String, _ node: Node, _ doc: inout ConfigDocument) -> StageEvent? {
        guard !text.isEmpty else {
            doc.report("trigger '\(trigger)': name an event, such as Order Completed where revenue > 200", at: node)
            return nil
        }
        var name = text, condition: EventCondition?
        if let r = text.range(of: " where ") {
            name = String(text[..<r.lowerBound]).trimmingSpaces
            let (c, problem) = EventCondition.parse(String(text[r.upperBound...]))
            guard let c else {
                doc.report("trigger '\(trigger)': \(problem ?? "bad condition")", at: node)
                return nil
            }
            condition = c
        }
        let known = KnownEvent.allCases.map(\.name)
        if !known.contains(name), let near = RuleParser.closest(to: name, in: known) {
            doc.report("trigger '\(trigger)': '\(name)' is not a built-in event (did you mean '\(near)'?); kept as a custom event name", at: node)
        }
        return StageEvent(name, condition)
    }

    static func scoreCondition(_ text: String) -> TriggerCondition? {
        let w = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard w.count == 4, let score = WatchedScore(rawValue: w[0]), let v = Double(w[3]) else { return nil }
        switch (w[1], w[2]) {
        case ("rises", "above"): return .score(score, rises: true, threshold: v)
        case ("falls", "below"): return .score(score, rises: false, threshold: v)
        default: return nil
        }
    }

    private static func duration(_ node: Node, _ what: String, _ trigger: String, _ doc: inout ConfigDocument) -> Int64? {
        do throws(JourneyError) {
            return try JourneyDuration.parse(node.string ?? "")
        } catch {
            doc.report("trigger '\(trigger)': \(what): \(error.description)", at: node)
            return nil
        }
    }

    /// `10%` or `0.1`.
    static func share(_ text: String) -> Double? {
        let t = text.trimmingSpaces
        if t.hasSuffix("%") { return Double(t.dropLast()).map { $0 / 100 } }
        return Double(t)
    }
}
