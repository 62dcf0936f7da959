import Foundation
import PortalCore
import PortalProtocol

extension PortalEvent {
    /// `offer.*`: the offer as `offer.get` shows it after the change, about the requester and seen
    /// by the requester and the seller it was routed to (staff see every event anyway).
    static func offer(_ type: EventType, _ offer: Offer, cause: EventCause, at: Date) -> PortalEvent {
        PortalEvent(
            type: type, at: at, company: offer.requesterID, parties: offer.parties,
            data: .object(cause.fields.merging(["offer": offer.json(at: at)]) { $1 }))
    }
}
