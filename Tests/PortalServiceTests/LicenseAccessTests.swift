import Foundation
import PortalCore
import PortalProtocol
import Testing

/// Who may call `license.list` and `license.get` at all.
@Suite struct LicenseAccessTests {
    let fixture: LicenseFixture
    let token: String

    init() throws {
        fixture = try LicenseFixture()
        try fixture.addCompany("co_customer", views: [.customer])
        token = try fixture.login(try fixture.addUser(to: "co_customer"))
    }

    static let commands: [(command: String, args: [String: JSONValue])] = [
        ("license.list", [:]), ("license.get", ["license": "li_0001"]),
    ]

    func send(_ index: Int, auth: String?, view: String?) throws -> LicenseReply {
        let (command, args) = Self.commands[index]
        return try fixture.send(LicenseFixture.request(command, auth: auth, view: view, args: args))
    }

    @Test("a view the company does not hold is forbidden", arguments: 0..<2)
    func unheldView(command: Int) throws {
        for view in PortalView.allCases where view != .customer {
            #expect(try send(command, auth: token, view: view.rawValue).errorCode == "forbidden")
        }
    }

    @Test("a missing or unknown view is a bad request", arguments: 0..<2)
    func missingView(command: Int) throws {
        #expect(try send(command, auth: token, view: nil).errorCode == "bad_request")
        #expect(try send(command, auth: token, view: "everything").errorCode == "bad_request")
    }

    @Test("staff have no license overview", arguments: 0..<2)
    func staffAreForbidden(command: Int) throws {
        let staff = try fixture.login(try fixture.addStaff())
        #expect(try send(command, auth: staff, view: "customer").errorCode == "forbidden")
    }

    @Test("no session, an unknown one or an idle one is unauthenticated", arguments: 0..<2)
    func unauthenticated(command: Int) throws {
        #expect(try send(command, auth: nil, view: "customer").errorCode == "unauthenticated")
        #expect(try send(command, auth: "not-a-token", view: "customer").errorCode == "unauthenticated")
        fixture.advance(days: 1)
        #expect(try send(command, auth: token, view: "customer").errorCode == "unauthenticated")
    }
}
