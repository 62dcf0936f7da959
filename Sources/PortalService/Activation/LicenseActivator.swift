import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Activates licenses, inside the caller's store transaction: a first activation, the same
/// server again (its existing activation), or a reactivation that supersedes the oldest current
/// activation, each with its keys, its signed certificate and its events.
struct LicenseActivator {
    let writer: any StoreWriter
    let signer: any TokenSigner
    let policy: ReactivationPolicy
    let now: Date
    let cause: EventCause

    /// Activates `license` for `registrationKey`. Past the self-service reactivation limit it
    /// throws `limit_exceeded`, unless `approved` (the activation team's decision). Returns the
    /// new activation, or the existing one when the same server asks again.
    func activate(_ license: License, registrationKey: RegistrationKey, by userID: String, approved: Bool = false) throws -> Activation {
        try requireActivatable(license)
        let activations = try writer.activations(licenseID: license.id)
        let current = activations.filter { $0.isCurrent && $0.state(at: now, runtimeEnd: license.runtimeEnd) == .active }
        if let existing = current.first(where: { $0.registrationKey == registrationKey }) {
            return existing
        }
        var superseded: Activation?
        if current.count >= license.activationSlots {
            guard approved || policy.allowsSelfService(activations, at: now) else {
                throw PortalError(
                    .limitExceeded,
                    "this license was reactivated \(policy.reactivations(in: activations, at: now)) times in the last \(Int(policy.window / 86_400)) days, the most allowed without the activation team; ask them with license.reactivation_request",
                    details: [
                        "reactivations": .int(Int64(policy.reactivations(in: activations, at: now))),
                        "limit": .int(Int64(policy.limit)), "window_days": .int(Int64(policy.window / 86_400)),
                        "request_command": "license.reactivation_request",
                    ])
            }
            superseded = current.first
        }
        let activation = try makeActivation(for: license, registrationKey: registrationKey, isReactivation: superseded != nil, by: userID)
        try writer.insert(activation)
        if var old = superseded {
            old.supersededAt = now
            old.graceEnd = now.addingTimeInterval(policy.grace)
            try writer.supersede(activationID: old.id, at: now, graceEnd: old.graceEnd!)
            superseded = old
        }
        try record(activation, superseding: superseded, of: license)
        return activation
    }

    /// Activation needs a license that works: not destroyed, not expired.
    private func requireActivatable(_ license: License) throws {
        let status = license.status(at: now)
        guard status != .destroyed && status != .expired else {
            throw PortalError(
                .conflict, "the license is \(status.rawValue) and cannot be activated",
                details: ["status": .string(status.rawValue)])
        }
    }

    private func makeActivation(
        for license: License, registrationKey: RegistrationKey, isReactivation: Bool, by userID: String
    ) throws -> Activation {
        var random = SystemRandomNumberGenerator()
        let activationKey = LicenseKey.random(using: &random)
        let subscriptionKey = SubscriptionKey.make(
            runtimeEnd: license.runtimeEnd, serviceEnd: license.service?.end, activationKey: activationKey)
        let id = OpaqueID.make(prefix: "ac")
        var payload: [String: JSONValue] = [
            "iss": "enterprise-portal", "jti": .string(id), "sub": .string(license.key.text),
            "license_key": .string(license.key.text), "product": .string(license.productID),
            "edition": .string(license.edition), "quantity": .int(Int64(license.quantity)),
            "registration_key": .string(registrationKey.text), "activation_key": .string(activationKey.text),
            "subscription_key": .string(subscriptionKey.text),
            "runtime_end": license.runtimeEnd.map { .string(RFC3339.string(from: $0)) } ?? .null,
            "service_end": license.service.map { .string(RFC3339.string(from: $0.end)) } ?? .null,
            "iat": .int(now.unixSeconds),
        ]
        // Standard verifiers reject a certificate past `exp`: a license that ends has one.
        if let end = license.runtimeEnd { payload["exp"] = .int(end.unixSeconds) }
        return Activation(
            id: id, licenseID: license.id, registrationKey: registrationKey, activationKey: activationKey,
            subscriptionKey: subscriptionKey, certificate: try signer.sign(.object(payload)),
            isReactivation: isReactivation, activatedAt: now, activatedBy: userID)
    }

    /// The license's activation state and the events: `license.activated` or
    /// `license.reactivated`, and `license.status` when the status changed.
    private func record(_ activation: Activation, superseding superseded: Activation?, of license: License) throws {
        let integrators = try writer.delegatedIntegrators(of: license)
        var activated = license
        activated.activationState = .activated
        if license.activationState != .activated { try writer.setActivationState(.activated, licenseID: license.id) }
        var data: [String: JSONValue] = ["activation": activation.eventJSON(runtimeEnd: license.runtimeEnd)]
        if let superseded { data["superseded"] = superseded.eventJSON(runtimeEnd: license.runtimeEnd, withTime: false) }
        try writer.append([
            .license(
                superseded == nil ? .licenseActivated : .licenseReactivated, license, integrators: integrators, cause: cause,
                at: now, data: data),
            .licenseStatus(license, from: license.status(at: now), to: activated.status(at: now), integrators: integrators, cause: cause, at: now),
        ].compactMap { $0 })
    }
}
