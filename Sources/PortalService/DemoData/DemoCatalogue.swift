import Foundation
import PortalCore

/// The fixed part of the demo portal: product lines, products, companies and accounts.
enum DemoCatalogue {
    static let customer = "co_demo_customer"
    static let customer2 = "co_demo_customer2"
    static let integrator = "co_demo_integrator"
    static let provider = "co_demo_provider"
    static let reseller = "co_demo_reseller"
    static let distributor = "co_demo_distributor"
    static let partner = "co_demo_partner"
    static let multi = "co_demo_multi"

    static let productLines = [
        ProductLine(id: "pl_thinprint", name: "ThinPrint"),
        ProductLine(id: "pl_personal", name: "Personal Printing"),
    ]

    static let products = [
        Product(id: "pr_tp_engine", productLineID: "pl_thinprint", name: "ThinPrint Engine"),
        Product(id: "pr_tp_hub", productLineID: "pl_thinprint", name: "ThinPrint Hub"),
        Product(id: "pr_tp_connect", productLineID: "pl_thinprint", name: "ThinPrint Connection Service"),
        Product(id: "pr_pp_server", productLineID: "pl_personal", name: "Personal Printing Server"),
        Product(id: "pr_pp_mobile", productLineID: "pl_personal", name: "Personal Printing Mobile"),
    ]

    /// Three releases per product over the last two years, each for Windows and Linux.
    static func releases(now: Date) -> [Release] {
        products.enumerated().flatMap { productIndex, product in
            (0..<3).map { step in
                let version = "\(9 + step).\(productIndex).0"
                let releasedAt = now.addingTimeInterval(TimeInterval(-700 + step * 300 + productIndex * 10) * 86_400)
                let stem = product.name.lowercased().replacingOccurrences(of: " ", with: "-") + "-" + version
                return Release(
                    id: "re_demo_\(product.id.dropFirst(3))_\(step)", productID: product.id, version: version,
                    releasedAt: releasedAt, notes: "\(product.name) \(version): fixes and improvements.",
                    artifacts: [
                        Release.Artifact(platform: "windows-x64", fileName: stem + ".msi", size: 48_000_000 + Int64(step) * 1_000_000,
                                         sha256: String(repeating: String(format: "%02x", productIndex * 16 + step), count: 32)),
                        Release.Artifact(platform: "linux-x64", fileName: stem + ".tar.gz", size: 31_000_000 + Int64(step) * 1_000_000,
                                         sha256: String(repeating: String(format: "%02x", 128 + productIndex * 16 + step), count: 32)),
                    ])
            }
        }
    }

    static func companies(createdAt: Date) -> [Company] {
        [
            Company(id: customer, name: "Demo Customer AG", views: [.customer], createdAt: createdAt),
            Company(id: customer2, name: "Second Customer GmbH", views: [.customer], createdAt: createdAt, integrators: [integrator]),
            Company(id: integrator, name: "Integrator Services GmbH", views: [.systemIntegrator], createdAt: createdAt),
            Company(
                id: provider, name: "Cloud Print Provider Ltd", views: [.serviceProvider], createdAt: createdAt,
                contract: ProviderContract(quota: 20, startsAt: createdAt.addingTimeInterval(-180 * 86_400), endsAt: createdAt.addingTimeInterval(185 * 86_400))),
            Company(id: reseller, name: "Print Reseller KG", views: [.reseller], createdAt: createdAt),
            Company(id: distributor, name: "Software Distribution AG", views: [.distributor], createdAt: createdAt),
            Company(id: partner, name: "OEM Partner Inc", views: [.partner], createdAt: createdAt),
            Company(
                id: multi, name: "Reseller and Provider GmbH", views: [.reseller, .serviceProvider], createdAt: createdAt,
                contract: ProviderContract(quota: 5, startsAt: createdAt.addingTimeInterval(-30 * 86_400), endsAt: createdAt.addingTimeInterval(335 * 86_400))),
        ]
    }

    struct AccountSpec {
        let email: String
        let name: String
        let company: String?
        let staffRoles: Set<StaffRole>
        let description: String
    }

    static let accounts = [
        AccountSpec(email: "customer@demo.example", name: "Clara Customer", company: customer, staffRoles: [], description: "admin of Demo Customer AG (customer)"),
        AccountSpec(email: "customer2@demo.example", name: "Carl Second", company: customer2, staffRoles: [], description: "admin of Second Customer GmbH (customer, managed by the integrator)"),
        AccountSpec(email: "integrator@demo.example", name: "Ida Integrator", company: integrator, staffRoles: [], description: "admin of Integrator Services GmbH (system_integrator)"),
        AccountSpec(email: "provider@demo.example", name: "Paul Provider", company: provider, staffRoles: [], description: "admin of Cloud Print Provider Ltd (service_provider)"),
        AccountSpec(email: "reseller@demo.example", name: "Rita Reseller", company: reseller, staffRoles: [], description: "admin of Print Reseller KG (reseller)"),
        AccountSpec(email: "distributor@demo.example", name: "Dirk Distributor", company: distributor, staffRoles: [], description: "admin of Software Distribution AG (distributor)"),
        AccountSpec(email: "partner@demo.example", name: "Petra Partner", company: partner, staffRoles: [], description: "admin of OEM Partner Inc (partner)"),
        AccountSpec(email: "multi@demo.example", name: "Max Multi", company: multi, staffRoles: [], description: "admin of Reseller and Provider GmbH (reseller, service_provider)"),
        AccountSpec(email: "order@demo.example", name: "Olga Order", company: nil, staffRoles: [.order], description: "staff: order team"),
        AccountSpec(email: "activation@demo.example", name: "Anton Activation", company: nil, staffRoles: [.activation], description: "staff: activation team"),
        AccountSpec(email: "support@demo.example", name: "Susi Support", company: nil, staffRoles: [.support], description: "staff: support"),
        AccountSpec(email: "admin@demo.example", name: "Adam Admin", company: nil, staffRoles: [.admin], description: "staff: administrator"),
        AccountSpec(
            email: "service@demo.example", name: "Notification Service", company: nil, staffRoles: [.service],
            description: "service account: events.since (portalctl subscribe) and the mail queue"),
    ]
}
