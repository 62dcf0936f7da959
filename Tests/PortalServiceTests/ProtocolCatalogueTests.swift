import Foundation
import PortalProtocol
@testable import PortalService
import Testing

/// The protocol folder documents exactly the commands the server registers, each with a schema
/// of its args and result and its access rule, so the contract cannot drift from the code.
@Suite struct ProtocolCatalogueTests {
    static var protocolFolder: URL {
        URL(fileURLWithPath: #filePath)  // <root>/Tests/PortalServiceTests/ProtocolCatalogueTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("protocol", isDirectory: true)
    }

    static func schemas() throws -> [String: JSONValue] {
        let folder = protocolFolder.appendingPathComponent("commands", isDirectory: true)
        var schemas: [String: JSONValue] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".schema.json") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            schemas[String(name.dropLast(".schema.json".count))] = try JSONParser.parse(Array(data), maxDepth: 64)
        }
        return schemas
    }

    @Test func everyRegisteredCommandHasASchemaAndNoSchemaIsStale() throws {
        let schemas = try Self.schemas()
        #expect(Set(schemas.keys) == Set(CommandRegistry.standard.commands))
    }

    @Test func everySchemaNamesItsCommandAccessArgsAndResult() throws {
        for (name, schema) in try Self.schemas() {
            #expect(schema["title"]?.stringValue == name, "\(name)")
            #expect(schema["access"]?.stringValue?.isEmpty == false, "\(name) has no access rule")
            #expect(schema["$defs"]?["args"] != nil && schema["$defs"]?["result"] != nil, "\(name) lacks args or result")
        }
    }

    /// The access rule as the schemas and the command table write it.
    static func documented(_ access: CommandAccess) -> String {
        switch access {
        case .anyone: "anyone"
        case .session: "session"
        case .feature(let feature): "feature: \(feature.rawValue)"
        case .companyAdmin: "company admin"
        case .staff(let roles): "staff: " + roles.sorted().map(\.rawValue).joined(separator: ", ")
        case .featureOrStaff(let feature, let roles):
            "feature: \(feature.rawValue), or staff: " + roles.sorted().map(\.rawValue).joined(separator: ", ")
        }
    }

    @Test func everySchemaStatesTheAccessRuleTheServerEnforces() throws {
        let registry = CommandRegistry.standard
        for (name, schema) in try Self.schemas() {
            let access = try #require(registry.entry(for: name)?.access)
            #expect(schema["access"]?.stringValue == Self.documented(access), "\(name)")
        }
    }

    @Test func theProtocolReadmeListsEveryCommand() throws {
        let readme = try String(contentsOf: Self.protocolFolder.appendingPathComponent("README.md"), encoding: .utf8)
        for command in CommandRegistry.standard.commands {
            #expect(readme.contains("| `\(command)` |"), "\(command) is missing from the command table")
        }
    }
}
