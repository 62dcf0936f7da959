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
        let named = try LicenseSelection.arguments(arguments, purpose: "to destroy", max: Destruction.maxLicenses)
        let comment = try arguments.optionalString("comment", maxLength: 2_000)
        guard Destruction.isConfirmed(by: try arguments.optionalString("confirm", maxLength: 100)) else {
            throw PortalError.badRequest(
                "args.confirm must be exactly '\(Destruction.confirmationWord)': type \(Destruction.confirmationWord) to confirm that the licenses are destroyed for good")
        }
        let caller = try context.authenticatedCaller
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            let licenses = try LicenseSelection.licenses(
                named, view: view, company: company, reader: writer, outcome: "nothing was destroyed")
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
}
