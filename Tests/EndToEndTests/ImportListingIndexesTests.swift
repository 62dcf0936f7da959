import Foundation
import PortalCore
import PortalStore
import Testing

/// `portald import --indexes`: rebuilding the license listing indexes at the end gives the
/// database that keeping them gives; `auto` rebuilds only when the file brings as many licenses
/// as the database holds.
@Suite struct ImportListingIndexesTests {
    /// Companies in every role, and licenses naming them in every combination the listing and
    /// scheduler indexes tell apart (parties, models, ends).
    private static func rows(licenses: ClosedRange<Int>) -> String {
        let companies = [
            #"{"type":"company","ref":"I-1","name":"Integrator","views":["system_integrator"]}"#,
            #"{"type":"company","ref":"C-1","name":"Customer","views":["customer"]}"#,
            #"{"type":"company","ref":"C-2","name":"Delegating customer","views":["customer"],"integrators":["I-1"]}"#,
            #"{"type":"company","ref":"R-1","name":"Reseller","views":["reseller"]}"#,
            #"{"type":"company","ref":"D-1","name":"Distributor","views":["distributor"]}"#,
            #"{"type":"company","ref":"P-1","name":"Partner","views":["partner"]}"#,
            #"{"type":"product","ref":"TP","name":"ThinPrint Engine","line":"ThinPrint"}"#,
        ]
        let licenseRows = licenses.map { n in
            var row = [
                #""type":"license""#, #""order_reference":"SO-\#(n)""#, #""order_date":"2026-01-\#(10 + n % 18)T00:00:00Z""#,
                #""product":"TP""#, #""owner":"C-\#(n % 2 + 1)""#,
            ]
            if n % 2 == 0 { row.append(#""reseller":"R-1""#) }
            if n % 3 == 0 { row.append(#""distributor":"D-1""#) }
            if n % 5 == 0 { row.append(#""partner":"P-1""#) }
            if n % 7 == 0 { row.append(#""integrator":"I-1""#) }
            if n % 2 == 1 { row += [#""model":"alm""#, #""runtime_end":"2027-0\#(n % 9 + 1)-01T00:00:00Z""#] }
            if n % 4 != 0 { row.append(#""service_end":"2028-\#(String(format: "%02d", n % 12 + 1))-01T00:00:00Z""#) }
            return "{" + row.joined(separator: ",") + "}"
        }
        return (companies + licenseRows).joined(separator: "\n") + "\n"
    }

    private func portaldImport(_ file: String, database: String, _ extra: [String] = []) throws -> ProcessResult {
        try ChildProcess.run(try TestExecutables.portald(), ["import", file, "--database", database] + extra)
    }

    /// The ids every party's listing shows, in its order.
    private static func listings(_ store: SQLiteStore) throws -> [[String]] {
        let visibilities: [LicenseVisibility] = [
            .ownedExceptProvider(company: "co_ext_C-1"), .ownedExceptProvider(company: "co_ext_C-2"),
            .managedBy(integrator: "co_ext_I-1"), .soldBy(reseller: "co_ext_R-1"), .suppliedBy(distributor: "co_ext_D-1"),
            .inChannelOf(partner: "co_ext_P-1"),
        ]
        return try store.read { reader in
            try visibilities.map { visibility in
                var query = LicenseQuery(visibility: visibility, now: Date())
                query.limit = 100
                return try reader.licenses(matching: query).map(\.license.id)
            }
        }
    }

    @Test func rebuildingTheIndexesGivesTheListingsThatKeepingThemGives() throws {
        let folder = try TemporaryDirectory(prefix: "portal-import")
        let file = try folder.write(Self.rows(licenses: 1...60), to: "orders.jsonl")
        var listings: [[[String]]] = []
        for mode in ["keep", "rebuild"] {
            let database = folder.path("\(mode).sqlite")
            let imported = try portaldImport(file, database: database, ["--indexes", mode])
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput.contains("60 license rows"))
            #expect(imported.standardOutput.contains("listing indexes rebuilt") == (mode == "rebuild"))
            let store = try SQLiteStore(path: database)
            #expect(try store.integrityProblems() == [], "every index holds every license")
            listings.append(try Self.listings(store))
        }
        #expect(listings[0] == listings[1])
        #expect(listings[0].allSatisfy { !$0.isEmpty })
    }

    @Test func autoRebuildsForAFileOfManyLicensesAndKeepsForAFewMore() throws {
        let folder = try TemporaryDirectory(prefix: "portal-import")
        let database = folder.path("portal.sqlite")
        let first = try portaldImport(try folder.write(Self.rows(licenses: 1...200), to: "first.jsonl"), database: database)
        #expect(first.standardOutput.contains("listing indexes rebuilt"), "into an empty database")

        let more = try portaldImport(try folder.write(Self.rows(licenses: 201...210), to: "more.jsonl"), database: database)
        #expect(more.status == 0, "\(more.standardError)")
        #expect(more.standardOutput.contains("10 license rows"))
        #expect(!more.standardOutput.contains("listing indexes rebuilt"), "ten licenses into 200")

        let refused = try portaldImport(folder.path("more.jsonl"), database: database, ["--indexes", "sometimes"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--indexes must be auto, keep or rebuild"))
    }
}
