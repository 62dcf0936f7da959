import Foundation
import PortalCore
import PortalStore

/// Records the quotes that time ended: each offer still `quoted` at its `valid_until` becomes
/// `expired`, with an `offer.expired` event (cause `schedule`) dated when the quote ended.
///
/// Commands already treat such a quote as expired from its end on (`Offer.status(at:)`), so a
/// late pass changes nothing anyone could do; it makes the stored status and the events catch
/// up. Each offer is changed in the transaction that reads it, only from `quoted`, so passes on
/// several threads or nodes expire each quote once (see `LicenseScheduler` on one writer).
public struct OfferExpiry: Sendable {
    public let store: any Store
    /// Offers expired per transaction, so that a pass after a long downtime never holds the
    /// writer for long.
    public var batchSize: Int

    public init(store: any Store, batchSize: Int = 1_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Expires every quote ended by `now`; returns how many.
    @discardableResult
    public func run(now: Date) throws -> Int {
        var expired = 0
        while true {
            let batch = try store.write { writer in
                let offers = try writer.quotesEnded(by: now, limit: batchSize)
                var events: [PortalEvent] = []
                for var offer in offers {
                    let ended = offer.quote?.validUntil ?? now
                    offer.status = .expired
                    try writer.update(offer, from: .quoted)
                    events.append(.offer(.offerExpired, offer, cause: .schedule, at: ended))
                }
                try writer.append(events)
                return offers.count
            }
            expired += batch
            if batch < batchSize { return expired }
        }
    }
}
