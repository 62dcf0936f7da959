import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `auth.login`: what a login returns, what a failed one reveals, throttling, inactive accounts.
@Suite struct AccountAuthTests {
    let fixture: AccountFixture

    init() throws {
        fixture = try AccountFixture()
    }

    // MARK: Successful logins

    @Test func aCompanyUserGetsTokenExpiryUserAndCompany() throws {
        let setup = try fixture.addCompany("Reseller AG", views: [.reseller, .serviceProvider])

        let reply = try fixture.login(setup.admin.email, setup.admin.password)

        #expect(reply.ok, "\(reply)")
        let token = try #require(reply.result["token"]?.stringValue)
        #expect(token.count == 43)
        #expect(reply.result["expires_at"] == AccountFixture.timestamp(after: 30 * 60))
        #expect(reply.result["user"] == [
            "id": .string(setup.admin.id), "email": .string(setup.admin.email), "name": .string(setup.admin.user.name),
            "role": "admin", "status": "active", "created_at": AccountFixture.timestamp(after: 0),
        ])
        #expect(reply.result["company"] == [
            "id": .string(setup.company.id), "name": "Reseller AG", "views": ["service_provider", "reseller"],
            "created_at": AccountFixture.timestamp(after: 0), "integrators": [], "contract": nil,
        ])
        #expect(reply.result["staff_roles"] == nil)
    }

    @Test func staffGetStaffRolesInsteadOfACompany() throws {
        let staff = try fixture.addStaff([.support, .order])

        let reply = try fixture.login(staff.email, staff.password)

        #expect(reply.ok, "\(reply)")
        #expect(reply.result["token"]?.stringValue?.count == 43)
        #expect(reply.result["staff_roles"] == ["order", "support"])
        #expect(reply.result["user"]?["role"] == "staff")
        #expect(reply.result["user"]?["staff_roles"] == ["order", "support"])
        #expect(reply.result["company"] == nil)
    }

    @Test func theEmailAddressIsCaseInsensitive() throws {
        let staff = try fixture.addStaff([.order])
        #expect(try fixture.login(staff.email.uppercased(), staff.password).ok)
    }

    @Test func everyLoginGetsItsOwnToken() throws {
        let staff = try fixture.addStaff([.order])
        #expect(try fixture.token(for: staff) != fixture.token(for: staff))
    }

    @Test func onlyTheTokensHashIsStored() throws {
        let staff = try fixture.addStaff([.order])
        let token = try fixture.token(for: staff)
        let session = try fixture.store.read { reader in try reader.session(tokenHash: SecureToken.hash(token)) }
        #expect(session?.userID == staff.id)
        #expect(try fixture.store.read { reader in try reader.session(tokenHash: token) } == nil)
    }

    @Test(arguments: [
        ["password": "whatever password"], ["email": "jane@printing.example"], ["email": 42, "password": "x"],
        ["email": "", "password": "whatever password"],
    ] as [[String: JSONValue]])
    func missingOrMalformedArgumentsAreBadRequests(args: [String: JSONValue]) throws {
        #expect(try fixture.send("auth.login", args: args).errorCode == "bad_request")
    }

    // MARK: Failed logins

    @Test func wrongPasswordAndUnknownAddressGetTheSameReply() throws {
        let setup = try fixture.addCompany()

        let wrongPassword = try fixture.login(setup.admin.email, "not the password at all")
        let unknownAddress = try fixture.login("nobody@printing.example", setup.admin.password)

        #expect(wrongPassword.errorCode == "unauthenticated")
        #expect(wrongPassword.line == unknownAddress.line)
    }

    @Test func afterFiveFailuresEvenTheRightPasswordIsRateLimited() throws {
        let setup = try fixture.addCompany()
        try failLogins(5, email: setup.admin.email)

        let refused = try fixture.login(setup.admin.email, setup.admin.password)

        #expect(refused.errorCode == "rate_limited")
        #expect(refused.errorDetails?["retry_after_s"] == 1)
    }

    @Test func afterThePauseTheRightPasswordWorksAndResetsTheCount() throws {
        let setup = try fixture.addCompany()
        try failLogins(5, email: setup.admin.email)
        fixture.clock.advance(by: 1)

        #expect(try fixture.login(setup.admin.email, setup.admin.password).ok)

        #expect(try throttle(setup.admin.email) == nil)
        try failLogins(4, email: setup.admin.email)
        #expect(try fixture.login(setup.admin.email, setup.admin.password).ok, "four fresh failures are free again")
    }

    @Test func thePauseDoublesWithEveryFailureUpToFifteenMinutes() throws {
        let setup = try fixture.addCompany()
        try failLogins(4, email: setup.admin.email)
        var pauses: [Int64] = []
        for _ in 5...17 {
            try failLogins(1, email: setup.admin.email)
            let refused = try fixture.login(setup.admin.email, setup.admin.password)
            let pause = try #require(refused.errorDetails?["retry_after_s"]?.intValue, "\(refused)")
            pauses.append(pause)
            fixture.clock.advance(by: TimeInterval(pause))
        }
        #expect(pauses == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900])
    }

    @Test func retryAfterCountsDown() throws {
        let setup = try fixture.addCompany()
        try failLogins(5, email: setup.admin.email)
        fixture.clock.advance(by: 1)
        try failLogins(1, email: setup.admin.email)
        fixture.clock.advance(by: 2)
        try failLogins(1, email: setup.admin.email)
        // Seven failures: a pause of 4 s from now.

        #expect(try fixture.login(setup.admin.email, setup.admin.password).errorDetails?["retry_after_s"] == 4)
        fixture.clock.advance(by: 3)
        #expect(try fixture.login(setup.admin.email, setup.admin.password).errorDetails?["retry_after_s"] == 1)
        fixture.clock.advance(by: 1)
        #expect(try fixture.login(setup.admin.email, setup.admin.password).ok)
    }

    @Test
    func aPauseLastsItsFullLengthWhenTheClockIsBetweenSeconds() throws {
        let fixture = try AccountFixture(start: AccountFixture.start.addingTimeInterval(0.9))
        let staff = try fixture.addStaff([.order])
        for _ in 1...5 { _ = try fixture.login(staff.email, "not the password at all") }
        fixture.clock.advance(by: 0.2)
        // 0.2 s into a pause of 1 s.
        #expect(try fixture.login(staff.email, staff.password).errorCode == "rate_limited")
    }

    @Test func unknownAddressesAreThrottledTheSameWay() throws {
        let setup = try fixture.addCompany()
        try failLogins(5, email: "nobody@printing.example")
        try failLogins(5, email: setup.admin.email)

        let unknown = try fixture.login("nobody@printing.example", "whatever password")
        let known = try fixture.login(setup.admin.email, "whatever password")

        #expect(unknown.errorCode == "rate_limited")
        #expect(unknown.errorDetails?["retry_after_s"] == 1)
        #expect(unknown.line == known.line)
        #expect(try throttle("nobody@printing.example")?.failures == 5, "refused attempts are not counted")
    }

    @Test func throttlingIsPerAddressWhateverTheCase() throws {
        let setup = try fixture.addCompany()
        let colleague = try fixture.addUser(to: setup.company)
        try failLogins(3, email: setup.admin.email)
        try failLogins(2, email: setup.admin.email.uppercased())

        #expect(try fixture.login(setup.admin.email, setup.admin.password).errorCode == "rate_limited")
        #expect(try fixture.login(colleague.email, colleague.password).ok, "another address is not affected")
    }

    // MARK: Inactive accounts

    @Test(arguments: [User.Status.pendingConfirmation, .pendingApproval, .rejected, .removed])
    func anInactiveAccountIsForbiddenOnceThePasswordIsRight(status: User.Status) throws {
        let setup = try fixture.addCompany()
        let person = try fixture.addUser(to: setup.company, status: status)

        let right = try fixture.login(person.email, person.password)
        let wrong = try fixture.login(person.email, "not the password at all")

        #expect(right.errorCode == "forbidden", "\(right)")
        #expect(right.result == .null)
        #expect(wrong.errorCode == "unauthenticated")
        #expect(try fixture.store.read { reader in try reader.users(companyID: setup.company.id) }.count == 2)
    }

    // MARK: Helpers

    /// `count` logins with a wrong password for `email`, each answered `unauthenticated`.
    func failLogins(_ count: Int, email: String) throws {
        for attempt in 1...count {
            let reply = try fixture.login(email, "wrong password \(attempt)")
            #expect(reply.errorCode == "unauthenticated", "attempt \(attempt) for \(email): \(reply)")
        }
    }

    func throttle(_ email: String) throws -> LoginThrottle? {
        try fixture.store.read { reader in try reader.loginThrottle(email: email) }
    }
}
