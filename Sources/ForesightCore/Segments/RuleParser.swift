/// The recursive-descent parser of the rule language. Precedence: `not` binds tighter than `and`,
/// which binds tighter than `or`; parentheses group.
///
/// ```
/// rule      := or
/// or        := and ('or' and)*
/// and       := unary ('and' unary)*
/// unary     := 'not' unary | '(' or ')' | predicate
/// predicate := subject (op literal | ['not'] 'in' '[' literal (',' literal)* ']'
///                       | 'between' literal 'and' literal)?
/// subject   := field | 'count' '(' text ',' duration ')' | 'segment' '(' text ')'
/// literal   := number | "text" | true | false | duration (7d, 12h, 30m)
/// ```
/// The parser only builds a tree; ``RuleCompiler`` checks the types.
struct RuleParser {
    private let source: RuleSource
    private var tokens: [RuleToken] = []
    private var position = 0

    static let keywords: Set<String> = ["and", "or", "not", "in", "between", "true", "false"]

    init(_ source: RuleSource) { self.source = source }

    /// Parses a whole rule.
    static func parse(_ source: RuleSource) -> Result<RuleExpression, RuleError> {
        var parser = RuleParser(source)
        switch RuleLexer(source: source).tokens() {
        case .failure(let e): return .failure(e)
        case .success(let t): parser.tokens = t
        }
        do throws(RuleError) {
            if case .end = parser.peek.kind { throw source.error("the rule is empty", at: 0) }
            let expression = try parser.parseOr()
            if case .end = parser.peek.kind { return .success(expression) }
            let t = parser.peek
            if case .rightParen = t.kind { throw source.error("unexpected ')' with no '(' to close", at: t.start) }
            throw source.error("expected 'and' or 'or' before \(t.quoted)", at: t.start)
        } catch {
            return .failure(error)
        }
    }

    private var peek: RuleToken { tokens[position] }
    private var previous: RuleToken { tokens[max(0, position - 1)] }

    private mutating func advance() -> RuleToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private mutating func accept(keyword: String) -> Bool {
        guard peek.isKeyword(keyword) else { return false }
        _ = advance()
        return true
    }

    private mutating func parseOr() throws(RuleError) -> RuleExpression {
        var terms = [try parseAnd()]
        while accept(keyword: "or") { terms.append(try parseAnd(after: "or")) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd(after word: String? = nil) throws(RuleError) -> RuleExpression {
        var terms = [try parseUnary(after: word)]
        while accept(keyword: "and") { terms.append(try parseUnary(after: "and")) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseUnary(after word: String?) throws(RuleError) -> RuleExpression {
        if accept(keyword: "not") { return .not(try parseUnary(after: "not")) }
        if case .leftParen = peek.kind {
            let open = advance()
            let inner = try parseOr()
            guard case .rightParen = peek.kind else {
                let (line, column) = source.location(open.start)
                throw source.error("expected ')' to close the '(' at \(line):\(column), found \(peek.quoted)", at: peek.start)
            }
            _ = advance()
            return inner
        }
        return .predicate(try parsePredicate(after: word))
    }

    private mutating func parsePredicate(after word: String?) throws(RuleError) -> RulePredicate {
        let first = peek
        let subject = try parseSubject(after: word)
        let test: RuleTest
        if case .op(let op) = peek.kind {
            _ = advance()
            test = .compare(op, try parseLiteral(after: "'\(op.rawValue)'"))
        } else if peek.isKeyword("in") {
            _ = advance()
            test = .member(try parseList(), negated: false)
        } else if peek.isKeyword("not"), tokens[position + 1].isKeyword("in") {
            _ = advance(); _ = advance()
            test = .member(try parseList(), negated: true)
        } else if accept(keyword: "between") {
            let low = try parseLiteral(after: "'between'")
            guard accept(keyword: "and") else {
                throw source.error("expected 'and' between the two bounds of 'between', found \(peek.quoted)", at: peek.start)
            }
            test = .between(low, try parseLiteral(after: "'and'"))
        } else {
            test = .truthy
        }
        return RulePredicate(subject: subject, subjectOffset: first.start, test: test, range: first.start..<previous.end)
    }

    private mutating func parseSubject(after word: String?) throws(RuleError) -> RuleSubject {
        let t = advance()
        guard case .identifier(let name) = t.kind, !Self.keywords.contains(name) else {
            let context = word.map { " after '\($0)'" } ?? ""
            throw source.error("expected a condition\(context), found \(t.quoted)", at: t.start)
        }
        switch name {
        case "count":
            try expect(.leftParen, "'(' after 'count'")
            let event = try expectText("the event name in double quotes, as in count(\"Product Viewed\", 7d)")
            try expect(.comma, "',' and a window after the event name, as in count(\"\(event)\", 7d)")
            let windowToken = advance()
            guard case .duration(let window) = windowToken.kind else {
                throw source.error("expected a window such as 7d, 12h or 30m, found \(windowToken.quoted)", at: windowToken.start)
            }
            guard window > 0 else { throw source.error("the window must be longer than 0", at: windowToken.start) }
            try expect(.rightParen, "')' after the window")
            return .count(event: event, windowMs: window)
        case "segment":
            try expect(.leftParen, "'(' after 'segment'")
            let target = try expectText("a segment name in double quotes, as in segment(\"Champions\")")
            try expect(.rightParen, "')' after the segment name")
            return .segment(target)
        default:
            guard let field = RuleField.named(name) else {
                let hint = Self.closest(to: name, in: RuleField.allNames).map { "; did you mean '\($0)'?" } ?? ""
                throw source.error("unknown field '\(name)'\(hint)", at: t.start)
            }
            return .field(field)
        }
    }

    private mutating func parseList() throws(RuleError) -> [RuleLiteral] {
        try expect(.leftBracket, "'[' after 'in'")
        if case .rightBracket = peek.kind { throw source.error("the list after 'in' is empty", at: peek.start) }
        var items = [try parseLiteral(after: "'['")]
        while case .comma = peek.kind {
            _ = advance()
            items.append(try parseLiteral(after: "','"))
        }
        guard case .rightBracket = peek.kind else {
            throw source.error("expected ',' or ']' in the list, found \(peek.quoted)", at: peek.start)
        }
        _ = advance()
        return items
    }

    private mutating func parseLiteral(after what: String) throws(RuleError) -> RuleLiteral {
        let t = peek
        let value: RuleLiteral.Value
        switch t.kind {
        case .number(let v): value = .number(v)
        case .string(let s): value = .string(s)
        case .duration(let ms): value = .duration(ms)
        case .identifier("true"): value = .bool(true)
        case .identifier("false"): value = .bool(false)
        case .identifier(let word) where !Self.keywords.contains(word):
            throw source.error("expected a value after \(what), found '\(word)' (text goes in double quotes)", at: t.start)
        default:
            throw source.error("expected a value after \(what)", at: t.start)
        }
        _ = advance()
        return RuleLiteral(value: value, offset: t.start)
    }

    private mutating func expect(_ kind: RuleToken.Kind, _ what: String) throws(RuleError) {
        guard peek.kind == kind else { throw source.error("expected \(what), found \(peek.quoted)", at: peek.start) }
        _ = advance()
    }

    private mutating func expectText(_ what: String) throws(RuleError) -> String {
        guard case .string(let s) = peek.kind else { throw source.error("expected \(what), found \(peek.quoted)", at: peek.start) }
        _ = advance()
        return s
    }

    /// The candidate nearest to `word` by edit distance, if it is close (at most a third of its length).
    static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word)
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(w, Array(c))
            if d <= max(1, c.count / 3), d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}
