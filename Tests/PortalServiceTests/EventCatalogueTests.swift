import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// The event catalogue in `protocol/events/`: a schema and an example for every event type, and
/// the events the handlers really write conform to those schemas, so that subscribers can rely
/// on the documented shapes.
@Suite struct EventCatalogueTests {
    static let protocolFolder = URL(fileURLWithPath: #filePath)  // <root>/Tests/PortalServiceTests/<this file>
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol", isDirectory: true)
    static let eventsFolder = protocolFolder.appendingPathComponent("events", isDirectory: true)

    /// The events of the account, company and import commands, which the handler test below
    /// drives to the store; the license actions' tests check theirs against the same schemas.
    static let accountEvents: Set<EventType> = [
        .companyCreated, .companyUpdated, .userRegistered, .userConfirmed, .userApproved, .userRejected,
        .userAdded, .userRemoved, .licenseCreated,
    ]

    let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)

    static func schema(of type: String) -> String { "events/\(type).schema.json" }

    static func example(of type: EventType) throws -> JSONValue {
        let data = try Data(contentsOf: eventsFolder.appendingPathComponent("\(type.rawValue).example.json"))
        return try JSONParser.parse(Array(data), maxDepth: 64)
    }

    /// What the schemas cannot say: parties are sorted and include the company, and a license key
    /// carries a correct check digit.
    static func expectFactsBeyondTheSchema(_ event: JSONValue, _ label: String) {
        let parties = event["parties"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(parties == parties.sorted(), "\(label): parties are not sorted")
        #expect(event["company"]?.stringValue.map(parties.contains) == true, "\(label): company is not among the parties")
        if let key = event["data"]?["license"]?["key"]?.stringValue {
            #expect(LicenseKey(key)?.text == key, "\(label): \(key) is not a license key in canonical form")
        }
    }

    // MARK: The catalogue

    @Test func everyEventTypeHasASchemaAndAnExampleAndNothingElseIsThere() throws {
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.eventsFolder.path))
        let expected = Set(EventType.allCases.flatMap { ["\($0.rawValue).schema.json", "\($0.rawValue).example.json"] })
            .union(["event.schema.json"])
        #expect(files.subtracting(expected).isEmpty, "files for no known event type: \(files.subtracting(expected).sorted())")
        #expect(expected.subtracting(files).isEmpty, "missing: \(expected.subtracting(files).sorted())")
    }

    @Test(arguments: EventType.allCases)
    func theSchemaNamesItsTypeAndBuildsOnTheEnvelope(type: EventType) throws {
        let data = try Data(contentsOf: Self.eventsFolder.appendingPathComponent("\(type.rawValue).schema.json"))
        let schema = try JSONParser.parse(Array(data), maxDepth: 64)
        #expect(schema["$id"]?.stringValue == Self.schema(of: type.rawValue))
        #expect(schema["title"]?.stringValue == type.rawValue)
        #expect(schema["description"]?.stringValue?.isEmpty == false)
        #expect(schema["allOf"]?.arrayValue?.first == ["$ref": "event.schema.json"])
        #expect(schema["description"]?.stringValue?.contains("Emitted by") == true || Self.accountEvents.contains(type), "\(type) does not say what emits it")
    }

    @Test(arguments: EventType.allCases)
    func theExampleConformsToItsSchema(type: EventType) throws {
        let example = try Self.example(of: type)
        #expect(example["type"]?.stringValue == type.rawValue)
        let violations = try validator.validate(example, against: Self.schema(of: type.rawValue))
        #expect(violations.isEmpty, "\(violations)")
        Self.expectFactsBeyondTheSchema(example, type.rawValue)
    }

    // MARK: The validator bites

    /// `value` with the member at `path` replaced, or removed when `replacement` is nil.
    static func changing(_ value: JSONValue, _ path: [String], to replacement: JSONValue?) -> JSONValue {
        guard let name = path.first, case .object(var members) = value else { return replacement ?? .null }
        if path.count == 1 {
            members[name] = replacement
        } else if let member = members[name] {
            members[name] = changing(member, Array(path.dropFirst()), to: replacement)
        }
        return .object(members)
    }

    @Test func brokenEventsAreRejectedWhereTheyBreak() throws {
        let rejected = try Self.example(of: .userRejected)
        let expiring = try Self.example(of: .licenseExpiring)
        let cases: [(event: JSONValue, schema: String, path: String)] = [
            (Self.changing(rejected, ["data", "user"], to: nil), "user.rejected", "$.data"),
            (Self.changing(rejected, ["data", "user", "status"], to: "sulking"), "user.rejected", "$.data.user.status"),
            (Self.changing(rejected, ["extra"], to: true), "user.rejected", "$.extra"),
            (Self.changing(rejected, ["data", "note"], to: "hello"), "user.rejected", "$.data.note"),
            (Self.changing(rejected, ["seq"], to: "63"), "user.rejected", "$.seq"),
            (Self.changing(rejected, ["seq"], to: 0), "user.rejected", "$.seq"),
            (Self.changing(rejected, ["at"], to: "2026-11-29 10:31"), "user.rejected", "$.at"),
            (Self.changing(rejected, ["parties"], to: []), "user.rejected", "$.parties"),
            (Self.changing(rejected, ["data", "cause"], to: "schedule"), "user.rejected", "$.data"),
            (rejected, "user.approved", "$.type"),
            (Self.changing(expiring, ["data", "days_left"], to: 29), "license.expiring", "$.data.days_left"),
            (Self.changing(expiring, ["data", "license", "key"], to: "not-a-key"), "license.expiring", "$.data.license.key"),
            (Self.changing(expiring, ["data", "command"], to: "license.get"), "license.expiring", "$.data"),
        ]
        for (event, schema, path) in cases {
            let violations = try validator.validate(event, against: Self.schema(of: schema))
            #expect(violations.contains { $0.path == path }, "expected a violation at \(path) against \(schema): \(violations)")
        }
    }

    @Test func theValidatorRefusesKeywordsItDoesNotKnow() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-schemas-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Hidden in an unused definition: no instance reaches it, and it is still refused.
        let schema = #"{"type": "object", "$defs": {"unused": {"patternProperties": {"^x-": {"type": "string"}}}}}"#
        try Data(schema.utf8).write(to: folder.appendingPathComponent("strict.schema.json"))
        let validator = JSONSchemaValidator(protocolFolder: folder)
        #expect(throws: JSONSchemaValidator.UnsupportedSchema.self) { try validator.validate([:], against: "strict.schema.json") }
        #expect(throws: JSONSchemaValidator.UnsupportedSchema.self) { try validator.validate([:], against: "../outside.schema.json") }
    }

    @Test func theValidatorUnderstandsEverySchemaInTheProtocolFolder() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.protocolFolder.path))
        let schemas = files.compactMap { $0 as? String }.filter { $0.hasSuffix(".schema.json") }
        #expect(schemas.count > EventType.allCases.count)
        for schema in schemas {
            #expect(throws: Never.self, "\(schema)") { try validator.load(schema) }
        }
    }

    // MARK: The events the server writes

    /// Every stored event, each checked against its type's schema; seq must count 1, 2, 3, …
    static func storedEvents(_ store: SQLiteStore, validator: JSONSchemaValidator) throws -> [JSONValue] {
        let stored = try store.read { reader in
            try reader.events(after: 0, through: Int64.max, types: [], company: nil, limit: 1_000)
        }
        #expect(stored.map(\.seq) == (0..<Int64(stored.count)).map { $0 + 1 }, "seq has gaps")
        return try stored.map { event in
            let body = try JSONParser.parse(Array(event.body.utf8), maxDepth: 64)
            #expect(EventType(rawValue: event.type) != nil, "unknown type \(event.type)")
            #expect(body["seq"]?.intValue == event.seq && body["type"]?.stringValue == event.type)
            #expect(body["company"]?.stringValue == event.company)
            let violations = try validator.validate(body, against: schema(of: event.type))
            #expect(violations.isEmpty, "\(event.body): \(violations)")
            expectFactsBeyondTheSchema(body, "event \(event.seq)")
            return body
        }
    }

    @Test func theEventsOfTodaysCommandsConformToTheirSchemas() throws {
        let fixture = try AccountFixture()
        let order = try fixture.staffToken([.order])
        func result(_ reply: AccountReply) throws -> JSONValue {
            try #require(reply.ok, "\(reply)")
            return reply.result
        }

        // company.created (with and without a contract), company.updated
        let integrator = try result(fixture.send("company.create", auth: order, args: [
            "name": "Systemhaus Nord GmbH", "views": ["system_integrator"],
        ]))["id"]
        let customer = try result(fixture.send("company.create", auth: order, args: [
            "name": "Müller Druck GmbH", "views": ["customer"], "integrators": [try #require(integrator)],
        ]))["id"]
        _ = try result(fixture.send("company.create", auth: order, args: [
            "name": "Cloud Print Ltd", "views": ["service_provider"],
            "contract": ["quota": 20, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"],
        ]))
        _ = try result(fixture.send("company.update", auth: order, args: ["company": try #require(customer), "name": "Müller Druck AG"]))

        // user.added by the order team and by a company admin, user.removed
        _ = try result(fixture.send("user.create", auth: order, args: [
            "company": try #require(customer), "email": "anna@mueller.example", "name": "Anna Admin",
            "password": "a long passphrase", "role": "admin",
        ]))
        let admin = try #require(fixture.login("anna@mueller.example", "a long passphrase").result["token"]?.stringValue)
        let member = try result(fixture.send("user.add", auth: admin, args: [
            "email": "tom@mueller.example", "name": "Tom Member", "password": "a long passphrase",
        ]))
        _ = try result(fixture.send("user.remove", auth: admin, args: ["user": try #require(member["id"])]))

        // license.import: company.created, user.added, license.created (seen by the delegated integrator too)
        let imported = try result(fixture.send("license.import", auth: order, args: ["rows": [
            ["type": "company", "ref": "SI-1", "name": "Systemhaus Süd GmbH", "views": ["system_integrator"]],
            ["type": "company", "ref": "C-1", "name": "Customer AG", "views": ["customer"], "integrators": ["SI-1"]],
            ["type": "user", "email": "boss@customer.example", "name": "Bea Boss", "company": "C-1", "role": "admin"],
            ["type": "product", "ref": "TP-HUB", "name": "ThinPrint Hub", "line": "ThinPrint"],
            [
                "type": "license", "order_reference": "SO-1", "order_date": "2026-01-15T00:00:00Z", "product": "TP-HUB",
                "owner": "C-1", "model": "alm", "runtime_end": "2027-01-15T00:00:00Z", "service_end": "2027-01-15T00:00:00Z",
            ],
        ]]))
        #expect(imported["errors"] == [], "\(imported)")

        // Registration: user.registered, user.confirmed, then user.approved or user.rejected.
        func registerAndConfirm(_ email: String) throws -> JSONValue {
            let registered = try result(fixture.send("auth.register", args: [
                "email": .string(email), "password": "a long passphrase", "name": "New User", "company_name": "Customer AG",
                "as": "customer", "license_key": .string(derivedLicenseKey(orderReference: "SO-1", position: 1).text),
            ]))
            let mails = try fixture.store.read { reader in try reader.unsentMail(limit: 100) }
            let body = try #require(mails.last { $0.recipient == email }?.body)
            let token = String(try #require(body.split(separator: " ").last))
            _ = try result(fixture.send("user.confirm_email", args: ["token": .string(token)]))
            return try #require(registered["user"]?["id"])
        }
        _ = try result(fixture.send("user.approve", auth: order, args: ["user": try registerAndConfirm("new@customer.example")]))
        _ = try result(fixture.send("user.reject", auth: order, args: [
            "user": try registerAndConfirm("other@customer.example"), "reason": "not an employee of Customer AG",
        ]))

        let events = try Self.storedEvents(fixture.store, validator: validator)
        #expect(Set(events.compactMap { $0["type"]?.stringValue }) == Set(Self.accountEvents.map(\.rawValue)))
        // Only requests without a session leave `by` out.
        let anonymous = Set(events.filter { $0["data"]?["by"] == nil }.compactMap { $0["data"]?["command"]?.stringValue })
        #expect(anonymous == ["auth.register", "user.confirm_email"])
        let license = try #require(events.first { $0["type"] == "license.created" })
        #expect(license["parties"] == ["co_ext_C-1", "co_ext_SI-1"])
    }

    @Test func theDemoPortalsEventsConformToTheirSchemas() throws {
        let fixture = try AccountFixture()
        _ = try DemoData(store: fixture.store, passwords: .minimalCost, now: fixture.clock.now).generate()
        let events = try Self.storedEvents(fixture.store, validator: validator)
        #expect(events.count > 20)
        // The command line acts as nobody.
        #expect(events.allSatisfy { $0["data"]?["command"] == "portald demo-data" && $0["data"]?["by"] == nil })
    }
}
