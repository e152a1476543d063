/// A rule checked for types and turned into a form that evaluates without allocating.
///
/// Build one with ``CompiledRule/compile(_:)``. Text and event names in it are resolved to the engine's
/// interned ids by ``RuleBindings`` (an id that does not exist yet matches nobody until it appears).
public struct CompiledRule: Sendable {
    /// The rule as written.
    public let text: String
    let root: RuleNode
    let atoms: [RuleAtom]
    /// Text literals (countries, cities, plans), resolved against ``Engine/labels``.
    let labelLiterals: [String]
    /// Event names of `count(...)`, resolved against ``Engine/eventNames``.
    let eventLiterals: [String]
    /// Names of the segments the rule refers to, in order of first use; atoms index this list.
    public let references: [String]
    /// Offsets of each reference's first use in ``text`` (for problems located in the file).
    let referenceOffsets: [Int]
    /// Whether the result can change with the clock alone (days fields, windows, stage).
    public let dependsOnTime: Bool
    /// Whether the result reads the score provider.
    public let usesScores: Bool

    /// Parses and type-checks a rule.
    public static func compile(_ text: String) -> Result<CompiledRule, RuleError> {
        let source = RuleSource(text)
        switch RuleParser.parse(source) {
        case .failure(let e): return .failure(e)
        case .success(let tree):
            var compiler = RuleCompiler(source: source)
            do throws(RuleError) {
                let root = try compiler.lower(tree)
                return .success(CompiledRule(
                    text: text, root: root, atoms: compiler.atoms, labelLiterals: compiler.labels,
                    eventLiterals: compiler.events, references: compiler.references,
                    referenceOffsets: compiler.referenceOffsets,
                    dependsOnTime: compiler.atoms.contains(where: \.dependsOnTime),
                    usesScores: compiler.atoms.contains(where: \.usesScores)))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The source text of each condition, for the "clause that moved them".
    public var clauses: [String] { atoms.map(\.text) }
}

/// The shape of a compiled rule: and / or / not over atoms.
indirect enum RuleNode: Sendable {
    case and([RuleNode])
    case or([RuleNode])
    case not(RuleNode)
    case atom(Int)
}

/// A test on a number.
enum NumberTest: Sendable, Equatable {
    case compare(RuleOperator, Double)
    case between(Double, Double)
    case member([Double], negated: Bool)

    @inline(__always)
    func holds(_ v: Double) -> Bool {
        switch self {
        case .compare(let op, let k): return op.holds(v, k)
        case .between(let lo, let hi): return v >= lo && v <= hi
        case .member(let values, let negated): return values.contains(v) != negated
        }
    }

    /// Calls `body` with each value where the test can change its answer.
    @inline(__always)
    func forEachBoundary(_ body: (Double) -> Void) {
        switch self {
        case .compare(_, let k): body(k)
        case .between(let lo, let hi): body(lo); body(hi)
        case .member(let values, _): for v in values { body(v) }
        }
    }
}

/// One typed condition.
struct RuleAtom: Sendable {
    enum Test: Sendable {
        case number(RuleField, NumberTest)
        /// Text field equal to one of the label literals (indices into ``CompiledRule/labelLiterals``).
        case text(RuleField, [Int], negated: Bool)
        case bool(RuleField, Bool)
        /// Bit set of ``LifecycleStage`` raw values that satisfy the test.
        case stage(UInt8)
        /// Events named by an event literal in the last window.
        case count(event: Int, windowMs: Int64, NumberTest)
        /// Member of the referenced segment (index into ``CompiledRule/references``) equals `expected`.
        case segment(Int, expected: Bool)
    }
    var test: Test
    /// The condition as written.
    var text: String

    var dependsOnTime: Bool {
        switch test {
        case .number(let f, _): return f.isDays || f == .sessions30d
        case .stage, .count: return true
        case .text, .bool, .segment: return false
        }
    }

    var usesScores: Bool {
        if case .number(let f, _) = test { return f.isScore }
        return false
    }
}
