import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `AccessPolicy` as the executor applies it, through small commands registered for the test.
@Suite struct AccountPolicyTests {
    static let activate = "account_test.activate"
    static let whoAmI = "account_test.who_am_i"

    /// The standard registry plus a `.feature(.softwareActivation)` command and a `.session` one,
    /// both answering with what the policy handed the handler.
    static var registry: CommandRegistry {
        var registry = CommandRegistry.standard
        let describeCaller: CommandHandler = { context in
            let caller = try context.authenticatedCaller
            return JSONValue.object([
                "user": .string(caller.user.id),
                "view": caller.view.map { .string($0.rawValue) } ?? .null,
            ])
        }
        registry.register(Self.activate, access: .feature(.softwareActivation), describeCaller)
        registry.register(Self.whoAmI, access: .session, describeCaller)
        return registry
    }

    let fixture: AccountFixture
    let setup: AccountCompanySetup
    let token: String

    init() throws {
        fixture = try AccountFixture(registry: Self.registry)
        setup = try fixture.addCompany("Customer and Reseller", views: [.customer, .reseller])
        token = try fixture.token(for: setup.admin)
    }

    func runActivation(view: String?, auth: String? = nil) throws -> AccountReply {
        try fixture.send(Self.activate, auth: auth ?? token, view: view)
    }

    // MARK: .feature

    @Test func aHeldViewWithTheFeatureRunsTheHandlerInThatView() throws {
        let reply = try runActivation(view: "customer")
        #expect(reply.ok, "\(reply)")
        #expect(reply.result == ["user": .string(setup.admin.id), "view": "customer"])
    }

    @Test func aMemberMayUseFeaturesToo() throws {
        let member = try fixture.addUser(to: setup.company)
        let reply = try runActivation(view: "customer", auth: try fixture.token(for: member))
        #expect(reply.result["view"] == "customer")
    }

    @Test func aMissingViewIsABadRequestListingTheCompanysViews() throws {
        let reply = try runActivation(view: nil)
        #expect(reply.errorCode == "bad_request")
        #expect(reply.errorMessage?.contains("customer, reseller") == true, "\(reply)")
    }

    @Test func anUnknownViewIsABadRequest() throws {
        #expect(try runActivation(view: "galaxy").errorCode == "bad_request")
        #expect(try runActivation(view: "Customer").errorCode == "bad_request", "view names are exact")
    }

    @Test func aViewTheCompanyDoesNotHoldIsForbidden() throws {
        #expect(try runActivation(view: "service_provider").errorCode == "forbidden")
    }

    @Test func aHeldViewWithoutTheFeatureIsForbidden() throws {
        let reply = try runActivation(view: "reseller")
        #expect(reply.errorCode == "forbidden")
        #expect(reply.errorMessage?.contains("software_activation") == true, "\(reply)")
    }

    @Test func staffCannotRunFeatureCommandsInAnyView() throws {
        let staff = try fixture.addStaff([.admin])
        let staffToken = try fixture.token(for: staff)
        for view: String? in [nil, "customer", "galaxy"] {
            #expect(try runActivation(view: view, auth: staffToken).errorCode == "forbidden", "view \(view ?? "none")")
        }
    }

    @Test func withoutASessionFeatureCommandsAreUnauthenticated() throws {
        #expect(try fixture.send(Self.activate, view: "customer").errorCode == "unauthenticated")
        #expect(try runActivation(view: "customer", auth: SecureToken.generate()).errorCode == "unauthenticated")
    }

    @Test func viewsChangedByTheOrderTeamApplyToRunningSessions() throws {
        let order = try fixture.addStaff([.order])
        let update = try fixture.send(
            "company.update", auth: try fixture.token(for: order),
            args: ["company": .string(setup.company.id), "views": ["reseller"]])
        try #require(update.ok, "\(update)")
        #expect(try runActivation(view: "customer").errorCode == "forbidden")
    }

    @Test func theMatrixIsData() throws {
        var grants = Dictionary(uniqueKeysWithValues: PortalView.allCases.map { view in
            (view, Set(FeatureMatrix.standard.features(of: view)))
        })
        grants[.reseller]?.insert(.softwareActivation)
        grants[.customer]?.remove(.softwareActivation)
        let custom = try AccountFixture(registry: Self.registry, access: AccessPolicy(features: FeatureMatrix(grants)))
        let company = try custom.addCompany(views: [.customer, .reseller])
        let token = try custom.token(for: company.admin)

        #expect(try custom.send(Self.activate, auth: token, view: "reseller").result["view"] == "reseller")
        #expect(try custom.send(Self.activate, auth: token, view: "customer").errorCode == "forbidden")
    }

    // MARK: .session

    @Test func aSessionCommandRunsForCompanyUsersAndStaffWithoutAView() throws {
        let staff = try fixture.addStaff([.support])
        #expect(try fixture.send(Self.whoAmI, auth: token).result == ["user": .string(setup.admin.id), "view": nil])
        #expect(try fixture.send(Self.whoAmI, auth: try fixture.token(for: staff)).result["user"] == .string(staff.id))
        #expect(try fixture.send(Self.whoAmI).errorCode == "unauthenticated")
    }

    @Test func anUnknownCommandIsReportedBeforeAnyAccessCheck() throws {
        #expect(try fixture.send("account_test.nothing").errorCode == "unknown_command")
    }
}
