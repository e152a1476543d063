import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct ParserFieldTests {
    @Test func contractExamplesParse() {
        var parser = EventParser()
        let order = #"{"type":"track","event":"Order Completed","userId":"u000123","timestamp":"2026-03-01T10:07:40Z","messageId":"m-2","properties":{"order_id":"o-9","revenue":139.98,"products":[{"product_id":"p0042","category":"hiking-boots","price":129.99,"quantity":1},{"product_id":"p0107","category":"hiking-socks","price":9.99,"quantity":1}]}}"#
        #expect(parser.parse(order) == nil)
        let e = parser.event
        #expect(e.type == .track)
        #expect(parser.text(e.event, of: order) == "Order Completed")
        #expect(parser.text(e.userId, of: order) == "u000123")
        #expect(parser.text(e.messageId, of: order) == "m-2")
        #expect(parser.text(e.orderId, of: order) == "o-9")
        #expect(e.timestamp == ms("2026-03-01T10:07:40Z"))
        #expect(e.revenue == 139.98)
        #expect(e.products.count == 2)
        #expect(parser.text(e.products[1].id, of: order) == "p0107")
        #expect(parser.text(e.products[1].category, of: order) == "hiking-socks")
        #expect(e.products[0].price == 129.99)
        #expect(e.products[0].quantity == 1)
    }

    @Test func identifyTraitsAndConsent() {
        var parser = EventParser()
        let line = #"{"type":"identify","userId":"u1","timestamp":"2026-03-01T09:58:00Z","traits":{"country":"DE","age":34,"email_opt_in":true,"sms_opt_in":false,"email":"a@b.de","name":"Anna","city":"Köln","plan":"pro","timezone":"Europe/Berlin"}}"#
        #expect(parser.parse(line) == nil)
        let e = parser.event
        #expect(e.type == .identify)
        #expect(e.hasTraits)
        #expect(parser.text(e.country, of: line) == "DE")
        #expect(parser.text(e.city, of: line) == "Köln")
        #expect(parser.text(e.timezone, of: line) == "Europe/Berlin")
        #expect(e.age == 34)
        #expect(e.emailOptIn == .granted)
        #expect(e.smsOptIn == .denied)
    }

    @Test func pageContextAndCampaign() {
        var parser = EventParser()
        let line = #"{"type":"page","anonymousId":"a-7","name":"Outdoor","timestamp":"2026-03-01T10:00:00.123Z","context":{"channel":"email","campaign":{"name":"spring","source":"newsletter","medium":"email"},"ip":"1.2.3.4"}}"#
        #expect(parser.parse(line) == nil)
        let e = parser.event
        #expect(e.type == .page)
        #expect(!e.userId.isPresent)
        #expect(parser.text(e.customerKey, of: line) == "a-7")
        #expect(parser.text(e.name, of: line) == "Outdoor")
        #expect(parser.text(e.channel, of: line) == "email")
        #expect(parser.text(e.campaignName, of: line) == "spring")
        #expect(parser.text(e.campaignSource, of: line) == "newsletter")
        #expect(e.timestamp == ms("2026-03-01T10:00:00Z") + 123)
    }

    @Test func defaultsToTrackAndNumberIds() {
        var parser = EventParser()
        let line = #"{"event":"Signed Up","userId":12345,"timestamp":1772359200,"messageId":99}"#
        #expect(parser.parse(line) == nil)
        #expect(parser.event.type == .track)
        #expect(parser.text(parser.event.userId, of: line) == "12345")
        #expect(parser.text(parser.event.messageId, of: line) == "99")
        #expect(parser.event.timestamp == 1_772_359_200_000)
    }

    @Test func epochMillisecondsAndFractions() {
        var parser = EventParser()
        #expect(parser.parse(#"{"event":"x","userId":"u","timestamp":1772359200123}"#) == nil)
        #expect(parser.event.timestamp == 1_772_359_200_123)
        #expect(parser.parse(#"{"event":"x","userId":"u","timestamp":1772359200.5}"#) == nil)
        #expect(parser.event.timestamp == 1_772_359_200_500)
    }

    @Test(arguments: [
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.000Z"),
        ("2026-03-01T12:00:00+02:00", "2026-03-01T10:00:00.000Z"),
        ("2026-03-01T05:30:00-0430", "2026-03-01T10:00:00.000Z"),
        ("2026-03-01T11:00:00+01", "2026-03-01T10:00:00.000Z"),
        ("2026-03-01t10:00:00.987654z", "2026-03-01T10:00:00.987Z"),
        ("2026-03-01 10:00:00.5Z", "2026-03-01T10:00:00.500Z"),
        ("2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"),
        ("1997-01-01T00:00:00Z", "1997-01-01T00:00:00.000Z"),
    ])
    func iso8601Forms(input: String, expected: String) {
        var parser = EventParser()
        let line = #"{"event":"x","userId":"u","timestamp":"\#(input)"}"#
        #expect(parser.parse(line) == nil)
        #expect(Timestamp.iso8601(parser.event.timestamp) == expected)
    }

    @Test func dayCacheNeverServesAnotherDate() {
        var parser = EventParser()
        for iso in ["2026-03-01T10:00:00Z", "2026-03-01T23:59:59Z", "2026-03-02T00:00:00Z", "2026-03-01T00:00:01Z",
                    "2025-03-01T00:00:01Z", "2026-03-31T12:00:00Z", "2026-03-32T12:00:00Z"] {
            let error = parser.parse(#"{"event":"x","userId":"u","timestamp":"\#(iso)"}"#)
            if iso.hasPrefix("2026-03-32") {
                #expect(error?.reason == .invalidTimestamp)
            } else {
                #expect(error == nil)
                #expect(Timestamp.iso8601(parser.event.timestamp, milliseconds: false) == iso)
            }
        }
    }

    @Test func escapesAndSurrogatePairsAreDecoded() {
        var parser = EventParser()
        let line = #"{"event":"Caf\u00e9 \"Visit\"\n","userId":"\ud83d\ude00-\/x","timestamp":"2026-03-01T10:00:00Z"}"#
        #expect(parser.parse(line) == nil)
        #expect(parser.text(parser.event.event, of: line) == "Café \"Visit\"\n")
        #expect(parser.text(parser.event.userId, of: line) == "😀-/x")
    }

    @Test func unknownFieldsAndNestedValuesAreSkipped() {
        var parser = EventParser()
        let line = #"{"x":[1,{"a":[true,false,null,-1.5e3,"s"]}],"event":"e","extra":{"deep":{"deeper":[[[]]]}},"userId":"u","timestamp":"2026-03-01T10:00:00Z","properties":{"custom":{"k":1},"revenue":"12.50","product_id":7}}"#
        #expect(parser.parse(line) == nil)
        #expect(parser.event.revenue == 12.5)
        #expect(parser.text(parser.event.product.id, of: line) == "7")
    }

    @Test func nullFieldsCountAsAbsent() {
        var parser = EventParser()
        let line = #"{"event":"e","userId":null,"anonymousId":"anon","timestamp":"2026-03-01T10:00:00Z","properties":null,"context":{"channel":null}}"#
        #expect(parser.parse(line) == nil)
        #expect(parser.text(parser.event.customerKey, of: line) == "anon")
        #expect(!parser.event.channel.isPresent)
    }

    @Test func crlfIsTrimmedByTheReaderButWhitespaceIsFine() {
        var parser = EventParser()
        #expect(parser.parse("  {\"event\":\"e\" , \"userId\" : \"u\",\"timestamp\":\"2026-03-01T10:00:00Z\"}\t ") == nil)
        #expect(parser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"event":"e","userId":"u","timestamp":1}"#.utf8)) == nil)
    }
}

@Suite struct ParserRejectTests {
    static let ts = #""timestamp":"2026-03-01T10:00:00Z""#

    @Test(arguments: [
        (#"{"event":"e","userId":"u""#, RejectReason.invalidJSON, 26),
        (#"{"event":"e" "userId":"u"}"#, .invalidJSON, 14),
        (#"{"event":'e'}"#, .invalidJSON, 10),
        (#"{"event":"e",}"#, .invalidJSON, 14),
        (#"{"event":"a\qb"}"#, .invalidJSON, 12),
        (#"{"event":"\ud800x"}"#, .invalidJSON, 11),
        (#"{"event":"\udc00"}"#, .invalidJSON, 11),
        (#"{"n":01}"#, .invalidJSON, 7),
        (#"{"n":1.}"#, .invalidJSON, 8),
        (#"{"n":tru}"#, .invalidJSON, 6),
        (#"{"a":1} x"#, .invalidJSON, 9),
        (#"[1,2]"#, .notAnObject, 1),
        (#""just a string""#, .notAnObject, 1),
        (#"{"event":"e","timestamp":"2026-03-01T10:00:00Z"}"#, .missingCustomer, 0),
        (#"{"userId":"","anonymousId":"","event":"e","timestamp":"2026-03-01T10:00:00Z"}"#, .missingCustomer, 0),
        (#"{"userId":"u","timestamp":"2026-03-01T10:00:00Z"}"#, .missingEventName, 0),
        (#"{"type":"track","event":"","userId":"u","timestamp":"2026-03-01T10:00:00Z"}"#, .missingEventName, 0),
        (#"{"userId":"u","event":"e"}"#, .missingTimestamp, 0),
        (#"{"userId":"u","event":"e","timestamp":"yesterday"}"#, .invalidTimestamp, 39),
        (#"{"userId":"u","event":"e","timestamp":"2026-02-30T10:00:00Z"}"#, .invalidTimestamp, 39),
        (#"{"userId":"u","event":"e","timestamp":"2026-03-01T10:00:00"}"#, .invalidTimestamp, 39),
        (#"{"userId":"u","event":"e","timestamp":-5}"#, .invalidTimestamp, 39),
        (#"{"userId":{},"event":"e","timestamp":1}"#, .wrongFieldType, 11),
        (#"{"userId":"u","event":7,"timestamp":1}"#, .wrongFieldType, 23),
        (#"{"userId":"u","event":"e","timestamp":true}"#, .wrongFieldType, 39),
        (#"{"userId":"u","event":"e","timestamp":1,"properties":[]}"#, .wrongFieldType, 54),
        (#"{"userId":"u","event":"e","timestamp":1,"properties":{"revenue":"lots"}}"#, .wrongFieldType, 65),
        (#"{"userId":"u","event":"e","timestamp":1,"properties":{"products":{}}}"#, .wrongFieldType, 66),
        (#"{"userId":"u","event":"e","timestamp":1,"traits":{"email_opt_in":"yes"}}"#, .wrongFieldType, 66),
        (#"{"type":"alias","userId":"u","timestamp":1}"#, .unsupportedType, 10),
        // Ends of the line inside a string, a key and an escape (the scanner reads 16 bytes at a time).
        (#"{"event":"abc"#, .invalidJSON, 14),
        (#"{"eve"#, .invalidJSON, 6),
        (#"{"event":"a\"#, .invalidJSON, 12),
        (#"{"event":"\u12"#, .invalidJSON, 13),
    ])
    func rejects(line: String, reason: RejectReason, column: Int) {
        var parser = EventParser()
        let error = parser.parse(line)
        #expect(error?.reason == reason, "\(line): \(String(describing: error))")
        #expect(error?.column == column, "\(line): \(String(describing: error))")
        #expect(error?.detail.isEmpty == false)
    }

    @Test func invalidUTF8IsItsOwnReason() {
        var parser = EventParser()
        let prefix = Array(#"{"userId":"u"#.utf8)
        for bad: [UInt8] in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF5, 0x80, 0x80, 0x80]] {
            let line = prefix + bad + Array(#"","event":"e","timestamp":1}"#.utf8)
            #expect(parser.parse(bytes: line)?.reason == .invalidUTF8, "\(bad)")
            #expect(parser.parse(bytes: line)?.column == prefix.count + 1)
        }
        #expect(parser.parse(bytes: prefix + [0xE2, 0x82, 0xAC] + Array(#"","event":"e","timestamp":1}"#.utf8)) == nil)
    }

    /// One parser for many lines: what an earlier, longer line left in the parser's buffer past the end of a
    /// shorter one never shows, for strings and keys of every length around the 8- and 16-byte steps.
    @Test func reusedParserSeesOnlyTheCurrentLine() {
        var parser = EventParser()
        let long = #"{"userId":"u","event":"e","timestamp":1,"properties":{"x":"\#(String(repeating: #"\""#, count: 200))"}}"#
        #expect(parser.parse(long) == nil)
        for length in 0..<40 {
            let value = String(repeating: "v", count: length)
            #expect(parser.parse(long) == nil)
            let line = #"{"userId":"u","timestamp":1,"event":"\#(value)"}"#
            if length == 0 {
                #expect(parser.parse(line)?.reason == .missingEventName)
            } else {
                #expect(parser.parse(line) == nil)
                #expect(parser.text(parser.event.event, of: line) == value)
            }
            #expect(parser.parse(long) == nil)
            let cut = #"{"userId":"u","timestamp":1,"event":"\#(value)"#
            #expect(parser.parse(cut)?.column == cut.utf8.count + 1, "\(cut)")
            let key = String(repeating: "k", count: length)
            #expect(parser.parse(long) == nil)
            #expect(parser.parse(#"{"userId":"u","timestamp":1,"event":"e","\#(key)":1}"#) == nil)
            #expect(parser.parse(long) == nil)
            let cutKey = #"{"userId":"u","timestamp":1,"event":"e","\#(key)"#
            #expect(parser.parse(cutKey)?.column == cutKey.utf8.count + 1, "\(cutKey)")
        }
    }

    /// A copy of a parser keeps the event it had: the event lives in the parser's buffer object, which a
    /// parse replaces when it is shared.
    @Test func copiedParserKeepsItsEvent() {
        var parser = EventParser()
        let first = #"{"event":"first","userId":"u1","timestamp":1}"#
        #expect(parser.parse(first) == nil)
        var copy = parser
        #expect(parser.parse(#"{"event":"second one","userId":"u22","timestamp":2}"#) == nil)
        #expect(copy.text(copy.event.event, of: first) == "first")
        #expect(copy.text(copy.event.userId, of: first) == "u1")
        #expect(copy.event.timestamp == 1000)
        #expect(parser.event.timestamp == 2000)
        #expect(copy.parse(#"{"event":"third","userId":"u3","timestamp":3}"#) == nil)
        #expect(parser.event.timestamp == 2000)
    }

    @Test func controlCharacterInString() {
        var parser = EventParser()
        #expect(parser.parse("{\"event\":\"a\u{01}b\"}")?.reason == .invalidJSON)
    }

    @Test func deepNestingIsRejectedNotCrashed() {
        var parser = EventParser()
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parser.parse(#"{"x":\#(deep),"userId":"u","event":"e","timestamp":1}"#)?.reason == .invalidJSON)
    }
}
