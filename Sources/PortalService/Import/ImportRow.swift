import Foundation
import PortalCore
import PortalProtocol

/// One validated row of an order-system import. Companies and products are named by the order
/// system's own references; their ids here derive from them, so importing the same file again
/// finds what the first import created.
enum ImportRow: Sendable {
    case company(Company)
    case user(email: String, name: String, companyRef: String, role: User.CompanyRole, password: String?)
    case product(Product, lineName: String)
    case license(License)

    static func companyID(ref: String) -> String { "co_ext_" + ref }
    static func productID(ref: String) -> String { "pr_ext_" + ref }
    static func productLineID(name: String) -> String {
        "pl_ext_" + name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// A company or product reference: at most 64 letters, digits, `-`, `_` or `.`. Ids are made
    /// from references, and company ids are part of event topics, whose parts end with `/`.
    private static func reference(_ row: ArgumentReader, _ name: String) throws -> String {
        try checkedReference(try row.string(name, maxLength: 64), name)
    }

    private static func optionalReference(_ row: ArgumentReader, _ name: String) throws -> String? {
        try row.optionalString(name, maxLength: 64).map { try checkedReference($0, name) }
    }

    private static func checkedReference(_ value: String, _ name: String) throws -> String {
        let allowed = { (byte: UInt8) in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
            default: false
            }
        }
        guard value.utf8.allSatisfy(allowed) else {
            throw PortalError.badRequest("row.\(name) '\(value)' may hold only letters, digits, '-', '_' and '.'")
        }
        return value
    }

    /// Validates one row (a JSON object, or a CSV record turned into one); the error says what to fix.
    static func parse(_ fields: [String: JSONValue]) throws -> ImportRow {
        let row = ArgumentReader(fields, path: "row")
        let type = try row.string("type", maxLength: 20)
        switch type {
        case "company":
            let views = try row.enumSet("views", PortalView.self)
            guard !views.isEmpty else { throw PortalError.badRequest("row.views must name at least one view") }
            let integrators = try row.stringOrStrings("integrators").map { companyID(ref: try checkedReference($0, "integrators")) }
            return .company(Company(
                id: companyID(ref: try reference(row, "ref")), name: try row.string("name", maxLength: 200),
                views: views, createdAt: Date(), integrators: Set(integrators)))
        case "user":
            let password = try row.optionalString("password", maxLength: 1_000)
            let email = try row.string("email", maxLength: 320)
            let normalised = try password.map { try AccountRules.validated(email: email, password: $0) }
                ?? AccountRules.validated(email: email)
            return .user(
                email: normalised, name: try row.string("name", maxLength: 200),
                companyRef: try reference(row, "company"),
                role: try row.optionalEnum("role", User.CompanyRole.self) ?? .member, password: password)
        case "product":
            let ref = try reference(row, "ref")
            let line = try row.string("line", maxLength: 100)
            return .product(
                Product(id: productID(ref: ref), productLineID: productLineID(name: line), name: try row.string("name", maxLength: 200)),
                lineName: line)
        case "license":
            return .license(try license(row))
        default:
            throw PortalError.badRequest("row.type must be company, user, product or license, not '\(type)'")
        }
    }

    private static func license(_ row: ArgumentReader) throws -> License {
        let orderReference = try row.string("order_reference", maxLength: 64)
        let position = try row.optionalInt("order_position", in: 1...1_000_000) ?? 1
        let key: LicenseKey
        if let typed = try row.optionalString("key", maxLength: 40) {
            guard let parsed = LicenseKey(typed) else { throw PortalError.badRequest("row.key '\(typed)' is not a valid license key") }
            key = parsed
        } else {
            key = derivedLicenseKey(orderReference: orderReference, position: position)
        }
        guard let orderDate = try row.optionalTimestamp("order_date") else { throw PortalError.badRequest("row.order_date is required") }
        let model = try row.optionalEnum("model", LicenseModel.self) ?? .perpetual
        let runtimeEnd = try row.optionalTimestamp("runtime_end")
        if model != .perpetual && runtimeEnd == nil {
            throw PortalError.badRequest("row.runtime_end is required for \(model.rawValue) licenses")
        }
        var service: License.Service?
        if let end = try row.optionalTimestamp("service_end") {
            service = License.Service(
                level: try row.optionalString("service_level", maxLength: 50) ?? "Standard",
                start: try row.optionalTimestamp("service_start") ?? orderDate, end: end)
        }
        let party = { (name: String) throws -> String? in try optionalReference(row, name).map(companyID(ref:)) }
        return License(
            id: "li_ext_" + orderReference + "_" + String(position), key: key,
            productID: productID(ref: try reference(row, "product")),
            edition: try row.optionalString("edition", maxLength: 50) ?? "Standard",
            quantity: try row.optionalInt("quantity", in: 1...1_000_000) ?? 1, model: model,
            orderReference: orderReference, orderPosition: position, orderDate: orderDate,
            parties: License.Parties(
                owner: companyID(ref: try reference(row, "owner")),
                integrator: try party("integrator"), reseller: try party("reseller"),
                distributor: try party("distributor"), partner: try party("partner")),
            runtimeEnd: runtimeEnd, service: service,
            activationSlots: try row.optionalInt("activation_slots", in: 1...10_000) ?? 1)
    }
}

/// The license key for a row that brings none: derived from the order line, so a re-import of
/// the same row yields the same key.
func derivedLicenseKey(orderReference: String, position: Int) -> LicenseKey {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the order line
    for byte in (orderReference + "/" + String(position)).utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    var generator = SeededGenerator(seed: hash)
    return LicenseKey.random(using: &generator)
}
