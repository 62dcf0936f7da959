import Foundation
import PortalCore
import PortalProtocol

extension Offer {
    /// In the `offer.*` results and the `offer.*` events: the same for both sides and staff, with
    /// the status as of `now` (a quote past its end is `expired`).
    func json(at now: Date) -> JSONValue {
        func time(_ date: Date) -> JSONValue { .string(RFC3339.string(from: date)) }
        return [
            "id": .string(id), "status": .string(status(at: now).rawValue),
            "requester": ["company": .string(requesterID), "view": .string(requesterView.rawValue), "user": .string(requestedBy)],
            "requested_at": time(requestedAt),
            "seller": ["role": .string(seller.role), "company": seller.companyID.map(JSONValue.string) ?? .null],
            "licenses": .array(licenses.map { ["id": .string($0.licenseID), "key": .string($0.key.text), "product": .string($0.productID)] }),
            "extension_years": .int(Int64(extensionYears)), "message": message.map(JSONValue.string) ?? .null,
            "quote": quote.map { quote in
                [
                    "price": .string(quote.price.amount), "currency": .string(quote.price.currency),
                    "valid_until": time(quote.validUntil), "note": quote.note.map(JSONValue.string) ?? .null,
                    "quoted_at": time(quote.quotedAt), "quoted_by": .string(quote.quotedBy),
                ]
            } ?? .null,
            "decision": decision.map { decision in
                ["at": time(decision.at), "by": .string(decision.by), "reason": decision.reason.map(JSONValue.string) ?? .null]
            } ?? .null,
            "fulfilment": fulfilment.map { fulfilment in
                ["at": time(fulfilment.at), "by": .string(fulfilment.by), "order_reference": .string(fulfilment.orderReference)]
            } ?? .null,
        ]
    }
}
