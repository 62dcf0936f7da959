import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// Self-registration: a license key of the company, e-mail confirmation, approval by the order
/// team; the mails it queues and the mailer's commands.
@Suite struct RegistrationTests {
    let fixture: AccountFixture
    let customer: Company
    let integrator: Company
    let key: LicenseKey
    let order: String

    init() throws {
        fixture = try AccountFixture()
        integrator = try fixture.addCompany("Integrator AG", views: [.systemIntegrator]).company
        var customer = try fixture.addCompany("Müller Druck GmbH", views: [.customer]).company
        customer.integrators = [integrator.id]
        let key = derivedLicenseKey(orderReference: "SO-1", position: 1)
        let license = License(
            id: "li_1", key: key, productID: "pr_1", edition: "Standard", quantity: 1, model: .perpetual,
            orderReference: "SO-1", orderPosition: 1, orderDate: fixture.clock.now,
            parties: License.Parties(owner: customer.id), runtimeEnd: nil, service: nil)
        try fixture.store.write { [customer] writer in
            try writer.update(customer)
            try writer.insert(ProductLine(id: "pl_1", name: "ThinPrint"))
            try writer.insert(Product(id: "pr_1", productLineID: "pl_1", name: "Engine"))
            try writer.insert(license)
        }
        self.customer = customer
        self.key = key
        order = try fixture.staffToken([.order])
    }

    private func register(as role: String = "customer", company: String = "müller druck gmbh", key: String? = nil, email: String = "new@mueller.example") throws -> AccountReply {
        try fixture.send("auth.register", args: [
            "email": .string(email), "password": "a long passphrase", "name": "New User",
            "company_name": .string(company), "as": .string(role), "license_key": .string(key ?? self.key.text.lowercased()),
        ])
    }

    /// The token of the newest queued confirmation mail.
    private func confirmationToken() throws -> String {
        let mails = try fixture.store.read { reader in try reader.unsentMail(limit: 100) }
        let body = try #require(mails.last?.body)
        return String(try #require(body.split(separator: " ").last))
    }

    @Test func registrationConfirmationAndApprovalLetTheUserIn() throws {
        let registered = try register()
        #expect(registered.result["user"]?["status"] == "pending_confirmation", "\(registered)")
        #expect(try fixture.login("new@mueller.example", "a long passphrase").errorCode == "forbidden")

        let confirmed = try fixture.send("user.confirm_email", args: ["token": .string(try confirmationToken())])
        #expect(confirmed.result["user"]?["status"] == "pending_approval")
        let pending = try fixture.send("user.pending", auth: order)
        #expect(pending.result["items"]?.arrayValue?.first?["company"]?["name"] == .string(customer.name))

        let id = try #require(registered.result["user"]?["id"])
        #expect(try fixture.send("user.approve", auth: order, args: ["user": id]).result["user"]?["status"] == "active")
        let login = try fixture.login("new@mueller.example", "a long passphrase")
        #expect(login.result["company"]?["id"] == .string(customer.id))
        #expect(try fixture.send("user.approve", auth: order, args: ["user": id]).errorCode == "conflict")
    }

    @Test func integratorsRegisterWithAKeyOfACustomerTheyManage() throws {
        let registered = try register(as: "system_integrator", company: "Integrator AG", email: "si@integrator.example")
        #expect(registered.ok, "\(registered)")
        let user = try fixture.store.read { reader in try reader.user(email: "si@integrator.example") }
        #expect(user?.companyID == integrator.id)
    }

    @Test func wrongKeysAndNamesGetTheSameAnswer() throws {
        let otherKey = derivedLicenseKey(orderReference: "SO-404", position: 1).text
        let unknown = try register(key: otherKey)
        let wrongName = try register(company: "Somebody Else GmbH")
        let wrongRole = try register(as: "system_integrator")
        #expect(unknown.errorCode == "bad_request")
        #expect(unknown.errorMessage == wrongName.errorMessage)
        #expect(unknown.errorMessage == wrongRole.errorMessage)
        #expect(try register(key: "not a key").errorCode == "bad_request")
        #expect(try fixture.store.read { reader in try reader.user(email: "new@mueller.example") } == nil)
    }

    @Test func aConfirmationTokenWorksOnceAndExpires() throws {
        _ = try register()
        let token = try confirmationToken()
        fixture.clock.advance(by: 49 * 3_600)
        #expect(try fixture.send("user.confirm_email", args: ["token": .string(token)]).errorCode == "bad_request")

        _ = try register(email: "second@mueller.example")
        let second = try confirmationToken()
        #expect(try fixture.send("user.confirm_email", args: ["token": .string(second)]).ok)
        #expect(try fixture.send("user.confirm_email", args: ["token": .string(second)]).errorCode == "bad_request")
    }

    @Test func rejectedRegistrationsCannotLogInAndAreTold() throws {
        let registered = try register()
        _ = try fixture.send("user.confirm_email", args: ["token": .string(try confirmationToken())])
        let id = try #require(registered.result["user"]?["id"])
        let rejected = try fixture.send("user.reject", auth: order, args: ["user": id, "reason": "not an employee"])
        #expect(rejected.result["user"]?["status"] == "rejected")
        #expect(try fixture.login("new@mueller.example", "a long passphrase").errorCode == "forbidden")
        let mails = try fixture.store.read { reader in try reader.unsentMail(limit: 10) }
        #expect(mails.contains { $0.recipient == "new@mueller.example" && $0.body.contains("not an employee") })
    }

    @Test func theMailerTakesQueuedMailsAndReportsThemSent() throws {
        _ = try register()
        let admin = try fixture.staffToken([.admin])
        let pending = try fixture.send("mail.pending", auth: admin)
        let mail = try #require(pending.result["items"]?.arrayValue?.first)
        #expect(mail["to"] == "new@mueller.example")
        let id = try #require(mail["id"])
        #expect(try fixture.send("mail.sent", auth: admin, args: ["ids": [id]]).result["marked"] == 1)
        #expect(try fixture.send("mail.pending", auth: admin).result["items"] == [])
        #expect(try fixture.send("mail.pending", auth: order).errorCode == "forbidden")
    }
}
