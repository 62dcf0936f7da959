import Foundation
import PortalCore
import PortalProtocol

/// The events that today's changes emit, each with the `data` its schema in `protocol/events/`
/// describes. Every `data` carries the cause (`EventCause.fields`).
extension PortalEvent {
    /// `company.created` / `company.updated`: the company as `company.get` shows it.
    static func company(_ type: EventType, _ company: Company, cause: EventCause, at: Date) -> PortalEvent {
        PortalEvent(
            type: type, at: at, company: company.id,
            data: .object(cause.fields.merging(["company": company.json]) { $1 }))
    }

    /// `user.*`: the account (never its password hash) and `details` such as a rejection reason.
    static func user(
        _ type: EventType, _ user: User, cause: EventCause, at: Date, details: [String: JSONValue] = [:]
    ) -> PortalEvent? {
        // Staff belong to no company, and events are about companies.
        guard let company = user.companyID else { return nil }
        return PortalEvent(
            type: type, at: at, company: company,
            data: .object(cause.fields.merging(details) { $1 }.merging(["user": user.json]) { $1 }))
    }

    /// `license.created`, with the model and the order line.
    static func licenseCreated(_ license: License, integrators: Set<String>, cause: EventCause, at: Date) -> PortalEvent {
        .license(.licenseCreated, license, integrators: integrators, cause: cause, at: at, data: [
            "model": .string(license.model.rawValue),
            "order": ["reference": .string(license.orderReference), "position": .int(Int64(license.orderPosition))],
        ])
    }
}

extension License {
    /// How events name a license: `{id, key, product}`.
    var eventReference: JSONValue {
        ["id": .string(id), "key": .string(key.text), "product": .string(productID)]
    }
}
