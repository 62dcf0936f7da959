import GRDB
import GRDBSQLite

/// The row a statement has just stepped to, its values read by position straight from SQLite.
///
/// GRDB's `Row` builds an index of the column names for every cursor and decodes each value
/// through generic conversions; for the one-row lookups of a `license.get` that cost more than
/// the lookups themselves. Valid only during the call it is handed to.
struct LiveColumns {
    let handle: SQLiteStatement

    /// The value of a column that is never NULL. (Disfavoured, so that a value wanted as an
    /// optional comes from the subscript below, which reads NULL as nil.)
    @_disfavoredOverload
    subscript<Value: StatementColumnConvertible>(_ column: Int) -> Value {
        guard let value = Value(sqliteStatement: handle, index: CInt(column)) else {
            preconditionFailure("column \(column) of \(String(cString: sqlite3_sql(handle))) does not hold a \(Value.self)")
        }
        return value
    }

    /// The value of a column that may be NULL.
    subscript<Value: StatementColumnConvertible>(_ column: Int) -> Value? {
        sqlite3_column_type(handle, CInt(column)) == SQLITE_NULL ? nil : self[column] as Value
    }
}
