/// A token of the rule language.
struct RuleToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case number(Double)
        case string(String)
        case duration(Int64)
        case op(RuleOperator)
        case leftParen, rightParen, leftBracket, rightBracket, comma
        case end
    }
    var kind: Kind
    /// Offset of the first scalar, and one past the last.
    var start: Int
    var end: Int

    /// How the token reads in a message: `'>='`, `"Product Viewed"`, `the end of the rule`.
    var quoted: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .number(let v): return "'\(RuleToken.format(v))'"
        case .string(let s): return "\"\(s)\""
        case .duration(let ms): return "'\(RuleToken.formatDuration(ms))'"
        case .op(let o): return "'\(o.rawValue)'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .comma: return "','"
        case .end: return "the end of the rule"
        }
    }

    func isKeyword(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s == word }
        return false
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    static func formatDuration(_ ms: Int64) -> String {
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        return "\(ms / 1000)s"
    }
}

/// Splits a rule's text into tokens. Durations are a number followed at once by `d`, `h`, `m` or `s`.
struct RuleLexer {
    let source: RuleSource

    /// All tokens, ending with `.end`, or the first lexical error.
    func tokens() -> Result<[RuleToken], RuleError> {
        let s = source.scalars
        var out: [RuleToken] = []
        var i = 0
        while true {
            while i < s.count && (s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r") { i += 1 }
            guard i < s.count else { break }
            let start = i
            let c = s[i]
            switch c {
            case "(": out.append(RuleToken(kind: .leftParen, start: i, end: i + 1)); i += 1
            case ")": out.append(RuleToken(kind: .rightParen, start: i, end: i + 1)); i += 1
            case "[": out.append(RuleToken(kind: .leftBracket, start: i, end: i + 1)); i += 1
            case "]": out.append(RuleToken(kind: .rightBracket, start: i, end: i + 1)); i += 1
            case ",": out.append(RuleToken(kind: .comma, start: i, end: i + 1)); i += 1
            case "=", "!", "<", ">":
                let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
                let op: RuleOperator
                var length = 1
                switch (c, next) {
                case ("=", "="): op = .equal; length = 2
                case ("=", _): op = .equal
                case ("!", "="): op = .notEqual; length = 2
                case ("<", "="): op = .lessOrEqual; length = 2
                case ("<", ">"): op = .notEqual; length = 2
                case ("<", _): op = .less
                case (">", "="): op = .greaterOrEqual; length = 2
                case (">", _): op = .greater
                default: return .failure(source.error("'!' must be followed by '=' (write 'not' to negate)", at: i))
                }
                out.append(RuleToken(kind: .op(op), start: i, end: i + length))
                i += length
            case "\"":
                i += 1
                var text = String.UnicodeScalarView()
                var closed = false
                while i < s.count {
                    if s[i] == "\"" { closed = true; i += 1; break }
                    if s[i] == "\\" && i + 1 < s.count && (s[i + 1] == "\"" || s[i + 1] == "\\") { i += 1 }
                    if s[i] == "\n" { break }
                    text.append(s[i])
                    i += 1
                }
                guard closed else { return .failure(source.error("unterminated text: a closing '\"' is missing", at: start)) }
                out.append(RuleToken(kind: .string(String(text)), start: start, end: i))
            case "'":
                return .failure(source.error("text goes in double quotes (\"...\")", at: i))
            default:
                if Self.isDigit(c) || (c == "-" && i + 1 < s.count && Self.isDigit(s[i + 1])) || (c == "." && i + 1 < s.count && Self.isDigit(s[i + 1])) {
                    switch number(from: i) {
                    case .success(let (token, next)): out.append(token); i = next
                    case .failure(let e): return .failure(e)
                    }
                } else if Self.isIdentifierStart(c) {
                    while i < s.count && Self.isIdentifierPart(s[i]) { i += 1 }
                    out.append(RuleToken(kind: .identifier(source.text(start..<i)), start: start, end: i))
                } else {
                    return .failure(source.error("unexpected character '\(c)'", at: i))
                }
            }
        }
        out.append(RuleToken(kind: .end, start: s.count, end: s.count))
        return .success(out)
    }

    private func number(from start: Int) -> Result<(RuleToken, Int), RuleError> {
        let s = source.scalars
        var i = start
        if s[i] == "-" { i += 1 }
        while i < s.count && (Self.isDigit(s[i]) || s[i] == ".") { i += 1 }
        let digits = source.text(start..<i)
        guard let value = Double(digits), value.isFinite else {
            return .failure(source.error("'\(digits)' is not a number", at: start))
        }
        // A unit right after the digits makes a duration; any other letter is an error.
        if i < s.count && Self.isIdentifierStart(s[i]) {
            var j = i
            while j < s.count && Self.isIdentifierPart(s[j]) { j += 1 }
            let unit = source.text(i..<j)
            let scale: Double
            switch unit {
            case "d": scale = 86_400_000
            case "h": scale = 3_600_000
            case "m": scale = 60_000
            case "s": scale = 1000
            default:
                return .failure(source.error("unknown duration unit '\(unit)' (use d, h, m or s, as in 7d)", at: i))
            }
            guard value >= 0 else { return .failure(source.error("a duration cannot be negative", at: start)) }
            return .success((RuleToken(kind: .duration(Int64((value * scale).rounded())), start: start, end: j), j))
        }
        return .success((RuleToken(kind: .number(value), start: start, end: i), i))
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }
}
