import Foundation
import GRDB
import PortalCore
import PortalProtocol
@testable import PortalStore
import Testing

/// What imports write through: inserts that leave existing rows alone, and transactions without
/// the database's reference checks.
@Suite struct ImportWriteTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
        try fixture.store.write { writer in try LicenseRows.insertReferences(into: writer) }
    }

    @Test func aLicenseIsInsertedOnceByItsOrderLine() throws {
        let (first, again) = try fixture.store.write { writer in
            (try writer.insertIfMissing(LicenseRows.license(1)), try writer.insertIfMissing(LicenseRows.license(1)))
        }
        #expect(first && !again)
        #expect(try fixture.store.read { try $0.licenseExists(orderReference: "SO-1", position: 1) })
        #expect(try !fixture.store.read { try $0.licenseExists(orderReference: "SO-1", position: 2) })
    }

    @Test func aKeyOfAnotherOrderLineIsAConflictNotAnExistingRow() throws {
        let taken = LicenseRows.license(1)
        try fixture.store.write { writer in try writer.insert(taken) }
        let error = #expect(throws: PortalError.self) {
            try fixture.store.write { writer in try writer.insertIfMissing(LicenseRows.license(2, key: taken.key)) }
        }
        #expect(error?.code == .conflict)
        #expect(try fixture.store.read { try $0.licenseCount() } == 1)
    }

    @Test func aCompanyIsInsertedOnceWithItsViewsAndDelegations() throws {
        let integrator = Company(id: "co_si", name: "Integrator", views: [.systemIntegrator], createdAt: StoreFixture.start)
        let customer = Company(
            id: "co_c", name: "Customer", views: [.customer, .reseller], createdAt: StoreFixture.start, integrators: ["co_si"])
        let inserted = try fixture.store.write { writer in
            [try writer.insertIfMissing(integrator), try writer.insertIfMissing(customer), try writer.insertIfMissing(customer)]
        }
        #expect(inserted == [true, true, false])
        #expect(try fixture.store.read { try $0.company(id: "co_c") } == customer)
    }

    @Test func writesWithoutReferenceChecksAcceptAnyNameAndChecksResumeAfterThem() throws {
        let orphan = LicenseRows.license(1, owner: "co_missing")
        try fixture.store.writeWithoutReferenceChecks { writer in try writer.insert(orphan) }
        #expect(try fixture.store.read { try $0.licenseCount() } == 1)

        let checked = #expect(throws: DatabaseError.self) {
            try fixture.store.write { writer in try writer.insert(LicenseRows.license(2, owner: "co_missing")) }
        }
        #expect(checked?.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY)
    }

    @Test func checksResumeAfterAWriteWithoutThemFailed() throws {
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try fixture.store.writeWithoutReferenceChecks { writer in
                try writer.insert(LicenseRows.license(1, owner: "co_missing"))
                throw Interrupted()
            }
        }
        #expect(try fixture.store.read { try $0.licenseCount() } == 0, "rolled back")
        #expect(throws: DatabaseError.self) {
            try fixture.store.write { writer in try writer.insert(LicenseRows.license(2, product: "pr_missing")) }
        }
    }
}

extension ImportWriteTests {
    @Test func backgroundCheckpointsCopyCommittedPagesIntoTheDatabaseFile() throws {
        let size = { (try FileManager.default.attributesOfItem(atPath: fixture.path)[.size] as? Int) ?? 0 }
        let before = try size()
        let grew = try fixture.store.checkpointingInBackground {
            try fixture.store.write { writer in try LicenseRows.insert(count: 500, into: writer) }
            let deadline = ContinuousClock.now + .seconds(10)
            while try size() <= before, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
            return try size() > before
        }
        #expect(grew, "the store's own checkpoints wait for 1,000 WAL pages, more than these writes")
        #expect(try fixture.store.read { try $0.licenseCount() } == 500)
    }
}
