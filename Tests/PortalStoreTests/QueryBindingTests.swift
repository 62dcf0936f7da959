import GRDB
@testable import PortalStore
import Testing

@Suite struct QueryBindingTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    private func reading<T>(_ body: (SQLiteTransaction) throws -> T) throws -> T {
        try fixture.store.pool.read { db in try body(SQLiteTransaction(db: db, accessChanges: AccessChangeCounter())) }
    }

    @Test func valuesOfEachKindAreBoundInOrder() throws {
        let row = try reading { transaction in
            try transaction.first("SELECT ?, ?, ?, ? IS NULL", ["text", 42, Int64.max, nil]) { row in
                (row[0] as String, row[1] as Int, row[2] as Int64, row[3] as Bool)
            }
        }
        #expect(row?.0 == "text")
        #expect(row?.1 == 42)
        #expect(row?.2 == Int64.max)
        #expect(row?.3 == true)
    }

    @Test func aWrongNumberOfValuesThrows() throws {
        #expect(throws: DatabaseError.self) {
            try reading { transaction in try transaction.first("SELECT ?, ?", ["one"]) { _ in () } }
        }
    }

    @Test func aStatementGRDBLeftHalfReadTakesNewValues() throws {
        let sql = "SELECT ? UNION ALL SELECT 2"
        let (first, again) = try reading { transaction in
            let first = try Int.fetchCursor(transaction.statement(sql), arguments: [1]).next()
            return (first, try transaction.all(sql, [3]) { row in row[0] as Int })
        }
        #expect(first == 1)
        #expect(again == [3, 2])
    }
}
