import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// How a license appears in the overview of one view.
struct LicensePresenter {
    let now: Date
    let products: [String: Product]
    let productLines: [String: ProductLine]
    let companyNames: [String: String]
    /// The parties the view shows, in the order of their keys.
    private let visibleRoles: [LicensePartyRole]

    init(view: PortalView, now: Date, products: [String: Product], productLines: [String: ProductLine], companyNames: [String: String]) {
        self.now = now
        self.products = products
        self.productLines = productLines
        self.companyNames = companyNames
        visibleRoles = LicensePartyRole.visible(in: view).sorted { $0.rawValue < $1.rawValue }
    }

    /// Writes the license as the overview shows it. `license.get` adds its `history` and, in
    /// the views that activate software, its `activations`.
    ///
    /// Members are written in key order, as `JSONWriter` needs them.
    func write(
        _ license: License, history: [LicenseHistoryEntry]? = nil, activations: [Activation]? = nil, to json: inout JSONWriter
    ) throws {
        let status = license.status(at: now)
        let product = products[license.productID]
        try json.object { json in
            json.object("activation") { json in
                json.member("slots", license.activationSlots)
                json.member("state", license.activationState.rawValue)
                if let end = license.testPhaseEnd { json.member("test_phase_end", end) }
            }
            if let activations {
                json.array("activations") { json in
                    for activation in activations { activation.write(license: license, at: now, certificate: false, to: &json) }
                }
            }
            json.member("colour", status.colour)
            json.member("edition", license.edition)
            if let history {
                try json.array("history") { json in
                    for entry in history { try entry.write(to: &json) }
                }
            }
            json.member("id", license.id)
            json.member("key", license.key.text)
            json.member("model", license.model.rawValue)
            json.object("order") { json in
                json.member("date", license.orderDate)
                json.member("position", license.orderPosition)
                json.member("reference", license.orderReference)
            }
            json.object("parties") { json in
                for role in visibleRoles {
                    guard let id = license.parties[role] else { continue }
                    json.key(role.rawValue)
                    json.object { json in
                        json.member("id", id)
                        json.member("name", companyNames[id] ?? "")
                    }
                }
            }
            json.object("product") { json in
                json.member("id", license.productID)
                json.member("line", product.flatMap { productLines[$0.productLineID]?.name } ?? "")
                json.member("name", product?.name ?? "")
            }
            json.member("quantity", license.quantity)
            json.member("runtime_end", license.runtimeEnd)
            json.object("service") { json in
                if let details = license.service {
                    json.member("end", details.end)
                    json.member("level", details.level)
                    json.member("start", details.start)
                }
                json.member("state", license.serviceState(at: now).rawValue)
            }
            json.member("status", status.rawValue)
        }
    }
}
