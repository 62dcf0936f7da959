import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `license.activate` and reactivation past the self-service limit: requested by the customer
/// side, decided by the activation team.
enum ActivationCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("license.activate", access: .feature(.softwareActivation), mutating: true, activate)
        registry.register("license.reactivation_request", access: .feature(.softwareActivation), mutating: true, requestReactivation)
        registry.register("reactivation.list", access: .staff([.activation]), list)
        registry.register("reactivation.approve", access: .staff([.activation]), mutating: true, approve)
        registry.register("reactivation.reject", access: .staff([.activation]), mutating: true, reject)
    }

    static func activate(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let idOrKey = try context.arguments.string("license", maxLength: 100)
        let registrationKey = try self.registrationKey(context.arguments)
        let caller = try context.authenticatedCaller
        let activator = self.activator(context)
        let store = context.environment.store
        // Decided and signed on a snapshot, so that the write (one at a time) neither signs nor
        // runs for a refusal or for a server that has its activation already.
        let preparation = try store.read { reader in
            let license = try visibleLicense(idOrKey, view: view, company: company, reader: reader)
            return (license, try activator.prepare(license, registrationKey: registrationKey, by: caller.user.id, reader: reader))
        }
        let license: License
        let activation: Activation
        switch preparation {
        case (let read, .existing(let existing)):
            (license, activation) = (read, existing)
        case (_, .new(let prepared)):
            (license, activation) = try store.write { writer in
                let license = try visibleLicense(idOrKey, view: view, company: company, reader: writer)
                return (license, try activator.activate(license, registrationKey: registrationKey, by: caller.user.id, prepared: prepared, writer: writer))
            }
        }
        var json = JSONWriter()
        json.object { json in
            json.key("activation")
            activation.write(license: license, at: activator.now, certificate: true, to: &json)
        }
        return JSONText(json)
    }

    static func requestReactivation(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let arguments = context.arguments
        let idOrKey = try arguments.string("license", maxLength: 100)
        let registrationKey = try self.registrationKey(arguments)
        let reason = try arguments.string("reason", maxLength: 2_000)
        let caller = try context.authenticatedCaller
        let now = context.environment.clock.now
        return try context.environment.store.write { writer in
            let license = try visibleLicense(idOrKey, view: view, company: company, reader: writer)
            let activations = try writer.activations(licenseID: license.id)
            guard !context.environment.reactivation.allowsSelfService(activations, at: now) else {
                throw PortalError(.conflict, "this license can still be reactivated without the activation team: use license.activate")
            }
            if let pending = try writer.reactivationRequests(status: .pending, licenseID: license.id, limit: 1).first {
                throw PortalError(
                    .conflict, "a reactivation request for this license is waiting for the activation team already",
                    details: ["request": .string(pending.id)])
            }
            let request = ReactivationRequest(
                id: OpaqueID.make(prefix: "rr"), licenseID: license.id, companyID: company, requestedBy: caller.user.id,
                registrationKey: registrationKey, reason: reason, createdAt: now)
            try writer.insert(request)
            return JSONValue.object(["request": request.json])
        }
    }

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let status = try arguments.optionalEnum("status", ReactivationRequest.Status.self) ?? .pending
        let limit = try arguments.optionalInt("limit", in: 1...500) ?? 100
        let requests = try context.environment.store.read { reader in
            try reader.reactivationRequests(status: status, licenseID: nil, limit: limit)
        }
        return JSONValue.object(["items": .array(requests.map(\.json))])
    }

    /// Reactivates the license for the requested server, past the limit, and closes the request.
    static func approve(_ context: CommandContext) throws -> any Encodable & Sendable {
        let note = try context.arguments.optionalString("note", maxLength: 2_000)
        let caller = try context.authenticatedCaller
        let now = context.environment.clock.now
        return try context.environment.store.write { writer in
            var request = try pendingRequest(context, reader: writer)
            guard let license = try writer.license(id: request.licenseID) else {
                throw PortalError(.internal, "reactivation request \(request.id) names no license")
            }
            let activation = try activator(context)
                .activate(license, registrationKey: request.registrationKey, by: caller.user.id, approved: true, writer: writer)
            request.status = .approved
            request.decidedAt = now
            request.decidedBy = caller.user.id
            request.note = note
            try writer.update(request)
            var json = JSONWriter()
            json.object { json in
                json.key("activation")
                activation.write(license: license, at: now, certificate: true, to: &json)
                json.member("request", request.json)
            }
            return JSONText(json)
        }
    }

    static func reject(_ context: CommandContext) throws -> any Encodable & Sendable {
        let reason = try context.arguments.string("reason", maxLength: 2_000)
        let caller = try context.authenticatedCaller
        return try context.environment.store.write { writer in
            var request = try pendingRequest(context, reader: writer)
            request.status = .rejected
            request.decidedAt = context.environment.clock.now
            request.decidedBy = caller.user.id
            request.note = reason
            try writer.update(request)
            return JSONValue.object(["request": request.json])
        }
    }

    // MARK: Shared

    private static func activator(_ context: CommandContext) -> LicenseActivator {
        LicenseActivator(
            signer: context.environment.signer, policy: context.environment.reactivation, now: context.environment.clock.now,
            cause: context.eventCause)
    }

    private static func registrationKey(_ arguments: ArgumentReader) throws -> RegistrationKey {
        let typed = try arguments.string("registration_key", maxLength: 40)
        guard let key = RegistrationKey(typed) else {
            throw PortalError.badRequest(
                "args.registration_key must be 25 characters of Crockford base32 (digits and capital letters without I, L, O, U) in five groups of five joined by '-', e.g. 8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B")
        }
        return key
    }

    /// The license of the view, or `not_found`: another company's license is simply not there.
    private static func visibleLicense(_ idOrKey: String, view: PortalView, company: String, reader: any StoreReader) throws -> License {
        guard let license = try reader.license(idOrKey: idOrKey, visibility: LicenseVisibility(view: view, company: company)) else {
            throw PortalError(.notFound, "no license '\(idOrKey)' in your \(view.rawValue) view")
        }
        return license
    }

    private static func pendingRequest(_ context: CommandContext, reader: any StoreReader) throws -> ReactivationRequest {
        let id = try context.arguments.string("request", maxLength: 100)
        guard let request = try reader.reactivationRequest(id: id) else {
            throw PortalError(.notFound, "no reactivation request '\(id)'")
        }
        guard request.status == .pending else {
            throw PortalError(
                .conflict, "the request is \(request.status.rawValue) already", details: ["status": .string(request.status.rawValue)])
        }
        return request
    }
}
