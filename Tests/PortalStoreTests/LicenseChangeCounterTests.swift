import Foundation
import GRDB
import PortalCore
@testable import PortalStore
import Testing

/// The counter of changes to what licenses show: moved by every writer, in the transaction of
/// the change, and left alone by writes no license shows.
@Suite struct LicenseChangeCounterTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
        try fixture.store.write { writer in try LicenseRows.insert(count: 2, into: writer) }
    }

    /// The counter in the file; what the process knows of it is `LicenseChangeNumberTests`'.
    var counter: UInt64 {
        get throws { try fixture.store.pool.read(LicenseChangeNumber.read) }
    }

    /// Whether running `sql` moved the counter.
    func moves(_ sql: String, _ arguments: StatementArguments = []) throws -> Bool {
        let before = try counter
        try fixture.store.pool.write { db in try db.execute(sql: sql, arguments: arguments) }
        return try counter > before
    }

    @Test func everyCountedChangeHasItsTrigger() throws {
        let triggers = try fixture.store.pool.read { db in
            try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        }
        for source in StoreMigrations.licenseChangeSources {
            for change in source.changes {
                #expect(triggers.contains("\(source.table)_\(change.lowercased())_counted"))
            }
        }
    }

    @Test func changesToWhatALicenseShowsMoveIt() throws {
        #expect(try moves("UPDATE licenses SET quantity = 3 WHERE id = 'li_1'"))
        #expect(try moves(
            "INSERT INTO license_history (license_id, seq, type, at, data) VALUES ('li_1', 900, 'license.activated', 0, '{}')"))
        #expect(try moves("UPDATE companies SET name = 'Owner AG' WHERE id = ?", [LicenseRows.owner]))
        #expect(try moves("UPDATE products SET name = 'Engine 2' WHERE id = ?", [LicenseRows.product]))
        #expect(try moves("UPDATE product_lines SET name = 'Engines' WHERE id = 'pl_engine'"))
        #expect(try moves("DELETE FROM license_history WHERE seq = 900"))
        // A delegation granted shows the integrator more licenses (none it had read); one taken
        // back hides some.
        #expect(try !moves("INSERT INTO integrator_delegations (integrator_id, customer_id) VALUES (?, ?)", [LicenseRows.reseller, LicenseRows.owner]))
        #expect(try moves("DELETE FROM integrator_delegations WHERE customer_id = ?", [LicenseRows.owner]))
    }

    @Test func newLicensesAndWritesNoLicenseShowsLeaveItAlone() throws {
        let before = try counter
        try fixture.store.write { writer in
            try writer.insert(LicenseRows.license(3))
            let user = fixture.user(email: "ann@printing.example", companyID: LicenseRows.owner)
            try writer.insert(user)
            try writer.insert(fixture.session(userID: user.id))
        }
        #expect(try !moves(
            "INSERT INTO license_history (license_id, seq, type, at, data) VALUES ('li_3', 901, 'license.created', 0, '{}')"))
        #expect(try counter == before)
    }

    @Test func aChangeMovesItOnlyWhenCommitted() throws {
        let before = try counter
        #expect(throws: StoreError.self) {
            try fixture.store.write { writer in
                try writer.update(fixture.company(LicenseRows.owner, name: "Renamed"))
                throw StoreError("rolled back")
            }
        }
        #expect(try counter == before)
    }

    @Test func anotherProcessOnTheFileMovesIt() throws {
        // Another store on the same file stands for another process: its triggers are the file's.
        let before = try counter
        let other = try SQLiteStore(path: fixture.path)
        try other.write { writer in try writer.update(fixture.company(LicenseRows.owner, name: "Owner by another")) }
        #expect(try counter > before)
    }
}
