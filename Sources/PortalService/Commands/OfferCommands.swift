import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Requests for non-binding service offers: a company asks for Update & Support renewals of its
/// licenses, the request goes to whoever sold them (reseller, else distributor, else the
/// vendor's order team), is quoted there, and is accepted, declined or left to expire by the
/// requester; the order team's renewal fulfils an accepted offer (`license.renew {offer}`).
///
/// The order team quotes only offers routed to the vendor: an offer routed to a reseller or a
/// distributor is theirs to price, and the vendor does not undercut its channel.
enum OfferCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        let bothSides = CommandAccess.featureOrStaff(.serviceOffers, [.order])
        registry.register("offer.request", access: .feature(.serviceOffers), mutating: true, request)
        registry.register("offer.list", access: bothSides, list)
        registry.register("offer.get", access: bothSides, get)
        registry.register("offer.quote", access: bothSides, mutating: true, quote)
        registry.register("offer.accept", access: .feature(.serviceOffers), mutating: true, accept)
        registry.register("offer.decline", access: .feature(.serviceOffers), mutating: true, decline)
        registry.register("offer.queue", access: .staff([.order]), queue)
    }

    /// Free texts (message, note, reason) are at most this long; longer is `too_large`.
    private static let maxTextLength = 2_000

    static func request(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let arguments = context.arguments
        let named = try LicenseSelection.arguments(arguments, purpose: "to renew", max: Offer.maxLicenses)
        let years = try arguments.optionalInt("extension_years", in: Offer.extensionYears) ?? 1
        let message = try text(arguments, "message")
        let caller = try context.authenticatedCaller
        let now = context.environment.clock.now
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            let licenses = try LicenseSelection.licenses(
                named, view: view, company: company, reader: writer, outcome: "nothing was requested")
            // One offer per seller, in the order of each seller's first license.
            var sellers: [Offer.Seller] = []
            var licensesBySeller: [Offer.Seller: [License]] = [:]
            for license in licenses {
                let seller = Offer.Seller.of(license, requestedBy: company)
                if licensesBySeller[seller] == nil { sellers.append(seller) }
                licensesBySeller[seller, default: []].append(license)
            }
            let offers = sellers.map { seller in
                Offer(
                    id: OpaqueID.make(prefix: "of"), requesterID: company, requesterView: view, requestedBy: caller.user.id,
                    requestedAt: now, seller: seller,
                    licenses: licensesBySeller[seller, default: []].map { Offer.Item(licenseID: $0.id, key: $0.key, productID: $0.productID) },
                    extensionYears: years, message: message)
            }
            for offer in offers { try writer.insert(offer) }
            try writer.append(offers.map { .offer(.offerRequested, $0, cause: cause, at: now) })
            return JSONValue.object(["offers": .array(offers.map { $0.json(at: now) })])
        }
    }

    /// The caller's offers, newest first: a company's in its view, every offer for staff.
    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        var query = OfferQuery(visibility: try visibility(context), now: context.environment.clock.now)
        _ = try context.arguments.filterValues("status")
        query.statuses = try context.arguments.enumSet("status", Offer.Status.self)
        query.company = try context.arguments.optionalString("company", maxLength: 100)
        return try page(query, context)
    }

    /// The order team's work, oldest first: offers routed to the vendor to quote, and accepted
    /// offers to renew.
    static func queue(_ context: CommandContext) throws -> any Encodable & Sendable {
        var query = OfferQuery(visibility: .staff, now: context.environment.clock.now)
        query.orderQueue = true
        return try page(query, context)
    }

    static func get(_ context: CommandContext) throws -> any Encodable & Sendable {
        let visibility = try visibility(context)
        let id = try context.arguments.string("offer", maxLength: 100)
        let now = context.environment.clock.now
        let offer = try context.environment.store.read { reader in try visibleOffer(id, visibility, reader: reader) }
        return JSONValue.object(["offer": offer.json(at: now)])
    }

    /// The seller's price for the whole request, valid until a moment in the future.
    static func quote(_ context: CommandContext) throws -> any Encodable & Sendable {
        let visibility = try visibility(context)
        let arguments = context.arguments
        let id = try arguments.string("offer", maxLength: 100)
        let amount = try arguments.string("price", maxLength: 40), currency = try arguments.string("currency", maxLength: 10)
        let price: Money
        do throws(Money.Invalid) {
            price = try Money(amount: amount, currency: currency)
        } catch .amount {
            throw PortalError.badRequest(
                "args.price must be a decimal string of more than zero with up to \(Money.maxIntegerDigits) digits and \(Money.maxDecimals) decimals, such as \"1250.00\"")
        } catch .currency {
            throw PortalError.badRequest("args.currency must be an ISO 4217 currency code: three letters, such as EUR")
        }
        let now = context.environment.clock.now
        guard let validUntil = try arguments.optionalTimestamp("valid_until") else {
            throw PortalError.badRequest("args.valid_until is required: until when the quote may be accepted")
        }
        guard validUntil > now else {
            throw PortalError.badRequest("args.valid_until must be in the future, after \(RFC3339.string(from: now))")
        }
        let note = try text(arguments, "note")
        let caller = try context.authenticatedCaller
        return try change(id, visibility, to: .quoted, context: context, at: now) { offer in
            switch visibility {
            case .staff where offer.seller != .vendor:
                throw PortalError(
                    .forbidden, "offer '\(id)' is routed to its \(offer.seller.role), who quotes it; the order team quotes the offers routed to the vendor",
                    details: ["seller": ["role": .string(offer.seller.role), "company": offer.seller.companyID.map(JSONValue.string) ?? .null]])
            case .company where !visibility.isSeller(of: offer):
                throw PortalError(.forbidden, "only the seller that offer '\(id)' was routed to quotes it")
            default:
                break
            }
        } record: { offer in
            offer.quote = Offer.Quote(price: price, validUntil: validUntil, note: note, quotedAt: now, quotedBy: caller.user.id)
        }
    }

    static func accept(_ context: CommandContext) throws -> any Encodable & Sendable {
        try decide(context, to: .accepted, reason: nil)
    }

    static func decline(_ context: CommandContext) throws -> any Encodable & Sendable {
        try decide(context, to: .declined, reason: try text(context.arguments, "reason"))
    }

    /// The requester's decision on the quote.
    private static func decide(_ context: CommandContext, to status: Offer.Status, reason: String?) throws -> any Encodable & Sendable {
        let visibility = try visibility(context)
        let id = try context.arguments.string("offer", maxLength: 100)
        let caller = try context.authenticatedCaller
        let now = context.environment.clock.now
        return try change(id, visibility, to: status, context: context, at: now) { offer in
            guard visibility.isRequester(of: offer) else {
                throw PortalError(.forbidden, "only the company that requested offer '\(id)', in the view it requested it in, accepts or declines it")
            }
        } record: { offer in
            offer.decision = Offer.Decision(at: now, by: caller.user.id, reason: reason)
        }
    }

    /// For `license.renew {offer}`: marks the accepted offer fulfilled by the renewal of
    /// `licenses`, which must be among its licenses (all of them, or fewer when some cannot be
    /// renewed any more), for its extension years, which `years` may repeat but not change.
    /// Returns the years to renew for and the `offer.fulfilled` event.
    static func fulfil(
        _ id: String, renewing licenses: [License], years: Int?, orderReference: String, by user: String, cause: EventCause,
        at now: Date, writer: any StoreWriter
    ) throws -> (years: Int, event: PortalEvent) {
        guard var offer = try writer.offer(id: id) else {
            throw PortalError(.notFound, "no offer '\(id)'; nothing was renewed", details: ["offer": .string(id)])
        }
        let stored = try move(&offer, to: .fulfilled, at: now)
        let offered = Set(offer.licenses.map(\.licenseID))
        if let outside = licenses.first(where: { !offered.contains($0.id) }) {
            throw PortalError(
                .conflict, "license '\(outside.id)' is not in offer '\(id)'; nothing was renewed",
                details: ["offer": .string(id), "license": .string(outside.id)])
        }
        if let years, years != offer.extensionYears {
            throw PortalError(
                .conflict, "offer '\(id)' is for \(offer.extensionYears) years, not \(years) (leave years out to take the offer's); nothing was renewed",
                details: ["offer": .string(id), "extension_years": .int(Int64(offer.extensionYears))])
        }
        offer.fulfilment = Offer.Fulfilment(at: now, by: user, orderReference: orderReference)
        try writer.update(offer, from: stored)
        return (offer.extensionYears, .offer(.offerFulfilled, offer, cause: cause, at: now))
    }

    // MARK: - Helpers

    /// What the caller sees: a company in its view, or staff.
    private static func visibility(_ context: CommandContext) throws -> OfferVisibility {
        let caller = try context.authenticatedCaller
        guard let company = caller.company else { return .staff }
        guard let view = caller.view else { throw PortalError(.internal, "offer commands need a company view") }
        return .company(company.id, view: view)
    }

    /// An offer the caller sees; `not_found` for every other, so nothing about it leaks.
    private static func visibleOffer(_ id: String, _ visibility: OfferVisibility, reader: any StoreReader) throws -> Offer {
        guard let offer = try reader.offer(id: id), visibility.shows(offer) else {
            throw PortalError(.notFound, "no offer '\(id)'", details: ["offer": .string(id)])
        }
        return offer
    }

    /// Moves a visible offer to `status` if `authorize` lets the caller do it and the status
    /// flow allows it, has `record` fill in what the move records, stores it with its event and
    /// returns `{offer}`.
    private static func change(
        _ id: String, _ visibility: OfferVisibility, to status: Offer.Status, context: CommandContext, at now: Date,
        authorize: (Offer) throws -> Void, record: (inout Offer) -> Void
    ) throws -> JSONValue {
        let cause = context.eventCause
        return try context.environment.store.write { writer in
            var offer = try visibleOffer(id, visibility, reader: writer)
            try authorize(offer)
            let stored = try move(&offer, to: status, at: now)
            record(&offer)
            try writer.update(offer, from: stored)
            try writer.append([.offer(status.eventType, offer, cause: cause, at: now)])
            return JSONValue.object(["offer": offer.json(at: now)])
        }
    }

    /// Sets `offer`'s status to `target` if its status at `now` allows it; returns the stored
    /// status it had. Otherwise `conflict`, with the status and the statuses it may move to.
    private static func move(_ offer: inout Offer, to target: Offer.Status, at now: Date) throws -> Offer.Status {
        let current = offer.status(at: now)
        guard current.allows(target) else {
            let allowed = current.next
            let onward = allowed.isEmpty ? "which is final" : "from which it can only become " + allowed.map(\.rawValue).joined(separator: ", ")
            throw PortalError(
                .conflict, "offer '\(offer.id)' is \(current.rawValue), \(onward); it cannot become \(target.rawValue)",
                details: ["offer": .string(offer.id), "status": .string(current.rawValue), "allowed": .array(allowed.map { .string($0.rawValue) })])
        }
        let stored = offer.status
        offer.status = target
        return stored
    }

    /// One page of `query` after `args.cursor`, at most `args.limit`: `{items, next_cursor}`.
    /// Cursors are opaque (`ListCursor`) over the last offer's request time and id; the order
    /// is inside, so a list cursor does not page the queue.
    private static func page(_ query: OfferQuery, _ context: CommandContext) throws -> JSONValue {
        var query = query
        let order = query.orderQueue ? "asc" : "desc"
        query.limit = try context.arguments.optionalInt("limit", in: 1...500) ?? 50
        if let cursor = try context.arguments.optionalString("cursor", maxLength: 400) {
            let (value, id) = try ListCursor.decode(cursor, sort: "requested_at", order: order)
            guard let seconds = Int64(value) else { throw PortalError.badRequest("args.cursor is not a cursor this server gave out") }
            query.after = OfferQuery.Cursor(requestedAt: Date(unixSeconds: seconds), id: id)
        }
        let page = try context.environment.store.read { reader in try reader.offers(matching: query) }
        let next = page.nextCursor == nil ? nil : page.items.last.map { last in
            ListCursor.encode(sort: "requested_at", order: order, value: String(last.requestedAt.unixSeconds), id: last.id)
        }
        return JSONValue.object([
            "items": .array(page.items.map { $0.json(at: query.now) }),
            "next_cursor": next.map(JSONValue.string) ?? .null,
        ])
    }

    /// An optional free text: longer than `maxTextLength` characters is `too_large`, with the
    /// limit in `details`, as for tickets.
    private static func text(_ arguments: ArgumentReader, _ name: String) throws -> String? {
        guard let value = try arguments.optionalString(name, maxLength: .max) else { return nil }
        guard value.count <= maxTextLength else {
            throw PortalError(
                .tooLarge, "args.\(name) is longer than \(maxTextLength) characters",
                details: ["argument": .string(name), "limit_chars": .int(Int64(maxTextLength))])
        }
        return value
    }
}
