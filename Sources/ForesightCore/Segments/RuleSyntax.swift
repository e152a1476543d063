/// A problem in a rule's text: what is wrong and where (1-based line and column inside the rule, and
/// the offset in Unicode scalars from its start).
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A plain reason, without the position: "expected a value after '>='".
    public var message: String
    /// Offset in Unicode scalars from the start of the rule text.
    public var offset: Int
    /// 1-based line inside the rule text.
    public var line: Int
    /// 1-based column inside that line, in Unicode scalars (as libyaml counts).
    public var column: Int

    /// The message with its position: "expected a value after '>=' at 1:14".
    public var description: String { "\(message) at \(line):\(column)" }
}

/// A rule's text with the line starts, to turn offsets into line:column.
struct RuleSource: Sendable {
    let scalars: [Unicode.Scalar]
    private let lineStarts: [Int]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (i, s) in scalars.enumerated() where s == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 1-based line and column of an offset.
    func location(_ offset: Int) -> (line: Int, column: Int) {
        var line = 0
        while line + 1 < lineStarts.count && lineStarts[line + 1] <= offset { line += 1 }
        return (line + 1, offset - lineStarts[line] + 1)
    }

    func error(_ message: String, at offset: Int) -> RuleError {
        let (line, column) = location(offset)
        return RuleError(message: message, offset: offset, line: line, column: column)
    }

    /// The text between two offsets.
    func text(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[max(0, range.lowerBound)..<min(scalars.count, range.upperBound)])
        return String(s)
    }
}

/// A comparison operator.
public enum RuleOperator: String, Sendable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    /// Whether `a op b` holds.
    @inline(__always)
    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        }
    }
}

/// A literal as written, with where it starts.
struct RuleLiteral: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case number(Double)
        case string(String)
        case bool(Bool)
        /// A duration in milliseconds (`7d`, `12h`, `30m`).
        case duration(Int64)
    }
    var value: Value
    var offset: Int

    var typeName: String {
        switch value {
        case .number: return "a number"
        case .string: return "text"
        case .bool: return "true/false"
        case .duration: return "a duration"
        }
    }
}

/// What a predicate tests: a field, a windowed count of events, or membership of another segment.
enum RuleSubject: Sendable, Equatable {
    case field(RuleField)
    /// `count("Product Viewed", 7d)`: events of that name in the last window.
    case count(event: String, windowMs: Int64)
    /// `segment("Name")`.
    case segment(String)
}

/// The test a predicate applies to its subject.
enum RuleTest: Sendable, Equatable {
    case compare(RuleOperator, RuleLiteral)
    case member([RuleLiteral], negated: Bool)
    case between(RuleLiteral, RuleLiteral)
    /// The subject alone: a boolean field or a segment reference.
    case truthy
}

/// One atomic condition, with the source range it covers (for the "clause that moved them").
struct RulePredicate: Sendable, Equatable {
    var subject: RuleSubject
    var subjectOffset: Int
    var test: RuleTest
    var range: Range<Int>
}

/// A parsed rule: `and`, `or`, `not` over predicates.
indirect enum RuleExpression: Sendable, Equatable {
    case and([RuleExpression])
    case or([RuleExpression])
    case not(RuleExpression)
    case predicate(RulePredicate)

    /// The names of the segments the rule refers to.
    var segmentReferences: [(name: String, offset: Int)] {
        switch self {
        case .and(let xs), .or(let xs): return xs.flatMap(\.segmentReferences)
        case .not(let x): return x.segmentReferences
        case .predicate(let p):
            if case .segment(let name) = p.subject { return [(name, p.subjectOffset)] }
            return []
        }
    }
}
