import PortalCore
import PortalProtocol
import PortalStore

/// `company.*`: the order team's back office for customer and channel companies.
enum CompanyCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        let backOffice = CommandAccess.staff([.order])
        registry.register("company.create", access: backOffice, create)
        registry.register("company.update", access: backOffice, update)
        registry.register("company.get", access: .staff([.order, .activation, .support]), get)
        registry.register("company.list", access: .staff([.order, .activation, .support]), list)
    }

    static func create(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        guard let views = try views(arguments) else {
            throw PortalError.badRequest("args.views is required: the user groups the company belongs to")
        }
        let company = Company(
            id: OpaqueID.make(prefix: "co"), name: try arguments.string("name", maxLength: 200),
            views: views, createdAt: context.environment.clock.now)
        try context.environment.store.write { writer in try writer.insert(company) }
        return company.json
    }

    static func update(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let id = try arguments.string("company")
        let name = try arguments.optionalString("name", maxLength: 200)
        let views = try views(arguments)
        return try context.environment.store.write { writer in
            guard var company = try writer.company(id: id) else { throw notFound(id) }
            if let name { company.name = name }
            if let views { company.views = views }
            try writer.update(company)
            return company.json
        }
    }

    static func get(_ context: CommandContext) throws -> any Encodable & Sendable {
        let id = try context.arguments.string("company")
        return try context.environment.store.read { reader in
            guard let company = try reader.company(id: id) else { throw notFound(id) }
            return company.json
        }
    }

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let limit = try arguments.optionalInt("limit", in: 1...500) ?? 50
        let cursor = try arguments.optionalString("cursor")
        let page = try context.environment.store.read { reader in
            try reader.companies(after: cursor, limit: limit + 1)
        }
        return JSONValue.object([
            "items": .array(page.prefix(limit).map(\.json)),
            "next_cursor": page.count > limit ? .string(page[limit - 1].id) : .null,
        ])
    }

    /// `args.views`, each a known view name, at least one, when given.
    private static func views(_ arguments: ArgumentReader) throws -> Set<PortalView>? {
        try arguments.optionalStrings("views").map { names in
            guard !names.isEmpty else {
                throw PortalError.badRequest("args.views must name at least one view: every company belongs to a user group")
            }
            return Set(try names.map { name in
                guard let view = PortalView(rawValue: name) else {
                    throw PortalError.badRequest(
                        "unknown view '\(name)'; the views are \(PortalView.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return view
            })
        }
    }

    private static func notFound(_ id: String) -> PortalError {
        PortalError(.notFound, "no company with id '\(id)'")
    }
}
