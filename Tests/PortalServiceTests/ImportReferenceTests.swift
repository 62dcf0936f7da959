import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// The importer checks the companies and products a license names itself (the store does not,
/// during an import): a row naming a missing one is refused and nothing of it is written.
@Suite struct ImportReferenceTests {
    let fixture: AccountFixture

    init() throws {
        fixture = try AccountFixture()
    }

    private func importRows(_ rows: [JSONValue]) throws -> ImportReport {
        var importer = LicenseImporter(
            store: fixture.store, passwords: .minimalCost, clock: fixture.clock, cause: .command("portald import", by: nil))
        importer.batchSize = 3
        return try importer.run(rows.enumerated().map { index, row in (number: index + 1, fields: .success(row.objectValue ?? [:])) })
    }

    private static let missing = "the license names a company or product that does not exist; import it first"

    private func storedLicenses() throws -> Int {
        try fixture.store.read { try $0.licenseCount() }
    }

    private func createdEvents() throws -> [String] {
        try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [], company: nil, limit: 100).map(\.type)
        }
    }

    @Test func aLicenseNamingAMissingCompanyInAnyRoleOrAMissingProductIsRefused() throws {
        let report = try importRows([
            ImportCommandTests.company, ImportCommandTests.product,
            ImportCommandTests.license(1, ["owner": "C-404"]),
            ImportCommandTests.license(2, ["reseller": "C-404"]),
            ImportCommandTests.license(3, ["distributor": "C-404"]),
            ImportCommandTests.license(4, ["integrator": "C-404"]),
            ImportCommandTests.license(5, ["partner": "C-404"]),
            ImportCommandTests.license(6, ["product": "TP-404"]),
            ImportCommandTests.license(7),
        ])
        #expect(report.errors.map(\.row) == [3, 4, 5, 6, 7, 8])
        #expect(report.errors.allSatisfy { $0.message == Self.missing })
        #expect(report.imported["license"] == 1)
        #expect(try storedLicenses() == 1)
        #expect(try createdEvents() == ["company.created", "license.created"])
    }

    @Test func companiesAndProductsOfEarlierBatchesAndImportsCount() throws {
        _ = try importRows([ImportCommandTests.company, ImportCommandTests.product])
        let report = try importRows([
            ["type": "company", "ref": "R-1", "name": "Shop", "views": ["reseller"]],
            ImportCommandTests.license(1, ["reseller": "R-1"]), ImportCommandTests.license(2), ImportCommandTests.license(3),
            ImportCommandTests.license(4, ["reseller": "R-1"]),
        ])
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.imported["license"] == 4)
    }

    @Test func aLicenseImportedBeforeIsUnchangedWhateverItNamesNow() throws {
        _ = try importRows([ImportCommandTests.company, ImportCommandTests.product, ImportCommandTests.license(1)])
        let again = try importRows([ImportCommandTests.license(1, ["owner": "C-404"])])
        #expect(again.errors.isEmpty)
        #expect(again.unchanged == 1)
    }

    @Test func aKeyTakenByAnotherOrderLineIsRefusedNotCountedUnchanged() throws {
        let key = derivedLicenseKey(orderReference: "SO-1", position: 1).text
        let report = try importRows([
            ImportCommandTests.company, ImportCommandTests.product, ImportCommandTests.license(1),
            ImportCommandTests.license(2, ["key": .string(key)]),
        ])
        #expect(report.errors.map(\.row) == [4])
        #expect(report.unchanged == 0)
        #expect(try storedLicenses() == 1)
    }

    @Test func companyEventsCarryTheCompanyAsCreated() throws {
        _ = try importRows([ImportCommandTests.company])
        let company = try #require(try fixture.store.read { try $0.company(id: "co_ext_C-1") })
        #expect(company.createdAt == fixture.clock.now)
        let event = try #require(try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [.companyCreated], company: nil, limit: 1).first
        })
        let body = try JSONParser.parse(Array(event.body.utf8), maxDepth: 16)
        #expect(body["data"]?["company"]?["id"] == "co_ext_C-1")
        #expect(body["data"]?["company"]?["created_at"] == .string(RFC3339.string(from: company.createdAt)))
    }

    @Test func licenseEventsNameTheOwnersIntegratorsWhetherImportedNowOrBefore() throws {
        let integrator: JSONValue = ["type": "company", "ref": "I-1", "name": "Integrator", "views": ["system_integrator"]]
        let delegating: JSONValue = ["type": "company", "ref": "C-2", "name": "Customer", "views": ["customer"], "integrators": ["I-1"]]
        _ = try importRows([integrator, delegating, ImportCommandTests.product, ImportCommandTests.license(1, ["owner": "C-2"])])
        _ = try importRows([ImportCommandTests.license(2, ["owner": "C-2"])])
        let parties = try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [.licenseCreated], company: nil, limit: 10).map { event in
                try JSONParser.parse(Array(event.body.utf8), maxDepth: 16)["parties"]
            }
        }
        #expect(parties == [["co_ext_C-2", "co_ext_I-1"], ["co_ext_C-2", "co_ext_I-1"]])
    }

    @Test func companiesAreNumberedInTheOrderRowsFirstNameThem() throws {
        let numbers = CompanyNumbers()
        let rows = try [
            ImportCommandTests.company, ImportCommandTests.license(1, ["reseller": "R-1"]),
            ImportCommandTests.license(2, ["distributor": "R-1", "reseller": "C-1"]),
        ].map { try ImportRow.parse($0.objectValue ?? [:]) }
        #expect(rows.map(numbers.numbers(of:)) == [[0], [0, 1], [0, 0, 1]])
    }
}
