import Foundation
import PortalCore
import PortalStore

/// Licenses for store tests, with the product and companies they name.
enum LicenseRows {
    static let owner = "co_owner"
    static let reseller = "co_reseller"
    static let product = "pr_engine"

    /// The license of order line `SO-<position>`/1, sold by the reseller, its key derived from
    /// `position` unless given.
    static func license(_ position: Int, owner: String = owner, product: String = product, key: LicenseKey? = nil) -> License {
        var generator = SeededGenerator(seed: UInt64(position))
        return License(
            id: "li_\(position)", key: key ?? LicenseKey.random(using: &generator), productID: product, edition: "Standard",
            quantity: 1, model: position.isMultiple(of: 2) ? .alm : .perpetual, orderReference: "SO-\(position)",
            orderPosition: 1, orderDate: StoreFixture.start,
            parties: License.Parties(owner: owner, reseller: reseller),
            runtimeEnd: position.isMultiple(of: 2) ? StoreFixture.start.addingTimeInterval(365 * 86_400) : nil,
            service: nil)
    }

    /// The product and companies the licenses name, unless they exist.
    static func insertReferences(into writer: any StoreWriter) throws {
        _ = try writer.insertIfMissing(ProductLine(id: "pl_engine", name: "Engine"))
        _ = try writer.insertIfMissing(Product(id: product, productLineID: "pl_engine", name: "Engine"))
        for (id, view) in [(owner, PortalView.customer), (reseller, .reseller)] {
            _ = try writer.insertIfMissing(Company(id: id, name: id, views: [view], createdAt: StoreFixture.start))
        }
    }

    /// The licenses of order lines 1 to `count`, and what they name.
    static func insert(count: Int, into writer: any StoreWriter) throws {
        try insertReferences(into: writer)
        for position in 1...count { try writer.insert(license(position)) }
    }
}
