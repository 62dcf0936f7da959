import Foundation
import PortalCore
import PortalProtocol

/// How activations appear in results and events.
extension Activation {
    /// In `license.activate` and `license.get`: the keys, without the certificate unless asked.
    func json(license: License, at now: Date, certificate withCertificate: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "registration_key": .string(registrationKey.text), "activation_key": .string(activationKey.text),
            "subscription_key": .string(subscriptionKey.text), "activated_at": .string(RFC3339.string(from: activatedAt)),
            "valid_until": validUntil(runtimeEnd: license.activationsEnd).map { .string(RFC3339.string(from: $0)) } ?? .null,
            "service_end": license.service.map { .string(RFC3339.string(from: $0.end)) } ?? .null,
            // A destroyed license's activations ended with it.
            "state": .string(state(at: now, runtimeEnd: license.activationsEnd).rawValue),
        ]
        if withCertificate { object["certificate"] = .string(certificate) }
        return .object(object)
    }

    /// In events: which activation, of which server, since and until when (no keys: events are
    /// read by systems that need not hold them).
    func eventJSON(runtimeEnd: Date?, withTime: Bool = true) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "registration_key": .string(registrationKey.text),
            "valid_until": validUntil(runtimeEnd: runtimeEnd).map { .string(RFC3339.string(from: $0)) } ?? .null,
        ]
        if withTime { object["activated_at"] = .string(RFC3339.string(from: activatedAt)) }
        return .object(object)
    }
}

extension ReactivationRequest {
    var json: JSONValue {
        [
            "id": .string(id), "license": .string(licenseID), "company": .string(companyID),
            "requested_by": .string(requestedBy), "registration_key": .string(registrationKey.text),
            "reason": .string(reason), "status": .string(status.rawValue),
            "created_at": .string(RFC3339.string(from: createdAt)),
            "decided_at": decidedAt.map { .string(RFC3339.string(from: $0)) } ?? .null,
            "decided_by": decidedBy.map(JSONValue.string) ?? .null, "note": note.map(JSONValue.string) ?? .null,
        ]
    }
}
