import Foundation
import PortalBench
import PortalProtocol
import Testing

@Suite struct BenchDataSetTests {
    private func rows(licenses: Int, companies: Int) throws -> [JSONValue] {
        var rows: [JSONValue] = []
        try BenchDataSet(licenses: licenses, companies: companies, password: "bench-password", today: Date(timeIntervalSince1970: 1_790_000_000))
            .write { rows.append($0) }
        return rows
    }

    @Test func aPortalOfCompaniesAccountsAndLicenses() throws {
        let rows = try rows(licenses: 20_000, companies: 400)
        let byType = Dictionary(grouping: rows) { $0["type"]?.stringValue ?? "" }
        #expect(byType["product"]?.count == 5)
        #expect(byType["company"]?.count == 1 + 20 + 400)
        #expect(byType["license"]?.count == 20_000)
        let users = try #require(byType["user"])
        #expect(users.map { $0["email"]?.stringValue } == BenchDataSet.accounts.map(\.0))
        #expect(users.allSatisfy { $0["password"] == "bench-password" && $0["role"] == "admin" })

        let licenses = byType["license"]!
        let owners = Dictionary(grouping: licenses) { $0["owner"]?.stringValue ?? "" }.mapValues(\.count)
        #expect(owners["BENCH-C0"] == BenchDataSet.overviewLicenses)
        #expect(owners["BENCH-C1"] == 2_000)
        #expect(owners.count == 400)
        #expect(licenses.allSatisfy { $0["distributor"] == "BENCH-D0" })
        // Order lines are unique: the importer tells licenses apart by them.
        let lines = Set(licenses.map { "\($0["order_reference"]!)#\($0["order_position"]!)" })
        #expect(lines.count == 20_000)
        // Everything the accounts act on runs forever.
        #expect(licenses.filter { ["BENCH-C0", "BENCH-C1"].contains($0["owner"]?.stringValue) }.allSatisfy { $0["model"] == "perpetual" })
    }

    @Test func aSmallPortalGivesTheOverviewATenth() throws {
        let licenses = try rows(licenses: 500, companies: 3).filter { $0["type"] == "license" }
        #expect(licenses.filter { $0["owner"] == "BENCH-C0" }.count == 50)
        #expect(licenses.filter { $0["owner"] == "BENCH-C1" }.count == 50)
    }

    @Test func theSameArgumentsGiveTheSameRows() throws {
        #expect(try rows(licenses: 300, companies: 10) == rows(licenses: 300, companies: 10))
    }
}
