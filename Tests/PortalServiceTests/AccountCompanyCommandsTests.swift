import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `company.*`: the order team's back office.
@Suite struct AccountCompanyCommandsTests {
    let fixture: AccountFixture

    init() throws {
        fixture = try AccountFixture()
    }

    /// A session token of new staff with `roles`.

    func create(_ name: String, views: [String] = ["customer"], auth: String) throws -> AccountReply {
        try fixture.send("company.create", auth: auth, args: ["name": .string(name), "views": .array(views.map(JSONValue.string))])
    }

    // MARK: Who may

    @Test(arguments: [StaffRole.order, .admin])
    func orderTeamAndAdminsCreateUpdateGetAndList(role: StaffRole) throws {
        let token = try fixture.staffToken([role])

        let created = try create("Thin Client GmbH", views: ["reseller", "customer"], auth: token)
        try #require(created.ok, "\(created)")
        let id = try #require(created.result["id"]?.stringValue)
        #expect(id.hasPrefix("co_"))
        #expect(created.result == [
            "id": .string(id), "name": "Thin Client GmbH", "views": ["customer", "reseller"],
            "created_at": AccountFixture.timestamp(after: 0), "integrators": [], "contract": nil,
        ])

        let updated = try fixture.send(
            "company.update", auth: token, args: ["company": .string(id), "name": "Thin Client AG", "views": ["partner"]])
        #expect(updated.result["name"] == "Thin Client AG")
        #expect(updated.result["views"] == ["partner"])

        let fetched = try fixture.send("company.get", auth: token, args: ["company": .string(id)])
        #expect(fetched.result == updated.result)

        let listed = try fixture.send("company.list", auth: token)
        #expect(listed.result == ["items": [updated.result], "next_cursor": nil])
    }

    @Test(arguments: [StaffRole.support, .activation])
    func supportAndActivationOnlyRead(role: StaffRole) throws {
        let company = try fixture.addCompany().company
        let token = try fixture.staffToken([role])

        #expect(try create("Not Allowed Ltd", auth: token).errorCode == "forbidden")
        #expect(try fixture.send("company.update", auth: token, args: ["company": .string(company.id), "name": "X"])
            .errorCode == "forbidden")
        #expect(try fixture.send("company.get", auth: token, args: ["company": .string(company.id)]).result["id"]
            == .string(company.id))
        #expect(try fixture.send("company.list", auth: token).result["items"]?.arrayValue?.count == 1)
    }

    @Test func staffWithSeveralRolesMayWhatAnyOfThemMay() throws {
        #expect(try create("Both Ltd", auth: try fixture.staffToken([.support, .order])).ok)
    }

    @Test func companyUsersAreForbidden() throws {
        let setup = try fixture.addCompany()
        let token = try fixture.token(for: setup.admin)
        #expect(try create("Own Ltd", auth: token).errorCode == "forbidden")
        #expect(try fixture.send("company.get", auth: token, args: ["company": .string(setup.company.id)]).errorCode
            == "forbidden")
        #expect(try fixture.send("company.list", auth: token).errorCode == "forbidden")
    }

    @Test func withoutASessionItIsUnauthenticated() throws {
        #expect(try fixture.send("company.list").errorCode == "unauthenticated")
        #expect(try fixture.send("company.create", args: ["name": "Anonymous Ltd"]).errorCode == "unauthenticated")
    }

    // MARK: Arguments

    @Test func anUnknownViewIsABadRequestAndNothingIsCreated() throws {
        let token = try fixture.staffToken([.order])
        let reply = try create("Galaxy Ltd", views: ["customer", "galaxy"], auth: token)
        #expect(reply.errorCode == "bad_request")
        #expect(reply.errorMessage?.contains("galaxy") == true)
        #expect(try fixture.send("company.list", auth: token).result["items"] == [])
    }

    @Test func aRepeatedViewCountsOnce() throws {
        let reply = try create("Twice Ltd", views: ["customer", "customer"], auth: try fixture.staffToken([.order]))
        #expect(reply.result["views"] == ["customer"])
    }

    @Test(arguments: [
        [:], ["name": ""], ["name": "   "], ["name": 7], ["name": "Views Ltd", "views": "customer"],
        ["name": "Views Ltd", "views": [1]], ["name": .string(String(repeating: "n", count: 201))],
    ] as [[String: JSONValue]])
    func badArgumentsAreBadRequests(args: [String: JSONValue]) throws {
        #expect(try fixture.send("company.create", auth: try fixture.staffToken([.order]), args: args).errorCode == "bad_request")
    }

    @Test func updateKeepsWhatItIsNotGiven() throws {
        let token = try fixture.staffToken([.order])
        let id = try #require(try create("Keep Ltd", views: ["customer", "system_integrator"], auth: token).result["id"])

        let renamed = try fixture.send("company.update", auth: token, args: ["company": id, "name": "Kept Ltd"])
        #expect(renamed.result["views"] == ["customer", "system_integrator"])
        let regrouped = try fixture.send("company.update", auth: token, args: ["company": id, "views": ["distributor"]])
        #expect(regrouped.result["name"] == "Kept Ltd")
        #expect(regrouped.result["views"] == ["distributor"])
    }

    @Test func anUnknownCompanyIsNotFound() throws {
        let token = try fixture.staffToken([.order])
        #expect(try fixture.send("company.get", auth: token, args: ["company": "co_missing"]).errorCode == "not_found")
        #expect(try fixture.send("company.update", auth: token, args: ["company": "co_missing", "name": "X"]).errorCode
            == "not_found")
        #expect(try fixture.send("company.get", auth: token).errorCode == "bad_request")
    }

    // MARK: Paging

    @Test func pagingListsEveryCompanyExactlyOnceInIDOrder() throws {
        let token = try fixture.staffToken([.support])
        var ids: [String] = []
        for index in 0..<7 { ids.append(try fixture.addCompany("Company \(index)").company.id) }

        var listed: [String] = []
        var cursor: JSONValue = .null
        var pages = 0
        repeat {
            var args: [String: JSONValue] = ["limit": 3]
            if !cursor.isNull { args["cursor"] = cursor }
            let page = try fixture.send("company.list", auth: token, args: args)
            let items = try #require(page.result["items"]?.arrayValue, "\(page)")
            #expect(items.count <= 3)
            listed += items.compactMap { $0["id"]?.stringValue }
            cursor = try #require(page.result["next_cursor"])
            pages += 1
        } while !cursor.isNull && pages < 10

        #expect(listed == ids.sorted())
        #expect(pages == 3)
    }

    @Test func aFullLastPageHasNoNextCursor() throws {
        let token = try fixture.staffToken([.order])
        for index in 0..<4 { _ = try fixture.addCompany("Company \(index)") }
        let first = try fixture.send("company.list", auth: token, args: ["limit": 2])
        let second = try fixture.send("company.list", auth: token, args: ["limit": 2, "cursor": try #require(first.result["next_cursor"])])
        #expect(second.result["items"]?.arrayValue?.count == 2)
        #expect(second.result["next_cursor"] == .null)
    }

    @Test func theDefaultPageHoldsFifty() throws {
        let token = try fixture.staffToken([.order])
        for index in 0..<51 { _ = try fixture.addCompany("Company \(index)") }
        let page = try fixture.send("company.list", auth: token)
        #expect(page.result["items"]?.arrayValue?.count == 50)
        #expect(page.result["next_cursor"]?.stringValue != nil)
    }

    @Test(arguments: [0, 501, -1] as [JSONValue] + ["10", 2.5])
    func aLimitOutsideOneToFiveHundredIsABadRequest(limit: JSONValue) throws {
        let reply = try fixture.send("company.list", auth: try fixture.staffToken([.order]), args: ["limit": limit])
        #expect(reply.errorCode == "bad_request")
    }
}

/// Integrator delegations and service-provider contracts set through company.create/update.
@Suite struct AccountCompanyRelationsTests {
    let fixture: AccountFixture

    init() throws {
        fixture = try AccountFixture()
    }

    @Test func integratorsAndContractAreSetChecked() throws {
        let token = try fixture.staffToken([.order])
        let integrator = try fixture.send("company.create", auth: token, args: ["name": "SI GmbH", "views": ["system_integrator"]])
        let integratorID = try #require(integrator.result["id"]?.stringValue)
        let reseller = try fixture.send("company.create", auth: token, args: ["name": "Shop KG", "views": ["reseller"]])
        let resellerID = try #require(reseller.result["id"]?.stringValue)

        let customer = try fixture.send(
            "company.create", auth: token,
            args: ["name": "Customer AG", "views": ["customer"], "integrators": [.string(integratorID)]])
        #expect(customer.result["integrators"] == [.string(integratorID)])
        let customerID = try #require(customer.result["id"]?.stringValue)

        let notAnIntegrator = try fixture.send(
            "company.update", auth: token, args: ["company": .string(customerID), "integrators": [.string(resellerID)]])
        #expect(notAnIntegrator.errorCode == "bad_request")

        let contract: JSONValue = ["quota": 12, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"]
        let withoutView = try fixture.send("company.update", auth: token, args: ["company": .string(customerID), "contract": contract])
        #expect(withoutView.errorCode == "bad_request")

        let provider = try fixture.send(
            "company.update", auth: token,
            args: ["company": .string(resellerID), "views": ["reseller", "service_provider"], "contract": contract])
        #expect(provider.result["contract"] == contract)
        let removed = try fixture.send("company.update", auth: token, args: ["company": .string(resellerID), "contract": nil])
        #expect(removed.result["contract"] == .null)

        let backwards = try fixture.send(
            "company.update", auth: token,
            args: ["company": .string(resellerID), "contract": ["quota": 1, "starts_at": "2027-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"]])
        #expect(backwards.errorCode == "bad_request")
        let noViews = try fixture.send("company.create", auth: token, args: ["name": "Nobody Ltd"])
        #expect(noViews.errorCode == "bad_request")
    }
}
