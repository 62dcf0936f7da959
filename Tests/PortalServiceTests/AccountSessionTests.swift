import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// `session.get`, `auth.logout` and how sessions expire.
@Suite struct AccountSessionTests {
    let fixture: AccountFixture
    let setup: AccountCompanySetup

    init() throws {
        fixture = try AccountFixture()
        setup = try fixture.addCompany("Customer GmbH", views: [.customer])
    }

    func sessionGet(_ token: String?) throws -> AccountReply {
        try fixture.send("session.get", auth: token)
    }

    @Test func sessionGetDescribesTheSession() throws {
        let login = try fixture.login(setup.admin.email, setup.admin.password)
        let token = try #require(login.result["token"]?.stringValue)

        let reply = try sessionGet(token)

        #expect(reply.ok, "\(reply)")
        #expect(reply.result["user"] == login.result["user"])
        #expect(reply.result["company"] == login.result["company"])
        #expect(reply.result["expires_at"] == login.result["expires_at"])
        #expect(reply.result["token"] == nil, "the token is only handed out at login")
    }

    @Test func sessionGetOfStaffNamesTheRoles() throws {
        let staff = try fixture.addStaff([.activation])
        let reply = try sessionGet(try fixture.token(for: staff))
        #expect(reply.result["staff_roles"] == ["activation"])
        #expect(reply.result["company"] == nil)
    }

    @Test func withoutAuthIsUnauthenticated() throws {
        #expect(try sessionGet(nil).errorCode == "unauthenticated")
        #expect(try sessionGet("").errorCode == "unauthenticated")
        #expect(try fixture.send("auth.logout").errorCode == "unauthenticated")
    }

    @Test func aBogusTokenIsUnauthenticated() throws {
        _ = try fixture.token(for: setup.admin)
        #expect(try sessionGet(SecureToken.generate()).errorCode == "unauthenticated")
        #expect(try sessionGet("not a token").errorCode == "unauthenticated")
    }

    @Test func aTokenWithAWrongTypeIsABadRequest() throws {
        let reply = try fixture.send(line: #"{"id":1,"cmd":"session.get","auth":42}"#)
        #expect(reply.errorCode == "bad_request")
    }

    // MARK: Expiry

    @Test func aSessionUnusedForThirtyMinutesHasExpired() throws {
        let token = try fixture.token(for: setup.admin)
        fixture.advance(minutes: 30)
        let reply = try sessionGet(token)
        #expect(reply.errorCode == "unauthenticated")
        #expect(reply.errorMessage?.contains("log in again") == true)
    }

    @Test func aSessionIsValidUpToTheLastSecondOfItsIdleTime() throws {
        let token = try fixture.token(for: setup.admin)
        fixture.clock.advance(by: 30 * 60 - 1)
        #expect(try sessionGet(token).ok)
    }

    @Test func usingASessionMovesItsExpiry() throws {
        let token = try fixture.token(for: setup.admin)
        fixture.advance(minutes: 20)
        #expect(try sessionGet(token).result["expires_at"] == AccountFixture.timestamp(after: 50 * 60))
        fixture.advance(minutes: 20)
        #expect(try sessionGet(token).result["expires_at"] == AccountFixture.timestamp(after: 70 * 60))
    }

    @Test func lastUseIsWrittenAtMostOncePerMinute() throws {
        let token = try fixture.token(for: setup.admin)
        fixture.clock.advance(by: 59)
        #expect(try sessionGet(token).result["expires_at"] == AccountFixture.timestamp(after: 30 * 60))
        fixture.clock.advance(by: 1)
        #expect(try sessionGet(token).result["expires_at"] == AccountFixture.timestamp(after: 31 * 60))
    }

    @Test func useEveryTwentyMinutesKeepsASessionUntilTwelveHoursAfterLogin() throws {
        let token = try fixture.token(for: setup.admin)
        for use in 1..<36 {
            fixture.advance(minutes: 20)
            let reply = try sessionGet(token)
            try #require(reply.ok, "use \(use) after \(use * 20) min: \(reply)")
        }
        // 11 h 40 min after login: idle expiry would be 12 h 10 min, the absolute limit comes first.
        #expect(try sessionGet(token).result["expires_at"] == AccountFixture.timestamp(after: 12 * 3_600))
        fixture.advance(minutes: 19)
        #expect(try sessionGet(token).ok)
        fixture.advance(minutes: 1)
        #expect(try sessionGet(token).errorCode == "unauthenticated")
    }

    @Test func anExpiredSessionDoesNotComeBackByLoggingInAgain() throws {
        let old = try fixture.token(for: setup.admin)
        fixture.advance(minutes: 31)
        let new = try fixture.token(for: setup.admin)
        #expect(try sessionGet(new).ok)
        #expect(try sessionGet(old).errorCode == "unauthenticated")
    }

    // MARK: Logout

    @Test func logoutEndsTheSession() throws {
        let token = try fixture.token(for: setup.admin)

        let reply = try fixture.send("auth.logout", auth: token)

        #expect(reply.ok)
        #expect(reply.result == ["logged_out": true])
        #expect(try sessionGet(token).errorCode == "unauthenticated")
        #expect(try fixture.send("auth.logout", auth: token).errorCode == "unauthenticated")
    }

    @Test func logoutEndsOnlyThatSession() throws {
        let first = try fixture.token(for: setup.admin)
        let second = try fixture.token(for: setup.admin)
        #expect(try fixture.send("auth.logout", auth: first).ok)
        #expect(try sessionGet(second).ok)
    }

    /// Also at once when the session was in use just before, and so served from memory.
    @Test(arguments: [false, true]) func aSessionEndsWhenItsAccountIsNoLongerActive(usedJustBefore: Bool) throws {
        let token = try fixture.token(for: setup.admin)
        if usedJustBefore { #expect(try sessionGet(token).ok) }
        try fixture.store.write { writer in
            var user = setup.admin.user
            user.status = .rejected
            try writer.update(user)
        }
        #expect(try sessionGet(token).errorCode == "unauthenticated")
    }

    // MARK: Sessions served from memory

    @Test func aViewTakenFromTheCompanyIsRefusedAtOnce() throws {
        let token = try fixture.token(for: setup.admin)
        #expect(try fixture.send("license.list", auth: token, view: "customer").ok)
        try fixture.store.write { writer in
            var company = setup.company
            company.views = [.partner]
            try writer.update(company)
        }
        #expect(try fixture.send("license.list", auth: token, view: "customer").errorCode == "forbidden")
    }

    @Test func aLogoutOnAnotherNodeIsHonouredWithinTheCacheLifetime() throws {
        let token = try fixture.token(for: setup.admin)
        #expect(try sessionGet(token).ok)
        // Another node (here: another process's connection) ends the session; this one's
        // memory cannot know until its entry is due to be read again.
        let otherNode = try SQLiteStore(path: fixture.store.path)
        try otherNode.write { writer in try writer.deleteSession(tokenHash: SecureToken.hash(token)) }
        #expect(try sessionGet(token).ok)
        fixture.clock.advance(by: SessionPolicy().callerCacheLifetime)
        #expect(try sessionGet(token).errorCode == "unauthenticated")
    }

    @Test func withoutACacheLifetimeEveryRequestReadsItsSession() throws {
        var access = AccessPolicy()
        access.sessions.callerCacheLifetime = 0
        let fixture = try AccountFixture(access: access)
        let setup = try fixture.addCompany("Uncached Ltd", views: [.customer])
        let token = try fixture.token(for: setup.admin)
        #expect(try fixture.send("session.get", auth: token).ok)
        let otherNode = try SQLiteStore(path: fixture.store.path)
        try otherNode.write { writer in try writer.deleteSession(tokenHash: SecureToken.hash(token)) }
        #expect(try fixture.send("session.get", auth: token).errorCode == "unauthenticated")
        #expect(fixture.environment.callers.count == 0)
    }
}
