import Foundation
import PortalCore
import PortalStore
import Testing

@Suite struct SessionStoreTests {
    let fixture: StoreFixture
    let user: User

    init() throws {
        fixture = try StoreFixture()
        let company = try fixture.insert(fixture.company())
        user = try fixture.insert(fixture.user(email: "jane@printing.example", companyID: company.id))
    }

    func stored(_ session: Session) throws -> Session? {
        try fixture.store.read { reader in try reader.session(tokenHash: session.tokenHash) }
    }

    @Test func aSessionReadsBackByTokenHash() throws {
        let session = fixture.session(userID: user.id)
        try fixture.store.write { writer in try writer.insert(session) }
        #expect(try stored(session) == session)
        #expect(try fixture.store.read { reader in try reader.session(tokenHash: SecureToken.hash("unknown")) } == nil)
    }

    @Test func updateMovesLastUseAndAbsoluteExpiry() throws {
        var session = fixture.session(userID: user.id)
        try fixture.store.write { writer in try writer.insert(session) }
        session.lastUsedAt = StoreFixture.start.addingTimeInterval(600)
        session.absoluteExpiry = StoreFixture.start.addingTimeInterval(3_600)
        try fixture.store.write { writer in try writer.update(session) }
        #expect(try stored(session) == session)
    }

    @Test func deleteEndsOneSession() throws {
        let first = fixture.session(userID: user.id)
        let second = fixture.session(userID: user.id)
        try fixture.store.write { writer in
            try writer.insert(first)
            try writer.insert(second)
        }
        try fixture.store.write { writer in try writer.deleteSession(tokenHash: first.tokenHash) }
        #expect(try stored(first) == nil)
        #expect(try stored(second) == second)
    }

    @Test func deleteSessionsOfAUserEndsOnlyThatUsersSessions() throws {
        let colleague = try fixture.insert(fixture.user(email: "bob@printing.example", companyID: user.companyID))
        let janes = [fixture.session(userID: user.id), fixture.session(userID: user.id)]
        let bobs = fixture.session(userID: colleague.id)
        try fixture.store.write { writer in
            for session in janes + [bobs] { try writer.insert(session) }
        }

        try fixture.store.write { writer in try writer.deleteSessions(userID: user.id) }

        for session in janes { #expect(try stored(session) == nil) }
        #expect(try stored(bobs) == bobs)
    }

    @Test func timesAreKeptInWholeSeconds() throws {
        var session = fixture.session(userID: user.id)
        session.lastUsedAt = StoreFixture.start.addingTimeInterval(0.75)
        try fixture.store.write { writer in try writer.insert(session) }
        #expect(try stored(session)?.lastUsedAt == StoreFixture.start)
    }
}
