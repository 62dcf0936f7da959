import PortalCore
import PortalProtocol
import PortalStore

/// `company.*`: the order team's back office for customer and channel companies.
enum CompanyCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        let backOffice = CommandAccess.staff([.order])
        registry.register("company.create", access: backOffice, mutating: true, create)
        registry.register("company.update", access: backOffice, mutating: true, update)
        registry.register("company.get", access: .staff([.order, .activation, .support]), get)
        registry.register("company.list", access: .staff([.order, .activation, .support]), list)
    }

    static func create(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        var company = Company(
            id: OpaqueID.make(prefix: "co"), name: try arguments.string("name", maxLength: 200), views: [],
            createdAt: context.environment.clock.now)
        guard arguments.has("views") else {
            throw PortalError.badRequest("args.views is required: the user groups the company belongs to")
        }
        return try context.environment.store.write { writer in
            try apply(arguments, to: &company, reader: writer)
            try writer.insert(company)
            try writer.append(.company(.companyCreated, company, cause: context.eventCause, at: company.createdAt))
            return company.json
        }
    }

    static func update(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let id = try arguments.string("company")
        return try context.environment.store.write { writer in
            guard var company = try writer.company(id: id) else { throw notFound(id) }
            let before = company
            if let name = try arguments.optionalString("name", maxLength: 200) { company.name = name }
            try apply(arguments, to: &company, reader: writer)
            // An update that changes nothing is no change: no write, no event.
            if company != before {
                try writer.update(company)
                try writer.append(.company(.companyUpdated, company, cause: context.eventCause, at: context.environment.clock.now))
            }
            return company.json
        }
    }

    /// Applies `views`, `integrators` and `contract` from the arguments, checking that they fit:
    /// integrators must be companies with the system_integrator view, a contract needs the
    /// service_provider view.
    private static func apply(_ arguments: ArgumentReader, to company: inout Company, reader: any StoreReader) throws {
        if let views = try views(arguments) { company.views = views }
        if let integrators = try arguments.optionalStrings("integrators") {
            for id in integrators {
                guard let integrator = try reader.company(id: id), integrator.views.contains(.systemIntegrator) else {
                    throw PortalError.badRequest("args.integrators: '\(id)' is not a company with the system_integrator view")
                }
            }
            company.integrators = Set(integrators)
        }
        if arguments.has("contract") {
            company.contract = try arguments.optionalObject("contract").map { contract in
                let quota = try contract.optionalInt("quota", in: 0...1_000_000)
                guard let quota, let startsAt = try contract.optionalTimestamp("starts_at"),
                      let endsAt = try contract.optionalTimestamp("ends_at")
                else { throw PortalError.badRequest("args.contract needs quota, starts_at and ends_at") }
                guard startsAt < endsAt else { throw PortalError.badRequest("args.contract.ends_at must be after starts_at") }
                return ProviderContract(quota: quota, startsAt: startsAt, endsAt: endsAt)
            }
        }
        if company.contract != nil && !company.views.contains(.serviceProvider) {
            throw PortalError.badRequest("a contract is for companies with the service_provider view")
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
