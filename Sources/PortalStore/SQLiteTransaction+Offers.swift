import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Service offers with their licenses.
extension SQLiteTransaction {
    func offer(id: String) throws -> Offer? {
        try Row.fetchOne(statement("SELECT * FROM offers WHERE id = ?"), arguments: [id]).map(offer(from:))
    }

    /// Offers are numbered in the order they were requested, so newest first is by position
    /// descending, the queue ascending. The next cursor is the id of the last offer shown; the
    /// position stays inside, as it counts every company's offers.
    func offers(matching query: OfferQuery) throws -> (items: [Offer], nextCursor: String?) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if case .company(let company, let view) = query.visibility {
            var visible = "(requester_id = ? AND requester_view = ?)"
            arguments += [company, view.rawValue]
            if view == .reseller || view == .distributor {
                visible = "(\(visible) OR (seller_id = ? AND seller_role = ?))"
                arguments += [company, view.rawValue]
            }
            conditions.append(visible)
        }
        if let company = query.company {
            conditions.append("(requester_id = ? OR seller_id = ?)")
            arguments += [company, company]
        }
        if query.orderQueue {
            conditions.append("((seller_role = 'vendor' AND status = 'requested') OR status = 'accepted')")
        }
        if !query.statuses.isEmpty {
            let now = query.now.unixSeconds
            conditions.append("(" + query.statuses.sorted().map { status in
                switch status {
                case .quoted:
                    arguments += [now]
                    return "(status = 'quoted' AND valid_until > ?)"
                case .expired:
                    arguments += [now]
                    return "(status = 'expired' OR (status = 'quoted' AND valid_until <= ?))"
                default:
                    arguments.append(status.rawValue)
                    return "status = ?"
                }
            }.joined(separator: " OR ") + ")")
        }
        if let cursor = query.after {
            guard let last = try offer(id: cursor.id), query.visibility.shows(last), last.requestedAt == cursor.requestedAt,
                  let position = try Int64.fetchOne(
                      statement("SELECT position FROM offers WHERE id = ?"), arguments: [cursor.id])
            else { throw PortalError.badRequest("args.cursor is not a cursor this server gave out") }
            conditions.append(query.orderQueue ? "position > ?" : "position < ?")
            arguments.append(position)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(query.limit + 1)
        let rows = try Row.fetchAll(
            statement("SELECT * FROM offers \(filter) ORDER BY position \(query.orderQueue ? "ASC" : "DESC") LIMIT ?"),
            arguments: StatementArguments(arguments))
        let shown = rows.prefix(query.limit)
        let next = rows.count > query.limit ? shown.last.map { $0["id"] as String } : nil
        return (try shown.map(offer(from:)), next)
    }

    func quotesEnded(by now: Date, limit: Int) throws -> [Offer] {
        try Row.fetchAll(
            statement("SELECT * FROM offers WHERE status = 'quoted' AND valid_until <= ? ORDER BY valid_until, position LIMIT ?"),
            arguments: [now.unixSeconds, limit]
        ).map(offer(from:))
    }

    func insert(_ offer: Offer) throws {
        try run("""
                INSERT INTO offers (id, position, requester_id, requester_view, requested_by, requested_at, seller_role,
                                    seller_id, extension_years, message, status)
                VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM offers), ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                offer.id, offer.requesterID, offer.requesterView.rawValue, offer.requestedBy, offer.requestedAt.unixSeconds,
                offer.seller.role, offer.seller.companyID, offer.extensionYears, offer.message, offer.status.rawValue,
            ])
        for (index, item) in offer.licenses.enumerated() {
            try run(
                "INSERT INTO offer_licenses (offer_id, position, license_id, license_key, product_id) VALUES (?, ?, ?, ?, ?)",
                [offer.id, index + 1, item.licenseID, item.key.text, item.productID])
        }
        // The quote, decision and fulfilment (an offer made with a history, as the demo's are).
        try update(offer, from: offer.status)
    }

    func update(_ offer: Offer, from status: Offer.Status) throws {
        try run("""
                UPDATE offers SET status = ?, price_units = ?, price_decimals = ?, currency = ?, valid_until = ?,
                                  quote_note = ?, quoted_at = ?, quoted_by = ?, decided_at = ?, decided_by = ?,
                                  decline_reason = ?, fulfilled_at = ?, fulfilled_by = ?, order_reference = ?
                WHERE id = ? AND status = ?
                """, [
                offer.status.rawValue, offer.quote?.price.units, offer.quote?.price.decimals, offer.quote?.price.currency,
                offer.quote?.validUntil.unixSeconds, offer.quote?.note, offer.quote?.quotedAt.unixSeconds, offer.quote?.quotedBy,
                offer.decision?.at.unixSeconds, offer.decision?.by, offer.decision?.reason,
                offer.fulfilment?.at.unixSeconds, offer.fulfilment?.by, offer.fulfilment?.orderReference,
                offer.id, status.rawValue,
            ])
        // Another change got there first (a concurrent decision on a store without one writer).
        guard db.changesCount == 1 else {
            throw PortalError(.conflict, "offer '\(offer.id)' changed meanwhile; read it again", details: ["offer": .string(offer.id)])
        }
    }

    private func offer(from row: Row) throws -> Offer {
        let id: String = row["id"]
        guard let view = PortalView(rawValue: row["requester_view"]),
              let seller = Offer.Seller(role: row["seller_role"], companyID: row["seller_id"]),
              let status = Offer.Status(rawValue: row["status"])
        else { throw StoreError("offer \(id) is malformed") }
        let items = try Row.fetchAll(
            statement("SELECT license_id, license_key, product_id FROM offer_licenses WHERE offer_id = ? ORDER BY position"),
            arguments: [id]
        ).map { item in
            guard let key = LicenseKey(item["license_key"] as String) else { throw StoreError("offer \(id) holds a malformed license key") }
            return Offer.Item(licenseID: item["license_id"], key: key, productID: item["product_id"])
        }
        var quote: Offer.Quote?
        if let units: Int64 = row["price_units"] {
            guard let price = Money(units: units, decimals: row["price_decimals"], currency: row["currency"]) else {
                throw StoreError("offer \(id) holds a malformed price")
            }
            quote = Offer.Quote(
                price: price, validUntil: Date(unixSeconds: row["valid_until"]), note: row["quote_note"],
                quotedAt: Date(unixSeconds: row["quoted_at"]), quotedBy: row["quoted_by"])
        }
        let decision = (row["decided_at"] as Int64?).map { at in
            Offer.Decision(at: Date(unixSeconds: at), by: row["decided_by"], reason: row["decline_reason"])
        }
        let fulfilment = (row["fulfilled_at"] as Int64?).map { at in
            Offer.Fulfilment(at: Date(unixSeconds: at), by: row["fulfilled_by"], orderReference: row["order_reference"])
        }
        return Offer(
            id: id, requesterID: row["requester_id"], requesterView: view, requestedBy: row["requested_by"],
            requestedAt: Date(unixSeconds: row["requested_at"]), seller: seller, licenses: items,
            extensionYears: row["extension_years"], message: row["message"], status: status, quote: quote,
            decision: decision, fulfilment: fulfilment)
    }
}
