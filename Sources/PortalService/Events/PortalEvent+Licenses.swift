import Foundation
import PortalCore
import PortalProtocol
import PortalStore

extension PortalEvent {
    /// An event about a license, seen by exactly the companies whose views show it: its parties
    /// and the integrators its owner lets manage its licenses (`integrators`). `data` adds to
    /// the cause and the license reference.
    static func license(
        _ type: EventType, _ license: License, integrators: Set<String>, cause: EventCause, at: Date,
        data: [String: JSONValue] = [:]
    ) -> PortalEvent {
        // Room for every member at once: merging into the cause's fields, then adding the
        // license, grew (rehashed) the dictionary twice per event.
        var fields = [String: JSONValue](minimumCapacity: 4 + data.count)
        fields.merge(cause.fields) { $1 }
        fields.merge(data) { $1 }
        fields["license"] = license.eventReference
        return PortalEvent(
            type: type, at: at, company: license.parties.owner, parties: license.parties.named + integrators,
            licenseID: license.id, data: .object(fields))
    }

    /// `license.status` when the status changed from `before` to `after`; nil when it did not.
    static func licenseStatus(
        _ license: License, from before: LicenseStatus, to after: LicenseStatus, integrators: Set<String>, cause: EventCause,
        at: Date
    ) -> PortalEvent? {
        fieldChange(.licenseStatus, field: "status", license, from: before.rawValue, to: after.rawValue, integrators: integrators, cause: cause, at: at)
    }

    /// An event telling that one of a license's computed fields went from `before` to `after`
    /// (`{field, from, to}`); nil when it did not change.
    static func fieldChange(
        _ type: EventType, field: String, _ license: License, from before: String, to after: String, integrators: Set<String>,
        cause: EventCause, at: Date
    ) -> PortalEvent? {
        guard before != after else { return nil }
        return .license(
            type, license, integrators: integrators, cause: cause, at: at,
            data: ["field": .string(field), "from": .string(before), "to": .string(after)])
    }
}

extension StoreReader {
    /// The integrators the owner of `license` lets manage its licenses: they see its events too.
    func delegatedIntegrators(of license: License) throws -> Set<String> {
        try integrators(ofCompany: license.parties.owner)
    }
}
