import GRDB
import GRDBSQLite

/// SQLite's "copy the bytes now" destructor (SQLITE_TRANSIENT, a macro Swift does not import).
private var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

/// A prepared GRDB statement driven through the SQLite C API: binding 40 columns of 400k rows through
/// `StatementArguments` (an enum per value, a `Data` per blob) cost several times SQLite's own work.
/// Used inside a GRDB transaction only.
struct RawStatement {
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, _ sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(handle, i, Int64(v)) }
    func bind(_ i: Int32, _ v: Double) { sqlite3_bind_double(handle, i, v) }
    func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    func bind(_ i: Int32, _ v: Int64?) { if let v { bind(i, v) } else { bindNull(i) } }

    /// Text, copied by SQLite.
    func bind(_ i: Int32, _ s: String?) {
        guard var s else { return bindNull(i) }
        s.withUTF8 { u in bindText(i, UnsafeRawBufferPointer(u)) }
    }

    /// Text bytes (valid UTF-8), copied by SQLite.
    func bindText(_ i: Int32, _ bytes: UnsafeRawBufferPointer) {
        // An empty key still needs a non-null pointer, or SQLite stores NULL.
        let empty: StaticString = ""
        let base = bytes.count > 0 ? bytes.baseAddress : UnsafeRawPointer(empty.utf8Start)
        _ = sqlite3_bind_text(handle, i, base?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
    }

    /// Resets a query to run it again.
    func reset() { sqlite3_reset(handle) }

    /// A blob, copied by SQLite; with `copy: false` the bytes must stay valid until the statement has run.
    func bindBlob(_ i: Int32, _ bytes: UnsafeRawBufferPointer, copy: Bool = true) {
        // SQLITE_STATIC is a null destructor.
        _ = sqlite3_bind_blob(handle, i, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), copy ? transient : nil)
    }

    /// Runs the statement once with what is bound, then resets it.
    func run() throws(StoreError) {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw StoreError.sqlite(message(rc)) }
    }

    /// Steps a query: true while a row is available.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        guard rc == SQLITE_DONE else { throw StoreError.sqlite(message(rc)) }
        return false
    }

    func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }

    func text(_ i: Int32) -> String? {
        guard !isNull(i), let p = sqlite3_column_text(handle, i) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// The bytes of a text or blob column, valid until the next step.
    func bytes(_ i: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite3_column_blob(handle, i)
        let n = Int(sqlite3_column_bytes(handle, i))
        return UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n)
    }

    private func message(_ rc: Int32) -> String {
        let db = sqlite3_db_handle(handle)
        return String(cString: sqlite3_errmsg(db)) + " (code \(rc))"
    }
}
