import Testing
@testable import ForesightCore

@Suite struct SegmentRuleParserTests {
    func grouping(_ text: String) throws -> String {
        try CompiledRule.compile(text).get().grouping
    }

    func error(_ text: String) -> RuleError? {
        if case .failure(let e) = CompiledRule.compile(text) { return e }
        return nil
    }

    @Test func precedenceNotAndOr() throws {
        #expect(try grouping("orders >= 2 or revenue > 100 and not country = \"DE\"")
                == "(orders >= 2 or (revenue > 100 and (not country = \"DE\")))")
        #expect(try grouping("not orders = 0 and sessions > 1 or events > 5 and age < 30")
                == "(((not orders = 0) and sessions > 1) or (events > 5 and age < 30))")
        #expect(try grouping("(orders >= 2 or revenue > 100) and not (country = \"DE\" or city = \"Paris\")")
                == "((orders >= 2 or revenue > 100) and (not (country = \"DE\" or city = \"Paris\")))")
        #expect(try grouping("not not email_opt_in") == "(not (not email_opt_in))")
    }

    @Test func everyOperatorAndForm() throws {
        for op in ["=", "!=", "<", "<=", ">", ">="] {
            let rule = try CompiledRule.compile("revenue \(op) 10").get()
            #expect(rule.clauses == ["revenue \(op) 10"])
        }
        #expect(try grouping("orders == 1") == "orders == 1")
        #expect(try grouping("country in [\"DE\", \"FR\"]") == "country in [\"DE\", \"FR\"]")
        #expect(try grouping("plan not in [\"free\"]") == "plan not in [\"free\"]")
        #expect(try grouping("age between 18 and 34 and orders > 0") == "(age between 18 and 34 and orders > 0)")
        #expect(try grouping("count(\"Product Viewed\", 7d) >= 5") == "count(\"Product Viewed\", 7d) >= 5")
        #expect(try grouping("segment(\"VIP\") and not segment(\"Lapsed\") = true")
                == "(segment(\"VIP\") and (not segment(\"Lapsed\") = true))")
        #expect(try grouping("recency_days <= 12h or tenure_days > 30m") == "(recency_days <= 12h or tenure_days > 30m)")
        #expect(try grouping("stage in [\"At Risk\", \"lapsed\"]") == "stage in [\"At Risk\", \"lapsed\"]")
        #expect(try grouping("frequency >= -1.5") == "frequency >= -1.5")
        let rule = try CompiledRule.compile("segment(\"A\") or count(\"X\", 1d) > 0 and segment(\"B\")").get()
        #expect(rule.references == ["A", "B"])
        #expect(rule.dependsOnTime)
        #expect(!rule.usesScores)
        #expect(try CompiledRule.compile("churn_risk > 0.5").get().usesScores)
    }

    @Test func parseErrorsCarryLineAndColumn() {
        let cases: [(String, String, Int, Int)] = [
            ("revenue >= ", "expected a value after '>='", 1, 12),
            ("revenue >= and orders > 1", "expected a value after '>='", 1, 12),
            ("", "the rule is empty", 1, 1),
            ("orders > 1 and", "expected a condition after 'and', found the end of the rule", 1, 15),
            ("orders > 1 or or", "expected a condition after 'or', found 'or'", 1, 15),
            ("not", "expected a condition after 'not', found the end of the rule", 1, 4),
            ("(orders > 1", "expected ')' to close the '(' at 1:1, found the end of the rule", 1, 12),
            ("orders > 1)", "unexpected ')' with no '(' to close", 1, 11),
            ("orders > 1 revenue > 2", "expected 'and' or 'or' before 'revenue'", 1, 12),
            ("recncy_days < 7", "unknown field 'recncy_days'; did you mean 'recency_days'?", 1, 1),
            ("country = 'DE'", "text goes in double quotes (\"...\")", 1, 11),
            ("country = \"DE", "unterminated text: a closing '\"' is missing", 1, 11),
            ("orders ! 1", "'!' must be followed by '=' (write 'not' to negate)", 1, 8),
            ("orders > 1 & revenue > 2", "unexpected character '&'", 1, 12),
            ("recency_days < 7w", "unknown duration unit 'w' (use d, h, m or s, as in 7d)", 1, 17),
            ("age between 1 or 2", "expected 'and' between the two bounds of 'between', found 'or'", 1, 15),
            ("country in \"DE\"", "expected '[' after 'in', found \"DE\"", 1, 12),
            ("country in []", "the list after 'in' is empty", 1, 13),
            ("country in [\"DE\" \"FR\"]", "expected ',' or ']' in the list, found \"FR\"", 1, 18),
            ("count(Product, 7d) > 1", "expected the event name in double quotes, as in count(\"Product Viewed\", 7d), found 'Product'", 1, 7),
            ("count(\"X\") > 1", "expected ',' and a window after the event name, as in count(\"X\", 7d), found ')'", 1, 10),
            ("count(\"X\", 7) > 1", "expected a window such as 7d, 12h or 30m, found '7'", 1, 12),
            ("count(\"X\", 0d) > 1", "the window must be longer than 0", 1, 12),
            ("segment(VIP)", "expected a segment name in double quotes, as in segment(\"Champions\"), found 'VIP'", 1, 9),
            ("country = DE", "expected a value after '=', found 'DE' (text goes in double quotes)", 1, 11),
            ("orders > 1\n  and revenue >", "expected a value after '>'", 2, 16),
            ("orders > 1 and\n\n  (revenue > 2 or)", "expected a condition after 'or', found ')'", 3, 18),
        ]
        for (text, message, line, column) in cases {
            let e = error(text)
            #expect(e?.message == message, "\(text)")
            #expect(e?.line == line, "\(text)")
            #expect(e?.column == column, "\(text)")
        }
        #expect(error("revenue >= ")?.description == "expected a value after '>=' at 1:12")
    }

    @Test func typeErrors() {
        let cases: [(String, String, Int)] = [
            ("revenue > \"100\"", "'revenue' is a number and cannot be compared with text", 11),
            ("orders = true", "'orders' is a number and cannot be compared with true/false", 10),
            ("revenue > 7d", "'revenue' is not a number of days: a duration such as 7d applies to recency_days, days_since_order and tenure_days", 11),
            ("revenue", "'revenue' is a number and needs a comparison, as in revenue > 0", 1),
            ("country = 3", "'country' is text and cannot be compared with a number; put the value in double quotes", 11),
            ("country < \"M\"", "'country' is text: use =, != or in, not '<'", 11),
            ("city between \"a\" and \"b\"", "'city' is text: 'between' applies to numbers", 14),
            ("country", "'country' is text and needs a comparison, as in country = \"DE\"", 1),
            ("email_opt_in = \"yes\"", "'email_opt_in' is true or false and cannot be compared with text", 16),
            ("sms_opt_in > false", "'sms_opt_in' is true or false: use = or !=, not '>'", 14),
            ("stage = \"Sleeping\"", "unknown stage \"Sleeping\" (stages: Awareness, Consideration, Purchase, Retention, Advocacy, At Risk, Lapsed)", 9),
            ("stage > \"Purchase\"", "'stage' is a name: use =, != or in, not '>'", 9),
            ("stage = 2", "'stage' is a stage name in double quotes, such as \"At Risk\", not a number", 9),
            ("count(\"X\", 7d)", "count(...) needs a comparison, as in count(\"X\", 7d) >= 1", 1),
            ("count(\"X\", 7d) > \"5\"", "count(...) is a number and cannot be compared with text", 18),
            ("count(\"X\", 7d) > 1d", "count(...) is not a number of days: a duration such as 7d applies to recency_days, days_since_order and tenure_days", 18),
            ("segment(\"A\") > 1", "segment(\"A\") is a condition by itself; use it without a comparison", 1),
            ("segment(\"A\") = 1", "segment(\"A\") is true or false; it cannot be compared with a number", 16),
            ("age between 30 and 20", "the lower bound of 'between' is above the upper bound", 13),
        ]
        for (text, message, column) in cases {
            let e = error(text)
            #expect(e?.message == message, "\(text)")
            #expect(e?.line == 1 && e?.column == column, "\(text): \(String(describing: e))")
        }
    }
}
