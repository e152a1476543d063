/// A rule checked for types and turned into a form that evaluates without allocating.
///
/// Build one with ``CompiledRule/compile(_:)``. Text and event names in it are resolved to the engine's
/// interned ids by ``RuleBindings`` (an id that does not exist yet matches nobody until it appears).
public struct CompiledRule: Sendable {
    /// The rule as written.
    public let text: String
    /// The flat program, shared by every copy (a copy of a rule is one retain).
    let program: RuleProgram
    /// Names of the segments the rule refers to, in order of first use; atoms index this list.
    public var references: [String] { program.references }
    /// Offsets of each reference's first use in ``text`` (for problems located in the file).
    var referenceOffsets: [Int] { program.referenceOffsets }
    /// Text literals (countries, cities, plans), resolved against ``Engine/labels``.
    var labelLiterals: [String] { program.labelLiterals }
    /// Event names of `count(...)`, resolved against ``Engine/eventNames``.
    var eventLiterals: [String] { program.eventLiterals }
    /// Whether the result can change with the clock alone (days fields, windows, stage).
    public var dependsOnTime: Bool { program.atoms.contains(where: \.dependsOnTime) }
    /// Whether the result reads the score provider.
    public var usesScores: Bool { program.atoms.contains(where: \.usesScores) }
    /// Whether the result may read the customer's traits (country, city, plan, age, consents; a segment
    /// reference counts, as its rule may).
    public var usesTraits: Bool { program.atoms.contains(where: \.usesTraits) }

    /// Parses and type-checks a rule.
    public static func compile(_ text: String) -> Result<CompiledRule, RuleError> {
        let source = RuleSource(text)
        switch RuleParser.parse(source) {
        case .failure(let e): return .failure(e)
        case .success(let tree):
            var compiler = RuleCompiler(source: source)
            do throws(RuleError) {
                let root = try compiler.lower(tree)
                return .success(CompiledRule(text: text, program: compiler.program(root: root)))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The source text of each condition, for the "clause that moved them".
    public var clauses: [String] { program.atomTexts }
}

/// A compiled rule as flat arrays of trivial values, so evaluation copies nothing and retains nothing.
final class RuleProgram: Sendable {
    let nodes: [RuleNode]
    /// Child node indices of `and` / `or` nodes (each node holds a range of this).
    let children: [Int32]
    let atoms: [RuleAtom]
    let atomTexts: [String]
    /// Values of the `in [...]` lists of number tests.
    let numbers: [Double]
    /// Label literal indices of the text tests.
    let labelRefs: [Int32]
    let labelLiterals: [String]
    let eventLiterals: [String]
    let references: [String]
    let referenceOffsets: [Int]
    let root: Int32

    init(nodes: [RuleNode], children: [Int32], atoms: [RuleAtom], atomTexts: [String], numbers: [Double],
         labelRefs: [Int32], labelLiterals: [String], eventLiterals: [String], references: [String],
         referenceOffsets: [Int], root: Int32) {
        self.nodes = nodes
        self.children = children
        self.atoms = atoms
        self.atomTexts = atomTexts
        self.numbers = numbers
        self.labelRefs = labelRefs
        self.labelLiterals = labelLiterals
        self.eventLiterals = eventLiterals
        self.references = references
        self.referenceOffsets = referenceOffsets
        self.root = root
    }
}

/// A node of a compiled rule: an atom, or `not` / `and` / `or` over other nodes.
struct RuleNode: Sendable {
    enum Kind: UInt8, Sendable { case atom, not, and, or }
    var kind: Kind
    /// Atom index (atom), child node index (not), or start in ``RuleProgram/children`` (and, or).
    var first: Int32
    /// Children of and / or.
    var count: Int32
}

/// A test on a number. `in` lists live in ``RuleProgram/numbers``.
struct NumberTest: Sendable, Equatable {
    enum Kind: UInt8, Sendable { case compare, between, member, notMember }
    var kind: Kind
    var op: RuleOperator = .equal
    var a: Double = 0
    var b: Double = 0
    var start: Int32 = 0
    var count: Int32 = 0

    static func compare(_ op: RuleOperator, _ k: Double) -> NumberTest { NumberTest(kind: .compare, op: op, a: k) }
    static func between(_ lo: Double, _ hi: Double) -> NumberTest { NumberTest(kind: .between, a: lo, b: hi) }

    @inline(__always)
    func holds(_ v: Double, _ pool: [Double]) -> Bool {
        switch kind {
        case .compare: return op.holds(v, a)
        case .between: return v >= a && v <= b
        case .member, .notMember:
            var found = false
            for i in Int(start)..<Int(start + count) where pool[i] == v { found = true; break }
            return found == (kind == .member)
        }
    }

    /// Calls `body` with each value where the test can change its answer.
    @inline(__always)
    func forEachBoundary(_ pool: [Double], _ body: (Double) -> Void) {
        switch kind {
        case .compare: body(a)
        case .between: body(a); body(b)
        case .member, .notMember: for i in Int(start)..<Int(start + count) { body(pool[i]) }
        }
    }
}

/// One typed condition.
struct RuleAtom: Sendable {
    enum Test: Sendable {
        case number(RuleField, NumberTest)
        /// Text field equal to one of the label literals (a range of ``RuleProgram/labelRefs``).
        case text(RuleField, start: Int32, count: Int32, negated: Bool)
        case bool(RuleField, Bool)
        /// Bit set of ``LifecycleStage`` raw values that satisfy the test.
        case stage(UInt8)
        /// Events named by an event literal in the last window.
        case count(event: Int, windowMs: Int64, NumberTest)
        /// Member of the referenced segment (index into ``CompiledRule/references``) equals `expected`.
        case segment(Int, expected: Bool)
    }
    var test: Test

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

    var usesTraits: Bool {
        switch test {
        case .number(let f, _): return f == .age
        case .text, .bool, .segment: return true
        case .stage, .count: return false
        }
    }
}
