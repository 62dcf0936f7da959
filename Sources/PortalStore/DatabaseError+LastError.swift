import GRDB
import GRDBSQLite

extension DatabaseError {
    /// The error SQLite reports for the statement's last step, as GRDB would throw it
    /// (`extendedResultCode` included).
    static func lastError(of handle: SQLiteStatement, sql: String) -> DatabaseError {
        let connection = sqlite3_db_handle(handle)
        return DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
            message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}
