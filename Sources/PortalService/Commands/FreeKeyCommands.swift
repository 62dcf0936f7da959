import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `license.free_keys.quota` and `license.free_keys.retrieve`: extra keys for test and standby
/// systems, free, up to a quota.
///
/// Customer view: per product, one key per seat of the company's running ALM licenses (not
/// destroyed, runtime not ended), less the running free licenses already retrieved of it. A
/// retrieved key is of model `free`, linked to the ALM license of the product that runs longest,
/// with its runtime end, service, edition and parties.
///
/// Service-provider view: while the contract is active, up to the contract's quota over all
/// products. The keys are of model `service_provider` on order reference `FREE-SP-<company>`,
/// because the service_provider view shows only that model: they run until the contract ends.
enum FreeKeyCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("license.free_keys.quota", access: .feature(.freeLicenseKeys), quota)
        registry.register("license.free_keys.retrieve", access: .feature(.freeLicenseKeys), mutating: true, retrieve)
    }

    /// The most keys one request may ask for; more is `limit_exceeded` anyway past any real quota.
    static let maxQuantity = 10_000

    /// A product's quota as the view counts it.
    struct Quota {
        var productID: String?
        var quota: Int
        var used: Int
        var remaining: Int { max(0, quota - used) }

        var json: JSONValue {
            [
                "product": productID.map(JSONValue.string) ?? .null, "quota": .int(Int64(quota)),
                "used": .int(Int64(used)), "remaining": .int(Int64(remaining)),
            ]
        }
    }

    static func quota(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let now = context.environment.clock.now
        return try context.environment.store.read { reader in
            switch view {
            case .serviceProvider:
                let contract = try activeContract(of: company, reader: reader, now: now)
                return JSONValue.object(["items": [try providerQuota(company, contract: contract, reader: reader, now: now).json]])
            default:
                let quotas = try customerQuotas(company, reader: reader, now: now)
                return JSONValue.object(["items": .array(quotas.values.sorted { $0.productID! < $1.productID! }.map(\.json))])
            }
        }
    }

    static func retrieve(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let arguments = context.arguments
        let productID = try arguments.string("product", maxLength: 100)
        guard let quantity = try arguments.optionalInt("quantity", in: 1...maxQuantity) else {
            throw PortalError.badRequest("args.quantity is required: how many keys to retrieve, 1 or more")
        }
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            var random = SystemRandomNumberGenerator()
            guard try writer.products().contains(where: { $0.id == productID }) else {
                throw PortalError(.notFound, "no product '\(productID)'", details: ["product": .string(productID)])
            }
            let quota: Quota
            var template: License
            let orderReference: String
            switch view {
            case .serviceProvider:
                let contract = try activeContract(of: company, reader: writer, now: now)
                quota = try providerQuota(company, contract: contract, reader: writer, now: now)
                orderReference = providerOrderReference(company)
                template = License(
                    id: "", key: LicenseKey.random(using: &random), productID: productID, edition: "Standard",
                    quantity: 1, model: .serviceProvider, orderReference: orderReference, orderPosition: 0, orderDate: now,
                    parties: License.Parties(owner: company), runtimeEnd: contract.endsAt, service: nil)
            default:
                let parents = try writer.runningLicenses(ownerID: company, model: .alm, orderReference: nil, now: now)
                    .filter { $0.productID == productID }
                // Sorted by the latest runtime end first: the parent the free keys end with.
                guard let parent = parents.first else {
                    throw PortalError(
                        .forbidden,
                        "free keys of product '\(productID)' are retrieved under purchased ALM licenses of it, and your company has none running",
                        details: ["product": .string(productID)])
                }
                quota = try customerQuotas(company, reader: writer, now: now)[productID]
                    ?? Quota(productID: productID, quota: 0, used: 0)
                orderReference = "FREE-\(parent.orderReference)"
                template = License(
                    id: "", key: parent.key, productID: productID, edition: parent.edition, quantity: 1, model: .free,
                    orderReference: orderReference, orderPosition: 0, orderDate: now, parties: parent.parties,
                    runtimeEnd: parent.runtimeEnd, service: parent.service, parentID: parent.id)
            }
            guard quantity <= quota.remaining else {
                throw PortalError(
                    .limitExceeded,
                    "\(quantity) free keys asked for, \(quota.remaining) left of the quota of \(quota.quota) (\(quota.used) retrieved)",
                    details: [
                        "remaining": .int(Int64(quota.remaining)), "quota": .int(Int64(quota.quota)), "used": .int(Int64(quota.used)),
                    ])
            }
            let firstPosition = try writer.nextOrderPosition(orderReference: orderReference)
            var licenses: [License] = []
            var events: [PortalEvent] = []
            for index in 0..<quantity {
                var license = template
                license.id = OpaqueID.make(prefix: "li")
                license.key = LicenseKey.random(using: &random)
                license.orderPosition = firstPosition + index
                try writer.insert(license)
                events.append(.licenseCreated(license, integrators: try writer.delegatedIntegrators(of: license), cause: cause, at: now))
                licenses.append(license)
            }
            try writer.append(events)
            let presenter = try LicenseCommands.presenter(for: licenses, view: view, now: now, reader: writer)
            var after = quota
            after.used += quantity
            var json = JSONWriter(capacity: 64 + licenses.count * LicenseCommands.expectedItemBytes)
            try json.object { json in
                try json.array("licenses") { json in
                    for license in licenses { try presenter.write(license, to: &json) }
                }
                json.member("quota", after.json)
            }
            return JSONText(json)
        }
    }

    // MARK: Quotas

    /// Per product with running ALM or free licenses: the ALM seats against the free keys held.
    private static func customerQuotas(_ company: String, reader: any StoreReader, now: Date) throws -> [String: Quota] {
        var quotas: [String: Quota] = [:]
        for license in try reader.runningLicenses(ownerID: company, model: .alm, orderReference: nil, now: now) {
            quotas[license.productID, default: Quota(productID: license.productID, quota: 0, used: 0)].quota += license.quantity
        }
        for license in try reader.runningLicenses(ownerID: company, model: .free, orderReference: nil, now: now) {
            quotas[license.productID, default: Quota(productID: license.productID, quota: 0, used: 0)].used += license.quantity
        }
        return quotas
    }

    /// The contract's quota over all products against the running keys retrieved under it.
    private static func providerQuota(_ company: String, contract: ProviderContract, reader: any StoreReader, now: Date) throws -> Quota {
        let held = try reader.runningLicenses(
            ownerID: company, model: .serviceProvider, orderReference: providerOrderReference(company), now: now)
        return Quota(productID: nil, quota: contract.quota, used: held.reduce(0) { $0 + $1.quantity })
    }

    private static func activeContract(of company: String, reader: any StoreReader, now: Date) throws -> ProviderContract {
        guard let contract = try reader.company(id: company)?.contract, contract.isActive(at: now) else {
            throw PortalError(
                .forbidden, "free keys in the service_provider view need an active service-provider contract, and your company has none")
        }
        return contract
    }

    /// The order the provider's free keys are lines of, so that they are told from billed ones.
    static func providerOrderReference(_ company: String) -> String { "FREE-SP-\(company)" }
}
