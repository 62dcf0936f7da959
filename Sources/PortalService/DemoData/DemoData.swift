import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Fills an empty database with a deterministic demo portal: the vendor's two product lines,
/// one company per user group, their accounts, staff, and licenses in every status and model,
/// plus as many further licenses (spread over further companies) as asked for benchmarks.
public struct DemoData {
    /// The password of every demo account.
    public static let password = "portal-demo"

    /// A demo account to print for the person who asked for the data.
    public struct Account: Sendable {
        public let email: String
        public let description: String
    }

    public let store: any Store
    public let passwords: PasswordHasher
    /// The moment the demo is built around: statuses and service states are relative to it.
    public let now: Date

    public init(store: any Store, passwords: PasswordHasher = PasswordHasher(), now: Date) {
        self.store = store
        self.passwords = passwords
        self.now = now
    }

    /// Writes the demo portal; `extraLicenses` more licenses for load tests. Refuses a database
    /// that has companies already, so real data is never mixed with demo data.
    /// `progress` is told how many extra licenses are written so far.
    public func generate(extraLicenses: Int = 0, progress: (Int) -> Void = { _ in }) throws -> [Account] {
        let isEmpty = try store.read { reader in try reader.companies(after: nil, limit: 1).isEmpty }
        guard isEmpty else {
            throw PortalError(.conflict, "the database has companies already; demo data goes only into an empty database")
        }
        var random = SeededGenerator(seed: 20_261_129)
        var builder = DemoLicenseBuilder(now: now)
        // The showcase is created as if by commands, with its events; the extra licenses are
        // benchmark ballast and come without.
        let cause = EventCause.command("portald demo-data", by: nil)
        let accounts = try store.write { writer in
            for line in DemoCatalogue.productLines { try writer.insert(line) }
            for product in DemoCatalogue.products { try writer.insert(product) }
            for release in DemoCatalogue.releases(now: now) { try writer.insert(release) }
            // Integrators first: the companies that delegate to them refer to them.
            let companies = DemoCatalogue.companies(createdAt: now).sorted(by: { $0.integrators.count < $1.integrators.count })
            for company in companies {
                try writer.insert(company)
                try writer.append(.company(.companyCreated, company, cause: cause, at: now))
            }
            let integrators = Dictionary(uniqueKeysWithValues: companies.map { ($0.id, $0.integrators) })
            for license in builder.showcaseLicenses(using: &random) {
                try writer.insert(license)
                try writer.append(.licenseCreated(license, integrators: integrators[license.parties.owner] ?? [], cause: cause, at: now))
            }
            try DemoOffers.insert(into: writer, cause: cause, at: now)
            return try DemoCatalogue.accounts.map { account in
                let user = User(
                    id: "us_demo_" + account.email.prefix { $0 != "@" }, companyID: account.company,
                    email: account.email, name: account.name, passwordHash: passwords.hash(Self.password),
                    companyRole: account.company == nil ? nil : .admin, staffRoles: account.staffRoles,
                    status: .active, createdAt: now)
                try writer.insert(user)
                try writer.append(PortalEvent.user(.userAdded, user, cause: cause, at: now))
                return Account(email: account.email, description: account.description)
            }
        }
        try DemoTickets(now: now).write(to: store, cause: cause)
        try writeExtraLicenses(extraLicenses, builder: &builder, random: &random, progress: progress)
        return accounts
    }

    /// Extra licenses in transactions of 50,000, over one filler customer per 10 licenses, sold by
    /// one filler reseller per 100 — the shape of a large vendor's portal.
    private func writeExtraLicenses(
        _ count: Int, builder: inout DemoLicenseBuilder, random: inout SeededGenerator, progress: (Int) -> Void
    ) throws {
        guard count > 0 else { return }
        let customers = max(1, count / 10)
        let resellers = max(1, count / 100)
        var written = 0
        while written < count {
            let batch = min(50_000, count - written)
            let start = written
            try store.write { writer in
                for index in start..<(start + batch) {
                    let customer = index % customers
                    let reseller = customer % resellers
                    if index < customers {
                        try writer.insert(Company(id: "co_fill_c\(customer)", name: "Customer \(customer)", views: [.customer], createdAt: now))
                    }
                    if index < resellers {
                        try writer.insert(Company(id: "co_fill_r\(reseller)", name: "Reseller \(reseller)", views: [.reseller], createdAt: now))
                    }
                    try writer.insert(builder.fillerLicense(
                        index: index, owner: "co_fill_c\(customer)", reseller: "co_fill_r\(reseller)", using: &random))
                }
            }
            written += batch
            progress(written)
        }
    }
}
