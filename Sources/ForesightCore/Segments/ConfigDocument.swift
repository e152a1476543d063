import Yams

/// A YAML configuration file composed into nodes, with helpers that report problems at the
/// nodes' positions. Each section of the file (`segments`, `rfm`, `clusters`, and later `journeys` and
/// `triggers`) is read by its own loader from the same document.
struct ConfigDocument {
    let file: String
    private let text: [Unicode.Scalar]
    private var lineStarts: [Int] = [0]
    /// The top-level mapping (nil when the file is empty or not a mapping).
    let root: Node.Mapping?
    var problems: [ConfigProblem] = []
    /// False when the YAML itself did not parse: nothing in the file can be trusted.
    private(set) var parsed = true

    init(yaml: String, file: String) {
        self.file = file
        text = Array(yaml.unicodeScalars)
        for (i, s) in text.enumerated() where s == "\n" { lineStarts.append(i + 1) }
        var root: Node.Mapping?
        var problems: [ConfigProblem] = []
        var parsed = true
        do {
            switch try Yams.compose(yaml: yaml) {
            case .mapping(let m)?: root = m
            case nil: break
            case let other?:
                let mark = other.mark
                problems.append(ConfigProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                              reason: "the configuration must be a mapping of sections (segments:, rfm:, clusters:)"))
            }
        } catch let error as YamlError {
            parsed = false
            problems.append(Self.problem(error, file: file))
        } catch {
            parsed = false
            problems.append(ConfigProblem(file: file, line: 1, column: 1, reason: "\(error)"))
        }
        self.root = root
        self.problems = problems
        self.parsed = parsed
    }

    private static func problem(_ error: YamlError, file: String) -> ConfigProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            return ConfigProblem(file: file, line: mark.line, column: mark.column, reason: "YAML: \(problem)\(where_)")
        default:
            return ConfigProblem(file: file, line: 1, column: 1, reason: "YAML: \(error)")
        }
    }

    mutating func report(_ reason: String, at node: Node?) {
        let mark = node?.mark
        problems.append(ConfigProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, reason: reason))
    }

    mutating func report(_ reason: String, line: Int, column: Int) {
        problems.append(ConfigProblem(file: file, line: line, column: column, reason: reason))
    }

    /// The value of a top-level section.
    func section(_ name: String) -> (key: Node, value: Node)? {
        root?.first { $0.key.string == name }.map { ($0.key, $0.value) }
    }

    /// Reports every key of a mapping that is not in `known`, suggesting the nearest known key.
    mutating func checkKeys(_ m: Node.Mapping, known: [String], in what: String) {
        for (key, _) in m {
            guard let k = key.string, !known.contains(k) else { continue }
            let hint = RuleParser.closest(to: k, in: known).map { "; did you mean '\($0)'?" } ?? ""
            report("unknown field '\(k)' in \(what) (expected \(known.joined(separator: ", ")))\(hint)", at: key)
        }
    }

    /// The file position (1-based line, column) of an offset inside a scalar's text, found by walking
    /// the file from the scalar's start: quotes, escapes, block indicators, line folding and indentation
    /// are skipped. Falls back to the scalar's own position when the text cannot be followed.
    func position(ofOffset offset: Int, in scalar: Node.Scalar) -> (line: Int, column: Int) {
        guard let mark = scalar.mark, mark.line - 1 < lineStarts.count else { return (1, 1) }
        let fallback = (mark.line, mark.column)
        var f = lineStarts[mark.line - 1] + mark.column - 1
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: f += 1
        case .literal, .folded:
            // Content starts on the line after the indicator.
            while f < text.count && text[f] != "\n" { f += 1 }
            f += 1
        default: break
        }
        let rule = Array(scalar.string.unicodeScalars)
        var r = 0
        func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" }
        while r < offset && r < rule.count {
            guard f < text.count else { return fallback }
            let rc = rule[r], fc = text[f]
            if rc == fc { r += 1; f += 1; continue }
            if isBlank(rc) && isBlank(fc) {
                while r < rule.count && isBlank(rule[r]) && r < offset { r += 1 }
                while f < text.count && isBlank(text[f]) { f += 1 }
                continue
            }
            if isBlank(fc) || fc == "\\" || (fc == "'" && scalar.style == .singleQuoted) { f += 1; continue }
            return fallback
        }
        // Skip indentation so the position lands on the text itself.
        while f < text.count && (text[f] == " " || text[f] == "\t") && r < rule.count && !isBlank(rule[r]) { f += 1 }
        var line = 0
        while line + 1 < lineStarts.count && lineStarts[line + 1] <= f { line += 1 }
        return (line + 1, f - lineStarts[line] + 1)
    }
}
