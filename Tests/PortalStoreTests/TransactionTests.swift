import PortalCore
import PortalProtocol
import PortalStore
import Testing

@Suite struct TransactionTests {
    struct Abort: Error {}

    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    @Test func aThrowingWriteLeavesNothingBehind() throws {
        let company = fixture.company()
        let user = fixture.user(email: "jane@printing.example", companyID: company.id)
        #expect(throws: Abort.self) {
            try fixture.store.write { writer in
                try writer.insert(company)
                try writer.insert(user)
                try writer.insert(fixture.session(userID: user.id))
                try writer.save(LoginThrottle(email: "jane@printing.example", failures: 1, blockedUntil: nil))
                #expect(try writer.company(id: company.id) == company, "visible inside its own transaction")
                throw Abort()
            }
        }
        let (storedCompany, storedUser, throttle) = try fixture.store.read { reader in
            (try reader.company(id: company.id), try reader.user(id: user.id),
             try reader.loginThrottle(email: "jane@printing.example"))
        }
        #expect(storedCompany == nil)
        #expect(storedUser == nil)
        #expect(throttle == nil)
    }

    @Test func aThrowingWriteUndoesUpdatesToo() throws {
        let company = try fixture.insert(fixture.company(views: [.customer]))
        #expect(throws: Abort.self) {
            try fixture.store.write { writer in
                var renamed = company
                renamed.name = "Never"
                renamed.views = [.partner]
                try writer.update(renamed)
                throw Abort()
            }
        }
        #expect(try fixture.store.read { reader in try reader.company(id: company.id) } == company)
    }

    @Test func aConflictInsideAWriteRollsBackItsEarlierChanges() throws {
        let existing = try fixture.insert(fixture.company())
        let fresh = fixture.company()
        #expect(throws: PortalError.self) {
            try fixture.store.write { writer in
                try writer.insert(fresh)
                try writer.insert(existing)
            }
        }
        #expect(try fixture.store.read { reader in try reader.company(id: fresh.id) } == nil)
    }

    @Test func aWriteReturnsItsValue() throws {
        let company = fixture.company()
        let id = try fixture.store.write { writer in
            try writer.insert(company)
            return company.id
        }
        #expect(id == company.id)
    }

    @Test func aReadSeesOneSnapshotThroughout() throws {
        let company = try fixture.insert(fixture.company())
        try fixture.store.read { reader in
            #expect(try reader.company(id: company.id) != nil)
            let later = fixture.company()
            try fixture.store.write { writer in try writer.insert(later) }
            #expect(try reader.company(id: later.id) == nil, "a commit after the read began is not in its snapshot")
        }
    }

    @Test func aThrowingReadLetsGoOfItsSnapshot() throws {
        let first = try fixture.insert(fixture.company())
        #expect(throws: Abort.self) {
            try fixture.store.read { reader in
                _ = try reader.company(id: first.id)
                throw Abort()
            }
        }
        let later = try fixture.insert(fixture.company())
        // A failed read's snapshot must not linger in the reader connection it gave back.
        #expect(try fixture.store.read { reader in try reader.company(id: later.id) } == later)
    }
}
