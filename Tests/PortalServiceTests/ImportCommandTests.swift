import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// `license.import` and the importer behind it: row-level errors, idempotency, references.
@Suite struct ImportCommandTests {
    let fixture: AccountFixture
    let token: String

    init() throws {
        fixture = try AccountFixture()
        token = try fixture.staffToken([.order])
    }

    private func importRows(_ rows: [JSONValue]) throws -> AccountReply {
        try fixture.send("license.import", auth: token, args: ["rows": .array(rows)])
    }

    static let company: JSONValue = ["type": "company", "ref": "C-1", "name": "Customer AG", "views": ["customer"]]
    static let product: JSONValue = ["type": "product", "ref": "TP", "name": "ThinPrint Engine", "line": "ThinPrint"]
    static func license(_ position: Int64, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var row: [String: JSONValue] = [
            "type": "license", "order_reference": "SO-1", "order_position": .int(position),
            "order_date": "2026-01-15T00:00:00Z", "product": "TP", "owner": "C-1",
        ]
        row.merge(extra) { _, new in new }
        return .object(row)
    }

    @Test func goodRowsAreImportedBadRowsReportedAndSkipped() throws {
        let reply = try importRows([
            Self.company, Self.product, Self.license(1), Self.license(2, ["owner": "C-404"]),
            Self.license(3, ["order_date": "soon"]), Self.license(4, ["key": "not-a-key"]), "just a string",
        ])
        #expect(reply.result["imported"] == ["company": 1, "user": 0, "product": 1, "license": 1])
        let errors = try #require(reply.result["errors"]?.arrayValue)
        #expect(errors.compactMap { $0["row"]?.intValue } == [4, 5, 6, 7])
        #expect(errors.allSatisfy { ($0["message"]?.stringValue ?? "").isEmpty == false })
    }

    @Test func importingTheSameRowsAgainChangesNothing() throws {
        let rows = [Self.company, Self.product, Self.license(1), Self.license(2)]
        _ = try importRows(rows)
        let again = try importRows(rows)
        #expect(again.result["imported"] == ["company": 0, "user": 0, "product": 0, "license": 0])
        #expect(again.result["unchanged"] == 4)
        let keys = try fixture.store.read { reader in
            try reader.license(idOrKey: "li_ext_SO-1_1", visibility: .ownedExceptProvider(company: "co_ext_C-1"))?.key
        }
        #expect(keys == derivedLicenseKey(orderReference: "SO-1", position: 1), "the derived key is stable")
    }

    @Test func importedUsersLogInAndSeeTheImportedLicenses() throws {
        _ = try importRows([
            Self.company, Self.product, Self.license(1, ["model": "alm", "runtime_end": "2030-01-01T00:00:00Z"]),
            ["type": "user", "email": "Boss@Customer.example", "name": "Boss", "company": "C-1", "role": "admin", "password": "a long passphrase"],
        ])
        let login = try fixture.login("boss@customer.example", "a long passphrase")
        let userToken = try #require(login.result["token"]?.stringValue)
        let list = try fixture.send("license.list", auth: userToken, view: "customer")
        #expect(list.result["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["li_ext_SO-1_1"])
    }

    @Test func integratorsMustBeImportedIntegrators() throws {
        let reply = try importRows([
            ["type": "company", "ref": "R", "name": "Shop", "views": ["reseller"]],
            ["type": "company", "ref": "C", "name": "Customer", "views": ["customer"], "integrators": ["R"]],
        ])
        #expect(reply.result["errors"]?.arrayValue?.first?["row"] == 2)
    }

    @Test func onlyTheOrderTeamImports() throws {
        let supportToken = try fixture.staffToken([.support])
        let reply = try fixture.send("license.import", auth: supportToken, args: ["rows": []])
        #expect(reply.errorCode == "forbidden")
        #expect(try fixture.send("license.import", auth: token).errorCode == "bad_request")
    }
}

extension ImportCommandTests {
    @Test func productsJoinALineOfTheSameNameWhateverItsID() throws {
        let created = try fixture.send("product.upsert", auth: token, args: ["name": "ThinPrint Hub", "line": "ThinPrint"])
        let lineID = try #require(created.result["line"]?["id"]?.stringValue, "\(created)")
        let reply = try importRows([Self.product])
        #expect(reply.result["errors"] == [], "\(reply)")
        let lines = try fixture.store.read { reader in try reader.productLines() }
        #expect(lines.map(\.id) == [lineID], "no second line of that name")
        let products = try fixture.store.read { reader in try reader.products() }
        #expect(products.first { $0.id == "pr_ext_TP" }?.productLineID == lineID)
    }
}

extension ImportCommandTests {
    @Test func aFileOfManyBatchesIsImportedInOrderAndOnceOnly() throws {
        let lines = [Self.company, Self.product] + (1...9).map { Self.license(Int64($0)) }
        let text = lines.map { String(decoding: $0.serialized(), as: UTF8.self) }.joined(separator: "\n")
        var importer = LicenseImporter(
            store: fixture.store, passwords: .minimalCost, clock: fixture.clock, cause: .command("portald import", by: nil))
        importer.batchSize = 2
        var progress: [Int] = []
        let report = try importer.run(ImportFileTests.rows(text, .jsonLines, blockSize: 16)) { progress.append($0) }
        #expect(report.imported == ["company": 1, "user": 0, "product": 1, "license": 9])
        #expect(progress == [2, 4, 6, 8, 10, 11])
        let created = try fixture.store.read { reader in
            try reader.events(after: 0, through: .max, types: [.licenseCreated], company: nil, limit: 100)
        }
        #expect(created.count == 9)
        #expect(zip(created, 1...9).allSatisfy { event, position in event.body.contains("\"li_ext_SO-1_\(position)\"") }, "in row order")

        let again = try importer.run(ImportFileTests.rows(text, .jsonLines, blockSize: 5))
        #expect(again.unchanged == 11)
        #expect(try fixture.store.read { try $0.eventRange().lastSeq } == created.last?.seq, "no new events")
    }
}

extension ImportCommandTests {
    @Test func theFirstBatchesAreSmallAndDoubleUpToTheBatchSize() throws {
        let licenses = (1...3_500).map { Self.license(Int64($0)) }
        var importer = LicenseImporter(
            store: fixture.store, passwords: .minimalCost, clock: fixture.clock, cause: .command("portald import", by: nil))
        importer.batchSize = 2_000
        var progress: [Int] = []
        let rows = ([Self.company, Self.product] + licenses).enumerated().map { index, row in
            (number: index + 1, fields: Result<[String: JSONValue], PortalError>.success(row.objectValue ?? [:]))
        }
        let report = try importer.run(rows) { progress.append($0) }
        #expect(report.imported["license"] == 3_500)
        #expect(progress == [1_000, 3_000, 3_502], "1,000 rows, then 2,000, the batch size")
    }
}
