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
    /// The text values bound so far, one after the other, and which parameter each is: SQLite
    /// is given them only while the statement runs, without copying them (bound as copies, its
    /// allocations took a tenth of an import's writing thread).
    private var texts: [UInt8] = []
    private var textParameters: [(index: CInt, start: Int, count: Int)] = []

    /// `sql` must be one of a fixed few texts: the statement comes from the connection's cache
    /// without bounding it (which walks the connection's statements), as these do not grow it.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        // Room for a license's or an event's texts: grown as a row is bound, the buffers cost
        // more than the binding.
        texts.reserveCapacity(1_024)
        textParameters.reserveCapacity(32)
    }

    mutating func bind(_ value: String) {
        bind { $0.append(contentsOf: value.utf8) }
    }

    /// Text given as its UTF-8 bytes, e.g. JSON serialized already, without making a String of it.
    mutating func bind(utf8 bytes: [UInt8]) {
        bind { $0.append(contentsOf: bytes) }
    }

    /// Text that `write` appends as UTF-8 bytes, straight where it is kept until the statement runs.
    mutating func bind(writing write: (inout [UInt8]) -> Void) {
        index += 1
        let start = texts.count
        write(&texts)
        textParameters.append((index, start, texts.count - start))
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

    /// Binds the texts, steps the statement while `continues` says so after a step that returned
    /// a row, then resets it and clears its values, ready for the next use, whatever happened:
    /// SQLite must not keep pointers into `texts` past this call.
    private mutating func run(while continues: (CInt) -> Bool) throws {
        precondition(Int(index) == Int(sqlite3_bind_parameter_count(handle)), "\(statement.sql): \(index) values bound")
        index = 0
        defer {
            texts.removeAll(keepingCapacity: true)
            textParameters.removeAll(keepingCapacity: true)
        }
        try texts.withUnsafeBufferPointer { buffer in
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            // An empty buffer may have no address, and a text without one is bound as NULL.
            let base = buffer.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            for text in textParameters {
                // No destructor (SQLITE_STATIC): SQLite reads the text in place.
                let code = sqlite3_bind_text(handle, text.index, base + text.start, CInt(text.count), nil)
                precondition(code == SQLITE_OK, "binding parameter \(text.index) of \(statement.sql) failed: \(code)")
            }
            var code = sqlite3_step(handle)
            while code == SQLITE_ROW, continues(code) { code = sqlite3_step(handle) }
            guard code == SQLITE_DONE || code == SQLITE_ROW else {
                throw DatabaseError.lastError(of: handle, sql: statement.sql)
            }
        }
    }
}
