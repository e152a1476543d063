import CForesightSupport

/// Parses one line of the event log (EVENTS.md) into a ``RawEvent`` of spans, validating the full JSON
/// syntax on the way. A hand-written byte scanner: no `JSONDecoder`, no `String` per field.
///
/// Reuse one parser for many lines; ``event`` is overwritten by each ``parse(_:)``.
public struct EventParser: Sendable {
    /// The fields of the last line parsed successfully.
    ///
    /// Kept in the parser's buffer object, not inline: ``Engine/ingestDeferred(_:)`` swaps two parsers per
    /// line, and a 16-word struct swaps in a few instructions where one holding the ~450-byte event took ~230.
    /// Only ``parse(_:)`` writes it, after making sure the buffer is not shared with a copy of the parser.
    public internal(set) var event: RawEvent {
        @inline(__always) _read { yield padded.event.pointee }
        @inline(__always) _modify { yield &padded.event.pointee }
    }
    private var scratch: [UInt8] = []
    private var padded = PaddedLine()
    /// The parser's copy of the line parsed last (empty before the first, or after an empty line): the same
    /// bytes, valid until the next ``parse(_:)`` of this parser, so spans can be read after the caller's buffer
    /// is gone (``Engine/ingestDeferred(_:)``).
    var lastLine: UnsafeRawBufferPointer { padded.bytes }
    /// Where the engine will look up this line's customer and message id; set before each ``parse(_:)``.
    var prefetch = PrefetchHints()
    private var dayCache = Timestamp.DayCache()

    public init() {}

    /// Parses a line (without its newline).
    /// - Returns: nil when the line is accepted, else why and where it was rejected.
    /// - Complexity: O(line length).
    public mutating func parse(_ line: UnsafeRawBufferPointer) -> LineError? {
        // Value semantics: a copy of this parser may share the buffer (and the event); write to a fresh one.
        if !isKnownUniquelyReferenced(&padded) { padded = PaddedLine() }
        event.reset()
        guard line.baseAddress != nil, line.count > 0 else {
            return LineError(.invalidJSON, column: 0, "empty line")
        }
        // The scanner runs over a copy of the line followed by zero bytes (see `PaddedLine`), so that it may
        // load 16 bytes at any position of the line without checking how many remain. Spans are offsets,
        // the same in the copy as in `line`.
        var cur = JSONCursor(padded.copy(line), line.count)
        do throws(LineError) {
            // A UTF-8 byte order mark at the start of a line (first line of some files) is skipped.
            if line.count >= 3, cur.p[0] == 0xEF, cur.p[1] == 0xBB, cur.p[2] == 0xBF { cur.i = 3 }
            cur.skipWS()
            if cur.peek != 0x7B {
                let start = cur.i
                do throws(LineError) {
                    try cur.skipValue()
                } catch {
                    // Text that is no JSON at all: say so plainly rather than how it fails to be a value.
                    guard error.column == start + 1 else { throw error }
                    let head = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<min(line.count, start + 20)]), as: UTF8.self)
                    throw LineError(.invalidJSON, column: start + 1, "the line is not a JSON object: it starts with \"\(head)\"")
                }
                cur.skipWS()
                if cur.i < cur.n { throw cur.fail(.invalidJSON, "unexpected text after the JSON value") }
                return LineError(.notAnObject, column: 1, "the line is valid JSON but not an object")
            }
            try topLevel(&cur)
            cur.skipWS()
            if cur.i < cur.n { throw cur.fail(.invalidJSON, "unexpected text after the object") }
        } catch {
            return error
        }
        return validate(&cur)
    }

    private mutating func validate(_ cur: inout JSONCursor) -> LineError? {
        if event.typeSpan.isPresent {
            let type = cur.keyWords(event.typeSpan)
            if type == KeyWords("track") { event.type = .track }
            else if type == KeyWords("identify") { event.type = .identify }
            else if type == KeyWords("page") { event.type = .page }
            else if type == KeyWords("screen") { event.type = .screen }
            else {
                let text = String(decoding: UnsafeBufferPointer(start: cur.p + Int(event.typeSpan.start), count: Int(min(event.typeSpan.count, 40))), as: UTF8.self)
                return LineError(.unsupportedType, column: Int(event.typeSpan.start) + 1, "type \"\(text)\" is not track, identify, page or screen")
            }
        } else {
            event.type = .track
        }
        if !event.userId.isNonEmpty && !event.anonymousId.isNonEmpty {
            return LineError(.missingCustomer, column: 0, "neither \"userId\" nor \"anonymousId\" is set")
        }
        if event.type == .track && !event.event.isNonEmpty {
            return LineError(.missingEventName, column: 0, "a track call needs a non-empty \"event\"")
        }
        if !event.hasTimestamp {
            return LineError(.missingTimestamp, column: 0, "the event has no \"timestamp\" field, or it is null")
        }
        return nil
    }

    /// The bytes of a span of `line`, unescaped when the string held escapes.
    /// - Parameter body: receives the bytes; they are valid only inside it.
    @inlinable
    public mutating func withBytes<R>(_ span: Span, in line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard span.isPresent else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let raw = UnsafeRawBufferPointer(rebasing: line[Int(span.start)..<Int(span.start + span.count)])
        guard span.escaped else { return body(raw) }
        return withUnescaped(raw, body)
    }

    /// The text of a span as a `String` (for rare fields: traits, errors).
    public mutating func string(_ span: Span, in line: UnsafeRawBufferPointer) -> String? {
        guard span.isPresent else { return nil }
        return withBytes(span, in: line) { String(decoding: $0, as: UTF8.self) }
    }

    @usableFromInline
    mutating func withUnescaped<R>(_ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        scratch.removeAll(keepingCapacity: true)
        JSONUnescape.decode(raw, into: &scratch)
        return scratch.withUnsafeBytes(body)
    }

    // MARK: objects

    private mutating func topLevel(_ cur: inout JSONCursor) throws(LineError) {
        cur.i &+= 1
        var first = true
        while let k = try cur.nextMember(&first) {
            let kw = cur.keyWords(k)
            switch k.count {
            case 4 where kw == KeyWords("type"): event.typeSpan = try cur.stringValue("type")
            case 4 where kw == KeyWords("name"): event.name = try cur.stringValue("name")
            case 5 where kw == KeyWords("event"): event.event = try cur.stringValue("event")
            case 6 where kw == KeyWords("userId"):
                event.userId = try cur.idValue("userId")
                event.userIdHash = prefetch.customer(event.userId, in: cur)
            case 6 where kw == KeyWords("traits"): if try cur.objectStart("traits") { try traits(&cur) }
            case 7 where kw == KeyWords("context"): if try cur.objectStart("context") { try context(&cur) }
            case 9 where kw == KeyWords("timestamp"): try timestamp(&cur)
            case 9 where kw == KeyWords("messageId"):
                event.messageId = try cur.idValue("messageId")
                event.messageIdHash = prefetch.message(event.messageId, in: cur)
            case 10 where kw == KeyWords("properties"): if try cur.objectStart("properties") { try properties(&cur) }
            case 11 where kw == KeyWords("anonymousId"):
                event.anonymousId = try cur.idValue("anonymousId")
                event.anonymousIdHash = prefetch.customer(event.anonymousId, in: cur)
            default: try cur.skipValue(depth: 1)
            }
        }
    }

    private mutating func properties(_ cur: inout JSONCursor) throws(LineError) {
        cur.i &+= 1
        var first = true
        while let k = try cur.nextMember(&first) {
            let kw = cur.keyWords(k)
            switch k.count {
            case 3 where kw == KeyWords("sku"):
                // product_id wins over sku, whichever comes first.
                let sku = try cur.idValue("properties.sku")
                if !event.product.id.isPresent { event.product.id = sku }
            case 5 where kw == KeyWords("total"): event.total = try cur.numberValue("properties.total")
            case 5 where kw == KeyWords("value"): event.value = try cur.numberValue("properties.value")
            case 5 where kw == KeyWords("price"): event.product.price = try cur.numberValue("properties.price")
            case 5 where kw == KeyWords("brand"): event.product.brand = try cur.stringValue("properties.brand")
            case 6 where kw == KeyWords("rating"): event.rating = try cur.numberValue("properties.rating")
            case 7 where kw == KeyWords("revenue"): event.revenue = try cur.numberValue("properties.revenue")
            case 8 where kw == KeyWords("order_id"): event.orderId = try cur.idValue("properties.order_id")
            case 8 where kw == KeyWords("category"): event.product.category = try cur.stringValue("properties.category")
            case 8 where kw == KeyWords("quantity"): event.product.quantity = try cur.numberValue("properties.quantity")
            case 8 where kw == KeyWords("products"): try productsArray(&cur)
            case 9 where kw == KeyWords("sentiment"): event.sentiment = try cur.numberValue("properties.sentiment")
            case 10 where kw == KeyWords("product_id"): event.product.id = try cur.idValue("properties.product_id")
            default: try cur.skipValue(depth: 2)
            }
        }
    }

    private mutating func productsArray(_ cur: inout JSONCursor) throws(LineError) {
        if cur.peek == 0x6E { try cur.literal("null"); return }
        guard cur.peek == 0x5B else { throw cur.fail(.wrongFieldType, "\"properties.products\" must be an array of objects") }
        cur.i &+= 1
        cur.skipWS()
        if cur.peek == 0x5D { cur.i &+= 1; return }
        while true {
            guard cur.peek == 0x7B else { throw cur.fail(.wrongFieldType, "each of \"properties.products\" must be an object") }
            var item = RawProduct()
            cur.i &+= 1
            var first = true
            while let k = try cur.nextMember(&first) {
            let kw = cur.keyWords(k)
                switch k.count {
                case 3 where kw == KeyWords("sku"):
                    let sku = try cur.idValue("products[].sku")
                    if !item.id.isPresent { item.id = sku }
                case 5 where kw == KeyWords("price"): item.price = try cur.numberValue("products[].price")
                case 5 where kw == KeyWords("brand"): item.brand = try cur.stringValue("products[].brand")
                case 8 where kw == KeyWords("category"): item.category = try cur.stringValue("products[].category")
                case 8 where kw == KeyWords("quantity"): item.quantity = try cur.numberValue("products[].quantity")
                case 10 where kw == KeyWords("product_id"): item.id = try cur.idValue("products[].product_id")
                default: try cur.skipValue(depth: 4)
                }
            }
            if event.products.count < 256 { event.products.append(item) }
            cur.skipWS()
            if cur.peek == 0x2C { cur.i &+= 1; cur.skipWS(); continue }
            if cur.peek == 0x5D { cur.i &+= 1; return }
            throw cur.fail(.invalidJSON, cur.i < cur.n ? "expected ',' or ']'" : "line ends inside an array")
        }
    }

    private mutating func context(_ cur: inout JSONCursor) throws(LineError) {
        cur.i &+= 1
        var first = true
        while let k = try cur.nextMember(&first) {
            let kw = cur.keyWords(k)
            if kw == KeyWords("channel") {
                event.channel = try cur.stringValue("context.channel")
            } else if kw == KeyWords("campaign") {
                guard try cur.objectStart("context.campaign") else { continue }
                cur.i &+= 1
                var firstInner = true
                while let c = try cur.nextMember(&firstInner) {
                    let cw = cur.keyWords(c)
                    if cw == KeyWords("name") { event.campaignName = try cur.stringValue("context.campaign.name") }
                    else if cw == KeyWords("source") { event.campaignSource = try cur.stringValue("context.campaign.source") }
                    else if cw == KeyWords("medium") { event.campaignMedium = try cur.stringValue("context.campaign.medium") }
                    else { try cur.skipValue(depth: 3) }
                }
            } else {
                try cur.skipValue(depth: 2)
            }
        }
    }

    private mutating func traits(_ cur: inout JSONCursor) throws(LineError) {
        event.hasTraits = true
        cur.i &+= 1
        var first = true
        while let k = try cur.nextMember(&first) {
            let kw = cur.keyWords(k)
            switch k.count {
            case 3 where kw == KeyWords("age"): event.age = try cur.numberValue("traits.age")
            case 4 where kw == KeyWords("name"): event.traitName = try cur.stringValue("traits.name")
            case 4 where kw == KeyWords("city"): event.city = try cur.stringValue("traits.city")
            case 4 where kw == KeyWords("plan"): event.plan = try cur.stringValue("traits.plan")
            case 5 where kw == KeyWords("email"): event.email = try cur.stringValue("traits.email")
            case 7 where kw == KeyWords("country"): event.country = try cur.stringValue("traits.country")
            case 8 where kw == KeyWords("timezone"): event.timezone = try cur.stringValue("traits.timezone")
            case 10 where kw == KeyWords("sms_opt_in"): event.smsOptIn = try cur.boolValue("traits.sms_opt_in")
            case 12 where kw == KeyWords("email_opt_in"): event.emailOptIn = try cur.boolValue("traits.email_opt_in")
            default: try cur.skipValue(depth: 2)
            }
        }
    }

    // MARK: members and values

    private mutating func timestamp(_ cur: inout JSONCursor) throws(LineError) {
        let column = cur.i + 1
        switch cur.peek {
        case 0x22:
            let span = try cur.string()
            let bytes = UnsafeRawBufferPointer(start: cur.p + Int(span.start), count: Int(span.count))
            guard !span.escaped, let ms = Timestamp.parseISO8601(bytes, cache: &dayCache) else {
                let text = String(decoding: bytes.prefix(40), as: UTF8.self)
                throw LineError(.invalidTimestamp, column: column, "\"timestamp\" \"\(text)\" is not ISO-8601 with an offset between 1970 and 2100")
            }
            event.timestamp = ms
            event.hasTimestamp = true
        case 0x2D, 0x30...0x39:
            let (v, _) = try cur.number()
            guard let ms = Timestamp.fromEpochNumber(v) else {
                throw LineError(.invalidTimestamp, column: column, "\"timestamp\" \(v) is not epoch seconds or milliseconds between 1970 and 2100")
            }
            event.timestamp = ms
            event.hasTimestamp = true
        case 0x6E:
            try cur.literal("null")
        default:
            try cur.checkSyntax()
            throw cur.fail(.wrongFieldType, "\"timestamp\" must be a string or a number")
        }
    }


}

extension JSONCursor {
    /// Advances to the next member of an object whose `{` was consumed; returns its key with the cursor
    /// on the value, or nil after the closing brace. `first` tracks whether a comma is due.
    ///
    /// Compact JSON, as collectors write it (`,"key":value` with no whitespace), takes an inlined path that
    /// checks each expected byte once; anything else (whitespace, a syntax error) goes the general way from
    /// the same position, so results and error columns are those of ``nextMemberGeneral(_:)``. The padding
    /// of the line (``PaddedLine``) makes `p[i + 1]` readable at the end.
    ///
    /// `@_transparent` rather than `@inline(__always)`: with the latter the optimizer still emitted it as a
    /// function called a dozen times per line (prologue, epilogue and spills each time); forced inline,
    /// parsing takes ~310 fewer instructions per line (callgrind). See DECISIONS.md.
    @_transparent
    mutating func nextMember(_ first: inout Bool) throws(LineError) -> Span? {
        let c = p[i]
        if !first {
            if c == 0x7D { i &+= 1; return nil }
            guard c == 0x2C, p[i &+ 1] == 0x22 else { return try nextMemberGeneral(&first) }
            i &+= 1
        } else {
            guard c == 0x22 else { return try nextMemberGeneral(&first) }
            first = false
        }
        let k = try string()
        if p[i] == 0x3A && p[i &+ 1] > 0x20 {
            i &+= 1
            return k
        }
        skipWS()
        try expect(0x3A, "':' after a key")
        skipWS()
        return k
    }

    /// ``nextMember(_:)`` for any JSON: whitespace anywhere, and every error.
    @inline(never)
    mutating func nextMemberGeneral(_ first: inout Bool) throws(LineError) -> Span? {
        skipWS()
        if first {
            first = false
            if peek == 0x7D { i &+= 1; return nil }
        } else if peek == 0x2C {
            i &+= 1
            skipWS()
        } else if peek == 0x7D {
            i &+= 1
            return nil
        } else {
            throw fail(.invalidJSON, i < n ? "expected ',' or '}'" : "line ends inside an object")
        }
        guard peek == 0x22 else { throw fail(.invalidJSON, i < n ? "expected a quoted key" : "line ends inside an object") }
        let k = try string()
        skipWS()
        try expect(0x3A, "':' after a key")
        skipWS()
        return k
    }

    @inline(__always)
    mutating func stringValue(_ field: String) throws(LineError) -> Span {
        switch peek {
        case 0x22: return try string()
        case 0x6E: try literal("null"); return Span()
        default:
            try checkSyntax()
            throw fail(.wrongFieldType, "\"\(field)\" must be a string")
        }
    }

    /// A string, or a number read as its decimal text (ids may be numbers).
    @inline(__always)
    mutating func idValue(_ field: String) throws(LineError) -> Span {
        switch peek {
        case 0x22: return try string()
        case 0x6E: try literal("null"); return Span()
        case 0x2D, 0x30...0x39: return try number().1
        default:
            try checkSyntax()
            throw fail(.wrongFieldType, "\"\(field)\" must be a string or a number")
        }
    }

    /// A number, or a string holding one (some collectors quote amounts); NaN for null.
    @inline(__always)
    mutating func numberValue(_ field: String) throws(LineError) -> Double {
        switch peek {
        case 0x2D, 0x30...0x39: return try number().0
        case 0x6E: try literal("null"); return .nan
        case 0x22:
            let column = i + 1
            let span = try string()
            var inner = JSONCursor(p + Int(span.start), Int(span.count))
            if !span.escaped, span.count > 0, let (v, _) = try? inner.number(), inner.i == inner.n { return v }
            throw LineError(.wrongFieldType, column: column, "\"\(field)\" must be a number")
        default:
            try checkSyntax()
            throw fail(.wrongFieldType, "\"\(field)\" must be a number")
        }
    }

    @inline(__always)
    mutating func boolValue(_ field: String) throws(LineError) -> Consent {
        switch peek {
        case 0x74: try literal("true"); return .granted
        case 0x66: try literal("false"); return .denied
        case 0x6E: try literal("null"); return .unknown
        default:
            try checkSyntax()
            throw fail(.wrongFieldType, "\"\(field)\" must be true or false")
        }
    }

    /// True when an object starts at the cursor; false (consumed) for null; a wrong type otherwise.
    @inline(__always)
    mutating func objectStart(_ field: String) throws(LineError) -> Bool {
        switch peek {
        case 0x7B: return true
        case 0x6E: try literal("null"); return false
        default:
            try checkSyntax()
            throw fail(.wrongFieldType, "\"\(field)\" must be an object")
        }
    }

    /// Before reporting a wrong type, make sure the value itself is valid JSON: a syntax error anywhere
    /// in it is reported as such, with its own column.
    func checkSyntax() throws(LineError) {
        var probe = self
        try probe.skipValue(depth: 1)
    }}


/// A reusable buffer holding the line being parsed followed by ``padding`` zero bytes.
///
/// The padding lets ``JSONCursor`` read 16 bytes at once anywhere in the line (SSE2 string scanning, keys
/// compared as two words) with no bounds check and no slower path for the last bytes of a line; the zero
/// after the last byte is a control character, so a string scan always stops at the end of the line.
/// Copying a 250-byte line costs a few dozen instructions; the checks it saves cost hundreds.
///
/// A class so that the storage is not reallocated per line; ``EventParser`` keeps value semantics by
/// replacing it when it is shared (a copied parser), so a buffer is only ever written by one parser.
final class PaddedLine: @unchecked Sendable {
    /// Bytes readable past the end of the line; the first of them is zero.
    static let padding = 64
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    /// The parser's ``EventParser/event``, here so that a parser is small to move (see there).
    let event: UnsafeMutablePointer<RawEvent>

    init() {
        capacity = 4096
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity + Self.padding, alignment: 16)
        event = UnsafeMutablePointer<RawEvent>.allocate(capacity: 1)
        event.initialize(to: RawEvent())
    }

    deinit {
        storage.deallocate()
        event.deinitialize(count: 1)
        event.deallocate()
    }

    /// The line copied last (without its padding).
    private(set) var bytes = UnsafeRawBufferPointer(start: nil, count: 0)

    /// Copies `line` into the buffer, zeroes the padding after it, and returns the copy's first byte.
    @inline(__always)
    func copy(_ line: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        let count = line.count
        if count > capacity {
            storage.deallocate()
            capacity = max(count, capacity * 2)
            storage = UnsafeMutableRawPointer.allocate(byteCount: capacity + Self.padding, alignment: 16)
        }
        if let base = line.baseAddress { storage.copyMemory(from: base, byteCount: count) }
        // Only the first 16 bytes after the line are ever loaded by a scan of it (a load starts before the end).
        (storage + count).storeBytes(of: 0, toByteOffset: 0, as: UInt64.self)
        (storage + count).storeBytes(of: 0, toByteOffset: 8, as: UInt64.self)
        (storage + count).storeBytes(of: 0, toByteOffset: 16, as: UInt64.self)
        (storage + count).storeBytes(of: 0, toByteOffset: 24, as: UInt64.self)
        bytes = UnsafeRawBufferPointer(start: storage, count: count)
        return UnsafePointer(storage.assumingMemoryBound(to: UInt8.self))
    }
}


/// The hash tables the engine will probe for the line being parsed, so that the parser can hash the customer
/// key and the message id as soon as it has read them and start loading their table slots: the loads then
/// overlap the rest of the line's parsing instead of stalling the engine after it (with 400k customers, the
/// customer table is 16 MiB and the message-id tables 4 MiB, beyond the core's 2 MiB cache).
///
/// Addresses are kept as integers and only ever prefetched, never dereferenced: a stale hint (a table that
/// grew meanwhile) costs a useless load, nothing else.
struct PrefetchHints {
    /// Customer ``Interner`` slots: slot of a hash h is `(h >> 32) & customerMask`, 16 bytes each.
    var customerTable: UInt = 0
    var customerMask = 0
    /// The current ``DedupWindow`` table: slot of a fingerprint f is `f & messageMask`, 8 bytes each.
    var messageTable: UInt = 0
    var messageMask = 0

    /// Hashes an id span as the interner will (``hashBytes(_:_:)``) and prefetches its slot.
    /// - Returns: the hash, or 0 when the span is absent or escaped (the engine hashes the unescaped bytes).
    @_transparent
    func customer(_ span: Span, in cur: JSONCursor) -> UInt64 {
        guard span.isPresent, !span.escaped else { return 0 }
        let h = hashBytes(UnsafeRawPointer(cur.p + Int(span.start)), Int(span.count))
        if customerTable != 0 {
            let slot = Int(truncatingIfNeeded: h >> 32) & customerMask
            foresight_prefetch_read(UnsafeRawPointer(bitPattern: customerTable &+ UInt(slot &* 16)))
        }
        return h
    }

    /// Hashes a message id span as the duplicate check will and prefetches its slot (0: absent or escaped).
    @_transparent
    func message(_ span: Span, in cur: JSONCursor) -> UInt64 {
        guard span.isPresent, !span.escaped else { return 0 }
        let h = hashBytes(UnsafeRawPointer(cur.p + Int(span.start)), Int(span.count))
        if messageTable != 0 {
            let slot = Int(truncatingIfNeeded: h) & messageMask
            foresight_prefetch_read(UnsafeRawPointer(bitPattern: messageTable &+ UInt(slot &* 8)))
        }
        return h
    }
}
