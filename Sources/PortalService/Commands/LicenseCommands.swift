import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `license.list` and `license.get`: the license overview of the active view.
enum LicenseCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("license.list", access: .feature(.licenseOverview), list)
        registry.register("license.get", access: .feature(.licenseOverview), get)
    }

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try viewAndCompany(context)
        let now = context.environment.clock.now
        var query = LicenseQuery(visibility: LicenseVisibility(view: view, company: company), now: now)
        try LicenseQueryArguments.apply(context.request.arguments, to: &query)
        query.searchParties = LicensePartyRole.visible(in: view)
        let requested = query.limit
        query.limit += 1  // one more tells whether a next page exists
        return try context.environment.store.read { reader in
            let page = try reader.licenses(matching: query)
            let shown = page.prefix(requested)
            let presenter = try presenter(for: shown.map(\.license), view: view, now: now, reader: reader)
            let nextCursor = page.count > requested ? LicenseQueryArguments.encode(shown.last!.cursor, for: query) : nil
            var json = JSONWriter(capacity: 64 + shown.count * expectedItemBytes)
            try json.object { json in
                try json.array("items") { json in
                    for item in shown { try presenter.write(item.license, to: &json) }
                }
                json.member("next_cursor", nextCursor)
            }
            return JSONText(json)
        }
    }

    static func get(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try viewAndCompany(context)
        let idOrKey = try context.arguments.string("license", maxLength: 100)
        let now = context.environment.clock.now
        // Not a copy of the whole environment: its references are retained and released each.
        let (store, replies) = (context.environment.store, context.environment.licenseReplies)
        // Taken before the read, so that a result kept under it can only be older than the number.
        // A counter that cannot be read leaves the request uncached, not failed.
        let changeNumber = replies.keepsResults ? try? store.licenseChangeNumber() : nil
        let cacheKey = LicenseReplyCache.Key(license: idOrKey, view: view, company: company)
        if let changeNumber, let kept = replies.result(for: cacheKey, changeNumber: changeNumber, at: now) {
            return kept
        }
        // The keys are for the views that activate software.
        let showsActivations = context.environment.access.features.allows(.softwareActivation, in: view)
        let (result, license, activations) = try store.read { reader in
            // Another company's license, or one outside this view, is simply not there.
            guard let license = try reader.license(idOrKey: idOrKey, visibility: LicenseVisibility(view: view, company: company)) else {
                throw PortalError(.notFound, "no license '\(idOrKey)' in your \(view.rawValue) view")
            }
            let activations = showsActivations ? try reader.activations(licenseID: license.id) : nil
            var json = JSONWriter(capacity: 4 * expectedItemBytes)
            try presenter(for: [license], view: view, now: now, reader: reader).write(
                license, history: try reader.licenseHistory(licenseID: license.id, limit: historyLimit),
                activations: activations, to: &json)
            return (JSONText(json), license, activations)
        }
        if let changeNumber {
            let entry = LicenseReplyCache.Entry(result: result, license: license, activations: activations, at: now)
            replies.keep(entry, for: cacheKey, changeNumber: changeNumber)
        }
        return result
    }

    /// The changes `license.get` shows, the latest ones.
    static let historyLimit = 100

    /// About the length of one license in the overview, to make room for a reply at once.
    static let expectedItemBytes = 768

    /// The active view and the caller's company, for view-scoped license commands.
    static func viewAndCompany(_ context: CommandContext) throws -> (PortalView, String) {
        let caller = try context.authenticatedCaller
        guard let view = caller.view, let company = caller.company else {
            throw PortalError(.internal, "license commands need a company view")
        }
        return (view, company.id)
    }

    static func presenter(for licenses: [License], view: PortalView, now: Date, reader: any StoreReader) throws -> LicensePresenter {
        let partyIDs = Set(licenses.flatMap { license in
            LicensePartyRole.visible(in: view).compactMap { license.parties[$0] }
        })
        let catalogue = try reader.catalogue(productIDs: Set(licenses.map(\.productID)))
        return LicensePresenter(
            view: view, now: now, products: catalogue.products, productLines: catalogue.lines,
            companyNames: try reader.companyNames(ids: partyIDs))
    }
}
