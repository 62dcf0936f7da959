import PortalCore
import PortalStore

/// What an import knows of the companies and products its rows name: which exist, and the
/// integrators of owners (license events name them as parties). The import checks its license
/// rows' references itself with it, each company and product looked up once per import, and
/// writes them without the store's checks (a product and up to five companies looked up per row).
///
/// Companies are known by their `CompanyNumbers`. Only what exists is remembered: a reference
/// missing now may be imported by a later row.
struct ImportReferences {
    /// By company number.
    private var exists: [Bool] = []
    private var integrators: [Set<String>?] = []
    private var products: Set<String> = []

    /// Remembers a company that exists (imported, or found imported before), with its
    /// integrators when they are known.
    mutating func add(company number: Int, integrators known: Set<String>? = nil) {
        grow(to: number)
        exists[number] = true
        if let known { integrators[number] = known }
    }

    /// Remembers a product that exists.
    mutating func add(product id: String) { products.insert(id) }

    /// Whether the license's product and every company it names (numbered `numbers`) exist.
    mutating func exist(for license: License, numbers: [Int], in reader: any StoreReader) throws -> Bool {
        for (position, number) in numbers.enumerated() where !isKnown(number) {
            guard try companyExists(license.parties.named[position], number: number, in: reader) else { return false }
        }
        return try productExists(license.productID, in: reader)
    }

    /// Whether the company exists; looked up in the store until it is known to.
    mutating func companyExists(_ id: String, number: Int, in reader: any StoreReader) throws -> Bool {
        if isKnown(number) { return true }
        guard try reader.companyNames(ids: [id])[id] != nil else { return false }
        add(company: number)
        return true
    }

    /// The integrators an existing owner lets manage its licenses; looked up in the store once.
    mutating func integrators(ofOwner id: String, number: Int, in reader: any StoreReader) throws -> Set<String> {
        grow(to: number)
        if let known = integrators[number] { return known }
        let found = try reader.integrators(ofCompany: id)
        integrators[number] = found
        return found
    }

    /// Whether the product exists; looked up in the store until it is known to.
    private mutating func productExists(_ id: String, in reader: any StoreReader) throws -> Bool {
        if products.contains(id) { return true }
        guard try reader.catalogue(productIDs: [id]).products[id] != nil else { return false }
        products.insert(id)
        return true
    }

    private func isKnown(_ number: Int) -> Bool { number < exists.count && exists[number] }

    private mutating func grow(to number: Int) {
        guard number >= exists.count else { return }
        let more = number + 1 - exists.count
        exists += repeatElement(false, count: more)
        integrators += repeatElement(nil, count: more)
    }
}
