import GRDB
import GRDBSQLite

/// Queries whose rows are read straight from SQLite, by position.
extension Database {
    /// What `read` makes of the first row the query `sql` selects, its values read by position
    /// (`LiveColumns`), from the connection's statement cache.
    func first<T>(
        _ sql: String, _ arguments: [(any DatabaseValueConvertible)?], _ read: (LiveColumns) throws -> T
    ) throws -> T? {
        var found: T?
        try step(sql, arguments) { columns in
            found = try read(columns)
            return false
        }
        return found
    }

    /// What `read` makes of every row the query `sql` selects, as `first` reads them.
    func all<T>(
        _ sql: String, _ arguments: [(any DatabaseValueConvertible)?], _ read: (LiveColumns) throws -> T
    ) throws -> [T] {
        var rows: [T] = []
        try step(sql, arguments) { columns in
            rows.append(try read(columns))
            return true
        }
        return rows
    }

    /// Runs the query `sql` with `arguments` bound to its parameters, handing each row to `row`
    /// while it returns true, and resets the statement whatever happens. Bound and stepped
    /// directly, like `DirectStatement`: a query needs none of GRDB's per-statement bookkeeping,
    /// which is for writes and transaction boundaries, nor its `StatementArguments`, which
    /// convert, copy and check every value again (a sixteenth of a `license.get`).
    private func step(
        _ sql: String, _ arguments: [(any DatabaseValueConvertible)?], _ row: (LiveColumns) throws -> Bool
    ) throws {
        let statement = try cachedStatement(sql: sql)
        // A query run by `row` may empty the statement cache, which alone holds the statement.
        try withExtendedLifetime(statement) {
            let handle = statement.sqliteStatement
            // GRDB leaves a statement it ran at its end, where SQLite takes no values.
            sqlite3_reset(handle)
            defer { sqlite3_reset(handle) }
            try Self.bind(arguments, to: handle, sql: sql)
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw DatabaseError.lastError(of: handle, sql: sql) }
                guard try row(LiveColumns(handle: handle)) else { return }
            }
        }
    }

    /// Binds `arguments` to the parameters of `handle`, the statement of `sql`, in order. SQLite
    /// copies text values (`SQLITE_TRANSIENT`), as GRDB has it do.
    private static func bind(
        _ arguments: [(any DatabaseValueConvertible)?], to handle: SQLiteStatement, sql: String
    ) throws {
        guard arguments.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE, message: "\(arguments.count) values for the parameters", sql: sql)
        }
        for (index, argument) in zip(CInt(1)..., arguments) {
            let code = argument?.bind(to: handle, at: index) ?? sqlite3_bind_null(handle, index)
            guard code == SQLITE_OK else { throw DatabaseError.lastError(of: handle, sql: sql) }
        }
    }
}
