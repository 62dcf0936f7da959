import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `events.since`, the events today's commands record, `staff.create` for service accounts, and
/// the license history in `license.get`.
@Suite struct EventCommandsTests {
    let fixture: AccountFixture
    let service: String

    init() throws {
        fixture = try AccountFixture()
        service = try fixture.staffToken([.service])
    }

    private func since(_ args: [String: JSONValue], auth: String? = nil) throws -> AccountReply {
        try fixture.send("events.since", auth: auth ?? service, args: args)
    }

    /// Creates `count` companies through `company.create`: one `company.created` event each.
    private func createCompanies(_ count: Int) throws -> [String] {
        let order = try fixture.staffToken([.order])
        return try (0..<count).map { index in
            let reply = try fixture.send("company.create", auth: order, args: ["name": .string("Company \(index)"), "views": ["customer"]])
            return try #require(reply.result["id"]?.stringValue, "\(reply)")
        }
    }

    @Test func commandsRecordTheirEventsWithCauseAndActor() throws {
        let order = try fixture.addStaff([.order])
        let orderToken = try fixture.token(for: order)
        let created = try fixture.send("company.create", auth: orderToken, args: ["name": "Printing Ltd", "views": ["customer"]])
        let id = try #require(created.result["id"]?.stringValue)
        _ = try fixture.send("company.update", auth: orderToken, args: ["company": .string(id), "name": "Printing Ltd."])
        let reply = try since(["after": 0])
        let events = try #require(reply.result["events"]?.arrayValue)
        #expect(events.map { $0["type"] } == ["company.created", "company.updated"])
        #expect(events.map { $0["seq"] } == [1, 2])
        #expect(events[1]["company"]?.stringValue == id)
        #expect(events[1]["parties"] == [.string(id)])
        #expect(events[1]["data"]?["cause"] == "command")
        #expect(events[1]["data"]?["command"] == "company.update")
        #expect(events[1]["data"]?["by"]?.stringValue == order.id)
        #expect(events[1]["data"]?["company"]?["name"] == "Printing Ltd.")
        #expect(reply.result["last_seq"] == 2 && reply.result["next_after"] == 2 && reply.result["oldest_seq"] == 1)
    }

    @Test func aFailedCommandRecordsNothing() throws {
        let order = try fixture.staffToken([.order])
        let reply = try fixture.send("company.create", auth: order, args: ["name": "Printing Ltd", "views": ["nonsense"]])
        #expect(reply.errorCode == "bad_request")
        #expect(try since(["after": 0]).result["last_seq"] == 0)
    }

    @Test func pagesFollowNextAfterAndLimitZeroTellsOnlyTheNumbers() throws {
        _ = try createCompanies(5)
        let first = try since(["after": 0, "limit": 2])
        #expect(first.result["events"]?.arrayValue?.map { $0["seq"] } == [1, 2])
        #expect(first.result["next_after"] == 2 && first.result["last_seq"] == 5)
        let rest = try since(["after": 2, "limit": 10])
        #expect(rest.result["events"]?.arrayValue?.map { $0["seq"] } == [3, 4, 5])
        #expect(rest.result["next_after"] == 5)
        let now = try since(["after": 0, "limit": 0])
        #expect(now.result["events"] == [] && now.result["next_after"] == 0 && now.result["last_seq"] == 5)
    }

    @Test func filtersSelectByTypeAndCompany() throws {
        let ids = try createCompanies(3)
        let order = try fixture.staffToken([.order])
        _ = try fixture.send("company.update", auth: order, args: ["company": .string(ids[1]), "name": "Renamed"])
        let updates = try since(["after": 0, "types": "company.updated"])
        #expect(updates.result["events"]?.arrayValue?.map { $0["seq"] } == [4])
        let ofOne = try since(["after": 0, "company": .string(ids[1])])
        #expect(ofOne.result["events"]?.arrayValue?.map { $0["seq"] } == [2, 4])
        #expect(ofOne.result["next_after"] == 4)
        let unknown = try since(["after": 0, "types": ["license.created", "company.deleted"]])
        #expect(unknown.errorCode == "bad_request")
    }

    @Test func prunedRangesAndNumbersFromTheFutureAreClearErrors() throws {
        _ = try createCompanies(2)
        fixture.advance(minutes: 31 * 24 * 60)
        _ = try createCompanies(1)
        let service = try fixture.staffToken([.service])  // the first session has expired by now
        #expect(try EventRetention(days: 30).prune(fixture.store, now: fixture.clock.now) == 2)
        let pruned = try since(["after": 0], auth: service)
        #expect(pruned.errorCode == "not_found")
        #expect(pruned.errorDetails?["oldest_seq"] == 3)
        #expect(pruned.errorMessage?.contains("oldest available is 3") == true)
        #expect(try since(["after": 2], auth: service).result["events"]?.arrayValue?.map { $0["seq"] } == [3])
        #expect(try since(["after": 0, "limit": 0], auth: service).ok, "the numbers are always available")
        let ahead = try since(["after": 9], auth: service)
        #expect(ahead.errorCode == "conflict")
        #expect(ahead.errorDetails?["last_seq"] == 3)
    }

    @Test func onlyStaffAndServiceAccountsReplay() throws {
        let customer = try fixture.addCompany()
        #expect(try since(["after": 0], auth: try fixture.token(for: customer.admin)).errorCode == "forbidden")
        #expect(try since(["after": 0], auth: try fixture.staffToken([.support])).ok)
        #expect(try fixture.send("events.since", args: ["after": 0]).errorCode == "unauthenticated")
        #expect(try since([:]).errorCode == "bad_request")
    }

    @Test func serviceAccountsTakeTheMailQueueButNoBackOfficeWork() throws {
        #expect(try fixture.send("mail.pending", auth: service).ok)
        #expect(try fixture.send("company.list", auth: service).errorCode == "forbidden")
        #expect(try fixture.send("mail.pending", auth: try fixture.staffToken([.order])).errorCode == "forbidden")
    }

    @Test func staffAdminsCreateServiceAccounts() throws {
        let admin = try fixture.staffToken([.admin])
        let args: [String: JSONValue] = [
            "email": "crm-sync@vendor.example", "name": "CRM sync", "password": "a long passphrase", "roles": ["service"],
        ]
        let created = try fixture.send("staff.create", auth: admin, args: args)
        #expect(created.result["user"]?["staff_roles"] == ["service"], "\(created)")
        let login = try fixture.login("crm-sync@vendor.example", "a long passphrase")
        #expect(try since(["after": 0], auth: try #require(login.result["token"]?.stringValue)).ok)
        #expect(try fixture.send("staff.create", auth: admin, args: args).errorCode == "conflict")
        var noRoles = args
        noRoles["email"] = "other@vendor.example"
        noRoles["roles"] = []
        #expect(try fixture.send("staff.create", auth: admin, args: noRoles).errorCode == "bad_request")
        #expect(try fixture.send("staff.create", auth: try fixture.staffToken([.order]), args: args).errorCode == "forbidden")
    }

    @Test func licenseHistoryShowsTheLicensesEventsWithoutTheActor() throws {
        let order = try fixture.staffToken([.order])
        let imported = try fixture.send("license.import", auth: order, args: ["rows": [
            ["type": "company", "ref": "C-1", "name": "Customer AG", "views": ["customer"]],
            ["type": "company", "ref": "R-1", "name": "Reseller KG", "views": ["reseller"]],
            ["type": "user", "email": "boss@customer.example", "name": "Boss", "company": "C-1", "role": "admin", "password": "a long passphrase"],
            ["type": "product", "ref": "TP", "name": "ThinPrint Engine", "line": "ThinPrint"],
            ["type": "license", "order_reference": "SO-1", "order_date": "2026-01-15T00:00:00Z", "product": "TP", "owner": "C-1", "reseller": "R-1"],
        ]])
        #expect(imported.result["errors"] == [])
        let types = try since(["after": 0]).result["events"]?.arrayValue?.map { $0["type"] }
        #expect(types == ["company.created", "company.created", "user.added", "license.created"])
        let created = try since(["after": 0, "types": "license.created"]).result["events"]?.arrayValue?.first
        #expect(created?["parties"] == ["co_ext_C-1", "co_ext_R-1"])
        #expect(created?["data"]?["license"]?["id"] == "li_ext_SO-1_1")

        let boss = try #require(try fixture.login("boss@customer.example", "a long passphrase").result["token"]?.stringValue)
        let license = try fixture.send("license.get", auth: boss, view: "customer", args: ["license": "li_ext_SO-1_1"])
        let history = try #require(license.result["history"]?.arrayValue, "\(license)")
        #expect(history.count == 1)
        #expect(history.first?["type"] == "license.created" && history.first?["seq"] == 4)
        #expect(history.first?["data"]?["command"] == "license.import")
        #expect(history.first?["data"]?["order"]?["reference"] == "SO-1")
        #expect(history.first?["data"]?["by"] == nil && history.first?["data"]?["license"] == nil)
    }

    @Test func importRefsThatCouldBreakTopicsAreRefused() throws {
        let order = try fixture.staffToken([.order])
        let reply = try fixture.send("license.import", auth: order, args: ["rows": [
            ["type": "company", "ref": "C/1", "name": "Customer AG", "views": ["customer"]],
        ]])
        #expect(reply.result["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("only letters, digits") == true)
    }
}
