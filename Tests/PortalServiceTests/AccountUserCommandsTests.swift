import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `user.*`: a company admin manages the own company's users; the order team creates first users.
@Suite struct AccountUserCommandsTests {
    let fixture: AccountFixture
    let setup: AccountCompanySetup
    let adminToken: String

    init() throws {
        fixture = try AccountFixture()
        setup = try fixture.addCompany("Customer GmbH", views: [.customer])
        adminToken = try fixture.token(for: setup.admin)
    }

    func add(
        _ email: String, password: String = AccountPerson.defaultPassword, role: String? = nil, auth: String? = nil
    ) throws -> AccountReply {
        var args: [String: JSONValue] = ["email": .string(email), "name": "New Colleague", "password": .string(password)]
        if let role { args["role"] = .string(role) }
        return try fixture.send("user.add", auth: auth ?? adminToken, args: args)
    }

    func listedEmails(auth: String? = nil) throws -> [String] {
        let reply = try fixture.send("user.list", auth: auth ?? adminToken)
        return try #require(reply.result["items"]?.arrayValue, "\(reply)").compactMap { $0["email"]?.stringValue }
    }

    func remove(_ id: String, auth: String? = nil) throws -> AccountReply {
        try fixture.send("user.remove", auth: auth ?? adminToken, args: ["user": .string(id)])
    }

    // MARK: user.add

    @Test func anAdminAddsAnActiveMemberWhoCanLogIn() throws {
        let reply = try add("New.Colleague@Customer.example")

        #expect(reply.ok, "\(reply)")
        let id = try #require(reply.result["id"]?.stringValue)
        #expect(id.hasPrefix("us_"))
        #expect(reply.result == [
            "id": .string(id), "email": "new.colleague@customer.example", "name": "New Colleague", "role": "member",
            "status": "active", "created_at": AccountFixture.timestamp(after: 0),
        ])
        #expect(try fixture.storedUser(id)?.companyID == setup.company.id)

        let login = try fixture.login("new.colleague@customer.example", AccountPerson.defaultPassword)
        #expect(login.result["company"]?["id"] == .string(setup.company.id))
        #expect(login.result["user"]?["role"] == "member")
    }

    @Test func anAdminMayAddAnotherAdmin() throws {
        let reply = try add("second.admin@customer.example", role: "admin")
        #expect(reply.result["role"] == "admin")
        let id = try #require(reply.result["id"]?.stringValue)
        let token = try fixture.token(for: AccountPerson(user: try #require(try fixture.storedUser(id))))
        #expect(try add("third@customer.example", auth: token).ok)
    }

    @Test func theStoredPasswordIsAHash() throws {
        let reply = try add("hashed@customer.example")
        let id = try #require(reply.result["id"]?.stringValue)
        let user = try #require(try fixture.storedUser(id))
        #expect(user.passwordHash.hasPrefix("$argon2id$"))
        #expect(!user.passwordHash.contains(AccountPerson.defaultPassword))
    }

    @Test func aMemberIsForbidden() throws {
        let member = try fixture.addUser(to: setup.company)
        let token = try fixture.token(for: member)
        #expect(try add("sneaky@customer.example", auth: token).errorCode == "forbidden")
        #expect(try fixture.send("user.list", auth: token).errorCode == "forbidden")
        #expect(try remove(setup.admin.id, auth: token).errorCode == "forbidden")
    }

    @Test(arguments: [StaffRole.admin, .order, .support])
    func staffAreForbidden(role: StaffRole) throws {
        let token = try fixture.token(for: try fixture.addStaff([role]))
        #expect(try add("staff.made@customer.example", auth: token).errorCode == "forbidden")
        #expect(try fixture.send("user.list", auth: token).errorCode == "forbidden")
        #expect(try remove(setup.admin.id, auth: token).errorCode == "forbidden")
    }

    @Test func withoutASessionItIsUnauthenticated() throws {
        let reply = try fixture.send("user.add", args: ["email": "x@customer.example", "name": "X", "password": "long enough pw"])
        #expect(reply.errorCode == "unauthenticated")
    }

    @Test func aShortPasswordIsABadRequest() throws {
        #expect(try add("short@customer.example", password: "123456789").errorCode == "bad_request")
        #expect(try add("long.enough@customer.example", password: "1234567890").ok)
    }

    @Test(arguments: ["not-an-address", "jane@", "@customer.example", "jane@customer", "jane doe@customer.example"])
    func aBadEmailIsABadRequest(email: String) throws {
        #expect(try add(email).errorCode == "bad_request")
    }

    @Test func anUnknownRoleIsABadRequest() throws {
        #expect(try add("boss@customer.example", role: "owner").errorCode == "bad_request")
        #expect(try add("boss@customer.example", role: "staff").errorCode == "bad_request")
    }

    @Test func aTakenEmailIsAConflictInAnyCaseAndAcrossCompanies() throws {
        let other = try fixture.addCompany("Other Ltd")
        let staff = try fixture.addStaff([.order])
        #expect(try add("twice@customer.example").ok)

        #expect(try add("Twice@Customer.EXAMPLE").errorCode == "conflict")
        #expect(try add(setup.admin.email).errorCode == "conflict")
        #expect(try add(other.admin.email).errorCode == "conflict")
        #expect(try add(staff.email).errorCode == "conflict")
    }

    // MARK: user.list

    @Test func listShowsOnlyTheOwnCompanysUsersByEmail() throws {
        let other = try fixture.addCompany("Other Ltd")
        _ = try fixture.addUser(to: other.company, email: "aaa@other.example")
        _ = try fixture.addStaff([.admin], email: "aaa@vendor.example")
        for email in ["zed@customer.example", "amy@customer.example"] { #expect(try add(email).ok) }

        #expect(try listedEmails() == ["amy@customer.example", setup.admin.email, "zed@customer.example"].sorted())
        #expect(try listedEmails(auth: try fixture.token(for: other.admin)) == ["aaa@other.example", other.admin.email].sorted())
    }

    @Test func listShowsEachUsersRoleAndStatus() throws {
        let reply = try fixture.send("user.list", auth: adminToken)
        #expect(reply.result["items"] == [[
            "id": .string(setup.admin.id), "email": .string(setup.admin.email), "name": .string(setup.admin.user.name),
            "role": "admin", "status": "active", "created_at": AccountFixture.timestamp(after: 0),
        ]])
    }

    // MARK: user.remove

    @Test func removingAColleagueEndsTheirSessionsAndAccount() throws {
        let colleague = try fixture.addUser(to: setup.company, email: "colleague@customer.example")
        let colleagueToken = try fixture.token(for: colleague)

        let reply = try remove(colleague.id)

        #expect(reply.result["id"] == .string(colleague.id))
        #expect(reply.result["status"] == "removed")
        #expect(try fixture.send("session.get", auth: colleagueToken).errorCode == "unauthenticated")
        #expect(try fixture.login(colleague.email, colleague.password).errorCode == "forbidden")
        #expect(try listedEmails() == [setup.admin.email])
        #expect(try fixture.storedUser(colleague.id)?.status == .removed)
    }

    @Test func removingAUserOfAnotherCompanyIsNotFoundAndChangesNothing() throws {
        let other = try fixture.addCompany("Other Ltd")
        let otherToken = try fixture.token(for: other.admin)

        let reply = try remove(other.admin.id)

        #expect(reply.errorCode == "not_found")
        let unknown = try remove("us_0000000000000000")
        #expect(reply.line == unknown.line.replacingOccurrences(of: "us_0000000000000000", with: other.admin.id),
                "indistinguishable from an id that does not exist")
        #expect(try fixture.storedUser(other.admin.id)?.status == .active)
        #expect(try fixture.send("session.get", auth: otherToken).ok)
    }

    @Test func removingStaffIsNotFound() throws {
        let staff = try fixture.addStaff([.admin])
        #expect(try remove(staff.id).errorCode == "not_found")
        #expect(try fixture.storedUser(staff.id)?.status == .active)
    }

    @Test func removingOneselfIsAConflict() throws {
        #expect(try remove(setup.admin.id).errorCode == "conflict")
        #expect(try fixture.send("session.get", auth: adminToken).ok)
    }

    @Test func removingTwiceIsNotFound() throws {
        let colleague = try fixture.addUser(to: setup.company)
        #expect(try remove(colleague.id).ok)
        #expect(try remove(colleague.id).errorCode == "not_found")
    }

    // MARK: user.create

    @Test func theOrderTeamCreatesAUserOfAnyCompany() throws {
        let token = try fixture.token(for: try fixture.addStaff([.order]))
        let args: [String: JSONValue] = [
            "company": .string(setup.company.id), "email": "first@customer.example", "name": "First",
            "password": .string(AccountPerson.defaultPassword), "role": "admin",
        ]
        let reply = try fixture.send("user.create", auth: token, args: args)
        #expect(reply.result["role"] == "admin", "\(reply)")
        #expect(try listedEmails().contains("first@customer.example"))

        var unknown = args
        unknown["company"] = "co_missing"
        unknown["email"] = "second@customer.example"
        #expect(try fixture.send("user.create", auth: token, args: unknown).errorCode == "not_found")
        #expect(try fixture.send("user.create", auth: adminToken, args: args).errorCode == "forbidden")
    }
}
