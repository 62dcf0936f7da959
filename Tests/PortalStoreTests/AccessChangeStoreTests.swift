import Foundation
import PortalCore
import PortalStore
import Testing

/// The store counts committed changes to sessions, users and companies (`AccessChangeCounter`),
/// which callers kept in memory are checked against.
@Suite struct AccessChangeStoreTests {
    let fixture: StoreFixture
    let company: Company
    let user: User
    let session: Session

    init() throws {
        fixture = try StoreFixture()
        company = try fixture.insert(fixture.company())
        user = try fixture.insert(fixture.user(email: "jane@printing.example", companyID: company.id))
        session = fixture.session(userID: user.id)
        try fixture.store.write { writer in try writer.insert(session) }
    }

    var count: UInt64 { fixture.store.accessChanges?.count ?? 0 }

    /// Runs `change` in a write, checking that it is counted once, and only after its commit.
    func expectCounted(_ change: (any StoreWriter) throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = count
        try fixture.store.write { writer in
            try change(writer)
            #expect(count == before, "not counted before the commit", sourceLocation: sourceLocation)
        }
        #expect(count == before + 1, sourceLocation: sourceLocation)
    }

    @Test func changesThatEndOrNarrowWhatASessionMayDoAreCounted() throws {
        try expectCounted { writer in try writer.deleteSession(tokenHash: session.tokenHash) }
        try expectCounted { writer in try writer.deleteSessions(userID: user.id) }
        var removed = user
        removed.status = .removed
        try expectCounted { writer in try writer.update(removed) }
        var narrowed = company
        narrowed.views = [.partner]
        try expectCounted { writer in try writer.update(narrowed) }
    }

    @Test func loginsTouchesAndNewAccountsAreNotCounted() throws {
        let before = count
        var touched = session
        touched.lastUsedAt = StoreFixture.start.addingTimeInterval(120)
        try fixture.store.write { writer in
            try writer.insert(fixture.session(userID: user.id))
            try writer.update(touched)
            try writer.insert(fixture.company())
        }
        _ = try fixture.insert(fixture.user(email: "bob@printing.example", companyID: company.id))
        #expect(count == before)
    }

    @Test func anotherStoreOnTheSameFileCountsOnlyItsOwnChanges() throws {
        let other = try SQLiteStore(path: fixture.store.path)
        try other.write { writer in try writer.deleteSession(tokenHash: session.tokenHash) }
        #expect(other.accessChanges?.count == 1)
        #expect(count == 0)
    }
}
