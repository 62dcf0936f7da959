import PortalCore
import PortalStore

/// The companies and products an import knows to exist, so that it checks the references of
/// its license rows itself, each company and product once per import, and writes them without
/// the store's checks (a product and up to five companies looked up per row).
///
/// Only what exists is remembered: a reference missing now may be imported by a later row.
struct ImportReferences {
    private var companies: Set<String> = []
    private var products: Set<String> = []

    /// Remembers a company that exists: imported, or found imported before.
    mutating func add(company id: String) { companies.insert(id) }

    /// Remembers a product that exists.
    mutating func add(product id: String) { products.insert(id) }

    /// Whether the license's product and every company it names exist.
    mutating func exist(for license: License, in reader: any StoreReader) throws -> Bool {
        let parties = license.parties
        for case let company? in [parties.owner, parties.integrator, parties.reseller, parties.distributor, parties.partner] {
            guard try companyExists(company, in: reader) else { return false }
        }
        return try productExists(license.productID, in: reader)
    }

    /// Whether the company exists; looked up in the store until it is known to.
    mutating func companyExists(_ id: String, in reader: any StoreReader) throws -> Bool {
        if companies.contains(id) { return true }
        guard try reader.companyNames(ids: [id])[id] != nil else { return false }
        companies.insert(id)
        return true
    }

    /// Whether the product exists; looked up in the store until it is known to.
    mutating func productExists(_ id: String, in reader: any StoreReader) throws -> Bool {
        if products.contains(id) { return true }
        guard try reader.catalogue(productIDs: [id]).products[id] != nil else { return false }
        products.insert(id)
        return true
    }
}
