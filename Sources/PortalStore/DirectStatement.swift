import GRDB
import GRDBSQLite

/// A cached statement whose values are bound straight to its SQLite handle and which is stepped
/// directly: for the inserts that imports run by the hundred thousand (a license and its
/// `license.created` event). Through GRDB's `StatementArguments` every value is boxed in an
/// existential and converted again, which cost a quarter of an import's instructions.
///
/// Bind every parameter, in order, then `execute()` (or `findsRow()` for an existence check). Only
/// for plain INSERT/UPDATE/DELETE and SELECT statements inside a transaction the store opened: it
/// skips GRDB's per-statement bookkeeping, which such statements do not need (no transaction
/// observer watches the rows they write; those that wait for a commit are told of it by the
/// COMMIT, which GRDB runs).
struct DirectStatement {
    private let statement: Statement
    private let handle: SQLiteStatement
    private var index: CInt = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.boundedCachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    /// SQLite copies bound text: the Swift string's buffer need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ value: String) {
        var text = value
        text.withUTF8 { bindText($0) }
    }

    /// Text given as its UTF-8 bytes, e.g. JSON serialized already, without making a String of it.
    mutating func bind(utf8 bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { bindText($0) }
    }

    private mutating func bindText(_ bytes: UnsafeBufferPointer<UInt8>) {
        index += 1
        // An empty buffer may have no address, which SQLite would bind as NULL.
        let start = bytes.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(("" as StaticString).utf8Start)
        let code = sqlite3_bind_text(handle, index, start, CInt(bytes.count), Self.transient)
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(statement.sql) failed: \(code)")
    }

    mutating func bind(_ value: String?) {
        if let value { bind(value) } else { bindNull() }
    }

    mutating func bind(_ value: Int64) {
        index += 1
        let code = sqlite3_bind_int64(handle, index, value)
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(statement.sql) failed: \(code)")
    }

    mutating func bind(_ value: Int64?) {
        if let value { bind(value) } else { bindNull() }
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    private mutating func bindNull() {
        index += 1
        let code = sqlite3_bind_null(handle, index)
        precondition(code == SQLITE_OK, "binding parameter \(index) of \(statement.sql) failed: \(code)")
    }

    /// Runs the statement to its end; throws SQLite's error as GRDB would (`extendedResultCode`
    /// included).
    mutating func execute() throws {
        try run { code in code == SQLITE_ROW }
    }

    /// Whether the query finds a row (it is not read further).
    mutating func findsRow() throws -> Bool {
        var found = false
        try run { code in
            found = code == SQLITE_ROW
            return false
        }
        return found
    }

    /// Steps the statement while `continues` says so after a step that returned a row, then
    /// resets it, ready for the next use, whatever happened. Its values stay bound: the next use
    /// binds every parameter again, and clearing them cost an import a fortieth of its time.
    private mutating func run(while continues: (CInt) -> Bool) throws {
        precondition(Int(index) == Int(sqlite3_bind_parameter_count(handle)), "\(statement.sql): \(index) values bound")
        index = 0
        defer { sqlite3_reset(handle) }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW, continues(code) { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let connection = sqlite3_db_handle(handle)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: String(cString: sqlite3_errmsg(connection)), sql: statement.sql)
        }
    }
}
