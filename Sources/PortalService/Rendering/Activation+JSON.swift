import Foundation
import PortalCore
import PortalProtocol

/// How activations appear in results and events.
extension Activation {
    /// In `license.activate` and `license.get`: the keys, without the certificate unless asked.
    /// Members in key order, as `JSONWriter` needs them.
    func write(license: License, at now: Date, certificate withCertificate: Bool, to json: inout JSONWriter) {
        json.object { json in
            json.member("activated_at", activatedAt)
            json.member("activation_key", activationKey.text)
            if withCertificate { json.member("certificate", certificate) }
            json.member("id", id)
            json.member("registration_key", registrationKey.text)
            json.member("service_end", license.service?.end)
            // A destroyed license's activations ended with it.
            json.member("state", state(at: now, runtimeEnd: license.activationsEnd).rawValue)
            json.member("subscription_key", subscriptionKey.text)
            json.member("valid_until", validUntil(runtimeEnd: license.activationsEnd))
        }
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
