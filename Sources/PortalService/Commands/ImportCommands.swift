import PortalProtocol

/// `license.import`: the order system sends its companies, users, products and licenses.
enum ImportCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("license.import", access: .staff([.order]), mutating: true, importRows)
    }

    static func importRows(_ context: CommandContext) throws -> any Encodable & Sendable {
        guard case .array(let rows)? = context.request.arguments["rows"] else {
            throw PortalError.badRequest("args.rows is required: an array of row objects")
        }
        let numbered = rows.enumerated().map { index, row in
            guard case .object(let fields) = row else {
                return (number: index + 1, fields: Result<[String: JSONValue], PortalError>.failure(
                    .badRequest("a row must be an object, not \(row.typeName)")))
            }
            return (number: index + 1, fields: .success(fields))
        }
        let environment = context.environment
        let importer = LicenseImporter(
            store: environment.store, passwords: environment.passwords, clock: environment.clock, cause: context.eventCause)
        return try importer.run(numbered).json
    }
}
