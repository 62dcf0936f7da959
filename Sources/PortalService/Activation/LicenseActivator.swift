import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Activates licenses, inside the caller's store transaction: a first activation, the same
/// server again (its existing activation), or a reactivation that supersedes the oldest current
/// activation, each with its keys, its signed certificate and its events.
///
/// Writes run one at a time, and the signed certificate is the largest part of an activation's
/// work (its Ed25519 signature and JSON: two fifths of the instructions of `license.activate`).
/// So a command may decide and sign on a snapshot first, outside its write (`prepare`); the
/// write decides again on what it reads, and takes the signed activation while the license's
/// certified terms are unchanged (signing there only when they changed in between).
struct LicenseActivator {
    let signer: any TokenSigner
    let policy: ReactivationPolicy
    let now: Date
    let cause: EventCause

    /// What `prepare` found on its snapshot.
    enum Preparation {
        /// The server has this activation already: the answer, with nothing to write.
        case existing(Activation)
        /// A new activation, signed for the license's terms as read then.
        case new(Prepared)
    }

    /// An activation made and signed before the write that inserts it.
    struct Prepared {
        let activation: Activation
        fileprivate let terms: CertifiedTerms
    }

    /// Decides on `reader`'s snapshot what `activate` would do there, and signs the new activation
    /// it would insert. Throws what `activate` would throw on that snapshot: a refusal read from a
    /// snapshot taken while the request was in flight is as true as one read in the write.
    func prepare(_ license: License, registrationKey: RegistrationKey, by userID: String, reader: any StoreReader) throws -> Preparation {
        switch try decide(license, registrationKey: registrationKey, approved: false, reader: reader) {
        case .existing(let activation):
            return .existing(activation)
        case .new(let superseded):
            let terms = CertifiedTerms(license)
            let activation = try makeActivation(for: terms, registrationKey: registrationKey, isReactivation: superseded != nil, by: userID)
            return .new(Prepared(activation: activation, terms: terms))
        }
    }

    /// Activates `license` for `registrationKey`. Past the self-service reactivation limit it
    /// throws `limit_exceeded`, unless `approved` (the activation team's decision). Returns the
    /// new activation, or the existing one when the same server asks again. A `prepared`
    /// activation is used when it is for the same server and user and its terms are still the
    /// license's.
    func activate(
        _ license: License, registrationKey: RegistrationKey, by userID: String, approved: Bool = false, prepared: Prepared? = nil,
        writer: any StoreWriter
    ) throws -> Activation {
        var superseded: Activation?
        switch try decide(license, registrationKey: registrationKey, approved: approved, reader: writer) {
        case .existing(let activation): return activation
        case .new(let current): superseded = current
        }
        var activation: Activation
        if let prepared, prepared.terms == CertifiedTerms(license), prepared.activation.registrationKey == registrationKey,
           prepared.activation.activatedBy == userID {
            activation = prepared.activation
            // Not in the certificate: what the write found decides it.
            activation.isReactivation = superseded != nil
        } else {
            activation = try makeActivation(
                for: CertifiedTerms(license), registrationKey: registrationKey, isReactivation: superseded != nil, by: userID)
        }
        try writer.insert(activation)
        if var old = superseded {
            old.supersededAt = now
            old.graceEnd = now.addingTimeInterval(policy.grace)
            try writer.supersede(activationID: old.id, at: now, graceEnd: old.graceEnd!)
            superseded = old
        }
        try record(activation, superseding: superseded, of: license, writer: writer)
        return activation
    }

    /// What activating does with the license's activations as `reader` shows them.
    private enum Decision {
        case existing(Activation)
        /// A new activation, superseding this current one when every slot is taken.
        case new(superseding: Activation?)
    }

    private func decide(_ license: License, registrationKey: RegistrationKey, approved: Bool, reader: any StoreReader) throws -> Decision {
        try requireActivatable(license)
        let activations = try reader.activations(licenseID: license.id)
        let current = activations.filter { $0.isCurrent && $0.state(at: now, runtimeEnd: license.runtimeEnd) == .active }
        if let existing = current.first(where: { $0.registrationKey == registrationKey }) {
            return .existing(existing)
        }
        guard current.count >= license.activationSlots else { return .new(superseding: nil) }
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
        return .new(superseding: current.first)
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
        for terms: CertifiedTerms, registrationKey: RegistrationKey, isReactivation: Bool, by userID: String
    ) throws -> Activation {
        var random = SystemRandomNumberGenerator()
        let activationKey = LicenseKey.random(using: &random)
        let subscriptionKey = SubscriptionKey.make(runtimeEnd: terms.runtimeEnd, serviceEnd: terms.serviceEnd, activationKey: activationKey)
        let id = OpaqueID.make(prefix: "ac")
        var payload: [String: JSONValue] = [
            "iss": "enterprise-portal", "jti": .string(id), "sub": .string(terms.key.text),
            "license_key": .string(terms.key.text), "product": .string(terms.productID),
            "edition": .string(terms.edition), "quantity": .int(Int64(terms.quantity)),
            "registration_key": .string(registrationKey.text), "activation_key": .string(activationKey.text),
            "subscription_key": .string(subscriptionKey.text),
            "runtime_end": terms.runtimeEnd.map { .string(RFC3339.string(from: $0)) } ?? .null,
            "service_end": terms.serviceEnd.map { .string(RFC3339.string(from: $0)) } ?? .null,
            "iat": .int(now.unixSeconds),
        ]
        // Standard verifiers reject a certificate past `exp`: a license that ends has one.
        if let end = terms.runtimeEnd { payload["exp"] = .int(end.unixSeconds) }
        return Activation(
            id: id, licenseID: terms.licenseID, registrationKey: registrationKey, activationKey: activationKey,
            subscriptionKey: subscriptionKey, certificate: try signer.sign(.object(payload)),
            isReactivation: isReactivation, activatedAt: now, activatedBy: userID)
    }

    /// The license's activation state and the events: `license.activated` or
    /// `license.reactivated`, and `license.status` when the status changed.
    private func record(_ activation: Activation, superseding superseded: Activation?, of license: License, writer: any StoreWriter) throws {
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

/// What a certificate states of its license; a prepared activation is inserted only while the
/// license still reads the same on all of it.
private struct CertifiedTerms: Equatable {
    let licenseID: String
    let key: LicenseKey
    let productID: String
    let edition: String
    let quantity: Int
    let runtimeEnd: Date?
    let serviceEnd: Date?

    init(_ license: License) {
        licenseID = license.id
        key = license.key
        productID = license.productID
        edition = license.edition
        quantity = license.quantity
        runtimeEnd = license.runtimeEnd
        serviceEnd = license.service?.end
    }
}
