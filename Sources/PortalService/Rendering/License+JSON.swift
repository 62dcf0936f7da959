import Foundation
import PortalCore
import PortalProtocol

/// How a license appears in the overview of one view.
struct LicensePresenter {
    let view: PortalView
    let now: Date
    let products: [String: Product]
    let productLines: [String: ProductLine]
    let companyNames: [String: String]

    func json(_ license: License) -> JSONValue {
        let status = license.status(at: now)
        let product = products[license.productID]
        var parties: [String: JSONValue] = [:]
        for role in LicensePartyRole.visible(in: view) {
            guard let id = license.parties[role] else { continue }
            parties[role.rawValue] = ["id": .string(id), "name": .string(companyNames[id] ?? "")]
        }
        var service: JSONValue = ["state": .string(license.serviceState(at: now).rawValue)]
        if let details = license.service {
            service = [
                "level": .string(details.level), "start": .string(RFC3339.string(from: details.start)),
                "end": .string(RFC3339.string(from: details.end)),
                "state": .string(license.serviceState(at: now).rawValue),
            ]
        }
        return [
            "id": .string(license.id),
            "key": .string(license.key.text),
            "product": [
                "id": .string(license.productID), "name": .string(product?.name ?? ""),
                "line": .string(product.flatMap { productLines[$0.productLineID]?.name } ?? ""),
            ],
            "edition": .string(license.edition),
            "quantity": .int(Int64(license.quantity)),
            "model": .string(license.model.rawValue),
            "status": .string(status.rawValue),
            "colour": .string(status.colour),
            "order": [
                "reference": .string(license.orderReference), "position": .int(Int64(license.orderPosition)),
                "date": .string(RFC3339.string(from: license.orderDate)),
            ],
            "runtime_end": license.runtimeEnd.map { .string(RFC3339.string(from: $0)) } ?? .null,
            "service": service,
            "parties": .object(parties),
            "activation": .object([
                "slots": .int(Int64(license.activationSlots)), "state": .string(license.activationState.rawValue),
            ].merging(license.testPhaseEnd.map { ["test_phase_end": .string(RFC3339.string(from: $0))] } ?? [:]) { $1 }),
        ]
    }
}
