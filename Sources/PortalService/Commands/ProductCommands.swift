import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `product.*` and `release.*`: the order team maintains the catalogue and publishes releases.
enum ProductCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        let readers = CommandAccess.staff([.order, .activation, .support])
        registry.register("product.upsert", access: .staff([.order]), mutating: true, upsert)
        registry.register("product.list", access: readers, list)
        registry.register("release.publish", access: .staff([.order]), mutating: true, publish)
        registry.register("release.list", access: readers, releases)
    }

    /// Creates a product (without `product`) or renames / moves one; the line is created by name when new.
    static func upsert(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let id = try arguments.optionalString("product", maxLength: 100)
        let name = try arguments.string("name", maxLength: 200)
        let lineName = try arguments.string("line", maxLength: 100)
        return try context.environment.store.write { writer in
            let line = try writer.productLines().first { $0.name == lineName }
                ?? ProductLine(id: OpaqueID.make(prefix: "pl"), name: lineName)
            _ = try writer.insertIfMissing(line)
            if let id {
                guard try writer.products().contains(where: { $0.id == id }) else {
                    throw PortalError(.notFound, "no product with id '\(id)'")
                }
                let product = Product(id: id, productLineID: line.id, name: name)
                try writer.update(product)
                return json(product, line: line)
            }
            let product = Product(id: OpaqueID.make(prefix: "pr"), productLineID: line.id, name: name)
            try writer.insert(product)
            return json(product, line: line)
        }
    }

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        try context.environment.store.read { reader in
            let lines = Dictionary(uniqueKeysWithValues: try reader.productLines().map { ($0.id, $0) })
            return JSONValue.object(["items": .array(try reader.products().map { product in
                json(product, line: lines[product.productLineID] ?? ProductLine(id: product.productLineID, name: ""))
            })])
        }
    }

    static func publish(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let productID = try arguments.string("product", maxLength: 100)
        guard case .array(let items)? = context.request.arguments["artifacts"], !items.isEmpty else {
            throw PortalError.badRequest("args.artifacts is required: the release's files, one per platform")
        }
        let artifacts = try items.enumerated().map { index, item in
            guard case .object(let fields) = item else {
                throw PortalError.badRequest("args.artifacts[\(index)] must be an object")
            }
            let artifact = ArgumentReader(fields, path: "args.artifacts[\(index)]")
            let sha256 = try artifact.string("sha256", maxLength: 64).lowercased()
            guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
                throw PortalError.badRequest("args.artifacts[\(index)].sha256 must be 64 hex digits")
            }
            return Release.Artifact(
                platform: try artifact.string("platform", maxLength: 50), fileName: try artifact.string("file", maxLength: 255),
                size: Int64(try artifact.optionalInt("size", in: 1...Int.max) ?? 0), sha256: sha256)
        }
        guard Set(artifacts.map(\.platform)).count == artifacts.count else {
            throw PortalError.badRequest("args.artifacts names a platform twice")
        }
        let release = Release(
            id: OpaqueID.make(prefix: "re"), productID: productID, version: try arguments.string("version", maxLength: 50),
            releasedAt: try arguments.optionalTimestamp("released_at") ?? context.environment.clock.now,
            notes: try arguments.optionalString("notes", maxLength: 20_000) ?? "", artifacts: artifacts)
        return try context.environment.store.write { writer in
            guard try writer.products().contains(where: { $0.id == productID }) else {
                throw PortalError(.notFound, "no product with id '\(productID)'")
            }
            try writer.insert(release)
            return json(release)
        }
    }

    static func releases(_ context: CommandContext) throws -> any Encodable & Sendable {
        let productID = try context.arguments.string("product", maxLength: 100)
        return try context.environment.store.read { reader in
            JSONValue.object(["items": .array(try reader.releases(productID: productID).map(json))])
        }
    }

    static func json(_ product: Product, line: ProductLine) -> JSONValue {
        ["id": .string(product.id), "name": .string(product.name), "line": ["id": .string(line.id), "name": .string(line.name)]]
    }

    static func json(_ release: Release) -> JSONValue {
        [
            "id": .string(release.id), "product": .string(release.productID), "version": .string(release.version),
            "released_at": .string(RFC3339.string(from: release.releasedAt)), "notes": .string(release.notes),
            "artifacts": .array(release.artifacts.map { artifact in
                [
                    "platform": .string(artifact.platform), "file": .string(artifact.fileName),
                    "size": .int(artifact.size), "sha256": .string(artifact.sha256),
                ]
            }),
        ]
    }
}
