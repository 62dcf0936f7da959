import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `license.renew`: the order team extends ALM runtimes and Update & Support after an order (or
/// an accepted offer), for all the licenses named or none.
enum RenewalCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("license.renew", access: .staff([.order]), mutating: true, renew)
    }

    /// Licenses one renewal may name at most.
    static let maxLicenses = 500

    /// Stores a license's new term and returns its events: `license.renewed` and the status and
    /// service changes it makes.
    private static func renew(
        _ license: License, to renewed: License, writer: any StoreWriter, cause: EventCause, at now: Date, order orderReference: String,
        years: Int, offer: String?
    ) throws -> [PortalEvent] {
        try writer.updateTerm(licenseID: license.id, runtimeEnd: renewed.runtimeEnd, service: renewed.service)
        // The events announce the license's state as of now; the scheduler goes on from here.
        try writer.markAnnounced(licenseID: license.id, at: now)
        let integrators = try writer.delegatedIntegrators(of: license)
        let renewal = PortalEvent.license(
            .licenseRenewed, renewed, integrators: integrators, cause: cause, at: now,
            data: [
                "years": .int(Int64(years)), "order_reference": .string(orderReference),
                "offer": offer.map(JSONValue.string) ?? .null,
                "runtime_end": ["from": timestamp(license.runtimeEnd), "to": timestamp(renewed.runtimeEnd)],
                "service_end": ["from": timestamp(license.service?.end), "to": timestamp(renewed.service?.end)],
            ])
        return [renewal] + PortalEvent.licenseChanges(license, renewed, integrators: integrators, cause: cause, at: now)
    }

    static func renew(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        let named = try arguments.optionalStrings("licenses") ?? []
        guard !named.isEmpty else { throw PortalError.badRequest("args.licenses must name at least one license (id or key)") }
        guard named.count <= maxLicenses else {
            throw PortalError.badRequest("args.licenses names more than \(maxLicenses) licenses; renew them in several requests")
        }
        let givenYears = try arguments.optionalInt("years", in: 1...5)
        let orderReference = try arguments.string("order_reference", maxLength: 100)
        let offer = try arguments.optionalString("offer", maxLength: 100)
        guard givenYears != nil || offer != nil else {
            throw PortalError.badRequest("args.years is required, unless an offer gives them")
        }
        let renewer = try context.authenticatedCaller.user.id
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            // Every license is checked before anything changes: nothing is renewed unless all are.
            var licenses: [License] = []
            var seen: [String: String] = [:]
            for idOrKey in named {
                guard let license = try license(idOrKey, reader: writer) else {
                    throw PortalError(
                        .notFound, "no license '\(idOrKey)'; nothing was renewed", details: ["license": .string(idOrKey)])
                }
                if let earlier = seen[license.id] {
                    throw PortalError.badRequest(
                        "args.licenses names license \(license.id) twice ('\(earlier)' and '\(idOrKey)')",
                        details: ["license": .string(license.id)])
                }
                seen[license.id] = idOrKey
                licenses.append(license)
            }
            let destroyed = licenses.filter { $0.destroyedAt != nil }.map(\.id)
            guard destroyed.isEmpty else {
                throw PortalError(
                    .conflict,
                    "destroyed licenses cannot be renewed: \(destroyed.joined(separator: ", ")); nothing was renewed",
                    details: ["licenses": .array(destroyed.map { .string($0) })])
            }
            // The accepted offer this renewal fulfils, in the same transaction: used once, and
            // its extension years are the renewal's.
            let fulfilment = try offer.map { id in
                try OfferCommands.fulfil(
                    id, renewing: licenses, years: givenYears, orderReference: orderReference, by: renewer, cause: cause,
                    at: now, writer: writer)
            }
            // Checked above: without an offer, the years are given.
            let years = fulfilment?.years ?? givenYears!
            var events: [PortalEvent] = []
            var items: [JSONValue] = []
            for license in licenses {
                let renewed = license.renewed(years: years, at: now)
                events += try renew(license, to: renewed, writer: writer, cause: cause, at: now, order: orderReference, years: years, offer: offer)
                items.append(json(from: license, to: renewed, at: now))
                // Free keys retrieved under a license end with it, so they are renewed with it.
                for free in try writer.freeLicenses(parentID: license.id) {
                    var followed = free
                    followed.runtimeEnd = renewed.runtimeEnd
                    followed.service = renewed.service
                    events += try renew(free, to: followed, writer: writer, cause: cause, at: now, order: orderReference, years: years, offer: offer)
                }
            }
            if let fulfilment { events.append(fulfilment.event) }
            try writer.append(events)
            return JSONValue.object([
                "licenses": .array(items), "years": .int(Int64(years)), "order_reference": .string(orderReference),
                "offer": offer.map(JSONValue.string) ?? .null,
            ])
        }
    }

    /// Staff see every license: by key when it reads as one, else by id.
    private static func license(_ idOrKey: String, reader: any StoreReader) throws -> License? {
        if let key = LicenseKey(idOrKey), let license = try reader.license(key: key) { return license }
        return try reader.license(id: idOrKey)
    }

    private static func timestamp(_ date: Date?) -> JSONValue {
        date.map { .string(RFC3339.string(from: $0)) } ?? .null
    }

    private static func json(from before: License, to after: License, at now: Date) -> JSONValue {
        [
            "id": .string(after.id), "key": .string(after.key.text), "model": .string(after.model.rawValue),
            "status": .string(after.status(at: now).rawValue),
            "runtime_end": ["from": timestamp(before.runtimeEnd), "to": timestamp(after.runtimeEnd)],
            "service": [
                "level": after.service.map { .string($0.level) } ?? .null,
                "start": timestamp(after.service?.start),
                "end": ["from": timestamp(before.service?.end), "to": timestamp(after.service?.end)],
                "state": .string(after.serviceState(at: now).rawValue),
            ],
        ]
    }
}
