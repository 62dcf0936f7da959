import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// The licenses a company names in one of its views for a command on several of them at once
/// (`license.destroy`, `offer.request`): read from `args.licenses`, then looked up all before
/// anything changes, so that the first that fails names itself and nothing is done.
enum LicenseSelection {
    /// `args.licenses`: 1 to `max` ids or keys as typed, none twice (keys compared as keys).
    /// `purpose` ends the message of a missing list ("the ids or keys of the licenses to destroy").
    static func arguments(_ arguments: ArgumentReader, purpose: String, max: Int) throws -> [String] {
        guard let raw = try arguments.optionalStrings("licenses") else {
            throw PortalError.badRequest("args.licenses is required: the ids or keys of the licenses \(purpose)")
        }
        guard (1...max).contains(raw.count) else {
            throw PortalError.badRequest("args.licenses must name 1 to \(max) licenses, not \(raw.count)")
        }
        var seen: Set<String> = []
        return try raw.enumerated().map { index, typed in
            let value = typed.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty, value.count <= 100 else {
                throw PortalError.badRequest("args.licenses[\(index)] must be a license id or key of 1 to 100 characters")
            }
            guard seen.insert(LicenseKey(value)?.text ?? value).inserted else {
                throw PortalError.badRequest("args.licenses names '\(value)' twice", details: ["license": .string(value)])
            }
            return value
        }
    }

    /// The named licenses, in order, each in the view and not destroyed: one outside the view is
    /// `not_found` (whoever holds it), one named twice (by id and key) `bad_request`, a destroyed
    /// one `conflict`. `outcome` ends each message ("nothing was destroyed").
    static func licenses(
        _ named: [String], view: PortalView, company: String, reader: any StoreReader, outcome: String
    ) throws -> [License] {
        let visibility = LicenseVisibility(view: view, company: company)
        var licenses: [License] = []
        var seen: [String: String] = [:]
        for idOrKey in named {
            guard let license = try reader.license(idOrKey: idOrKey, visibility: visibility) else {
                throw PortalError(
                    .notFound, "no license '\(idOrKey)' in your \(view.rawValue) view; \(outcome)",
                    details: ["license": .string(idOrKey)])
            }
            if let earlier = seen[license.id] {
                throw PortalError.badRequest(
                    "args.licenses names license \(license.id) twice ('\(earlier)' and '\(idOrKey)')",
                    details: ["license": .string(license.id)])
            }
            seen[license.id] = idOrKey
            guard license.destroyedAt == nil else {
                throw PortalError(
                    .conflict, "license '\(idOrKey)' is destroyed already; \(outcome)",
                    details: ["license": .string(license.id), "status": .string(LicenseStatus.destroyed.rawValue)])
            }
            licenses.append(license)
        }
        return licenses
    }
}
