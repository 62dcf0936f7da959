import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `license.destroy` and the destruction records: the holder declares licenses destroyed, all
/// of them or none, in place of the paper letter of destruction.
enum DestructionCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("license.destroy", access: .feature(.destroyLicenses), mutating: true, destroy)
        registry.register("license.destructions", access: .feature(.destroyLicenses), list)
    }

    static func destroy(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let arguments = context.arguments
        let named = try licenseArguments(arguments)
        let comment = try arguments.optionalString("comment", maxLength: 2_000)
        guard Destruction.isConfirmed(by: try arguments.optionalString("confirm", maxLength: 100)) else {
            throw PortalError.badRequest(
                "args.confirm must be exactly '\(Destruction.confirmationWord)': type \(Destruction.confirmationWord) to confirm that the licenses are destroyed for good")
        }
        let caller = try context.authenticatedCaller
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            // Every license is checked before anything changes: the first that fails names itself.
            let visibility = LicenseVisibility(view: view, company: company)
            var licenses: [License] = []
            var seen: [String: String] = [:]
            for idOrKey in named {
                guard let license = try writer.license(idOrKey: idOrKey, visibility: visibility) else {
                    throw PortalError(
                        .notFound, "no license '\(idOrKey)' in your \(view.rawValue) view; nothing was destroyed",
                        details: ["license": .string(idOrKey)])
                }
                if let earlier = seen[license.id] {
                    throw PortalError.badRequest(
                        "args.licenses names license \(license.id) twice ('\(earlier)' and '\(idOrKey)')",
                        details: ["license": .string(license.id)])
                }
                seen[license.id] = idOrKey
                guard license.destroyedAt == nil else {
                    throw PortalError(
                        .conflict, "license '\(idOrKey)' is destroyed already; nothing was destroyed",
                        details: ["license": .string(license.id), "status": .string(LicenseStatus.destroyed.rawValue)])
                }
                licenses.append(license)
            }
            let destruction = Destruction(
                id: OpaqueID.make(prefix: "de"), companyID: company, view: view, destroyedBy: caller.user.id,
                destroyedAt: now, comment: comment,
                licenses: licenses.map { Destruction.Item(licenseID: $0.id, key: $0.key) })
            try writer.insert(destruction)
            var events: [PortalEvent] = []
            for license in licenses {
                let integrators = try writer.delegatedIntegrators(of: license)
                events.append(.license(
                    .licenseDestroyed, license, integrators: integrators, cause: cause, at: now,
                    data: ["destruction": ["id": .string(destruction.id), "comment": comment.map(JSONValue.string) ?? .null]]))
                if let status = PortalEvent.licenseStatus(
                    license, from: license.status(at: now), to: .destroyed, integrators: integrators, cause: cause, at: now)
                {
                    events.append(status)
                }
            }
            try writer.append(events)
            return JSONValue.object(["destruction": destruction.json])
        }
    }

    /// The own company's destruction records, newest first.
    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (_, company) = try LicenseCommands.viewAndCompany(context)
        let arguments = context.arguments
        let limit = try arguments.optionalInt("limit", in: 1...500) ?? 50
        let cursor = try arguments.optionalString("cursor", maxLength: 100)
        let page = try context.environment.store.read { reader in
            try reader.destructions(companyID: company, after: cursor, limit: limit)
        }
        return JSONValue.object([
            "items": .array(page.items.map(\.json)), "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null,
        ])
    }

    /// `args.licenses`: 1 to 500 ids or keys as typed, none twice (keys compared as keys).
    private static func licenseArguments(_ arguments: ArgumentReader) throws -> [String] {
        guard let raw = try arguments.optionalStrings("licenses") else {
            throw PortalError.badRequest("args.licenses is required: the ids or keys of the licenses to destroy")
        }
        guard (1...Destruction.maxLicenses).contains(raw.count) else {
            throw PortalError.badRequest("args.licenses must name 1 to \(Destruction.maxLicenses) licenses, not \(raw.count)")
        }
        var seen: Set<String> = []
        return try raw.enumerated().map { index, typed in
            let value = typed.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty, value.count <= 100 else {
                throw PortalError.badRequest("args.licenses[\(index)] must be a license id or key of 1 to 100 characters")
            }
            guard seen.insert(LicenseKey(value)?.text ?? value).inserted else {
                throw PortalError.badRequest("args.licenses names '\(value)' twice", details: ["license": .string(value)])
            }
            return value
        }
    }
}
