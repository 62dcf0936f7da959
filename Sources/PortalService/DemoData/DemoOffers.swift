import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// The demo portal's service offers, one in each open status and for each kind of seller, made
/// step by step as the commands would make them, each step with its event.
enum DemoOffers {
    private struct Step {
        var type: EventType
        var change: (inout Offer) throws -> Void
    }

    /// Writes the demo offers; the showcase licenses and companies must be there.
    static func insert(into writer: any StoreWriter, cause: EventCause, at now: Date) throws {
        let days = { (count: Double) in Date(unixSeconds: now.addingTimeInterval(count * 86_400).unixSeconds) }
        func quote(_ amount: String, validDays: Double, by user: String, note: String?) -> Step {
            Step(type: .offerQuoted) { offer in
                offer.status = .quoted
                offer.quote = Offer.Quote(
                    price: try Money(amount: amount, currency: "EUR"), validUntil: days(validDays), note: note, quotedAt: now,
                    quotedBy: user)
            }
        }
        let offers: [(id: String, requester: String, view: PortalView, user: String, licenses: [String], years: Int, message: String?, steps: [Step])] = [
            // Waiting for the reseller's quote.
            ("of_demo_1", DemoCatalogue.customer, .customer, "us_demo_customer", ["li_demo_2", "li_demo_3"], 1,
             "Please quote one more year of Update & Support for both print servers.", []),
            // Quoted by the reseller, waiting for the customer's decision.
            ("of_demo_2", DemoCatalogue.customer, .customer, "us_demo_customer", ["li_demo_5"], 2, nil,
             [quote("2400.00", validDays: 30, by: "us_demo_reseller", note: "two years at the price of 1.8")]),
            // Bought direct from the vendor: waiting in the order team's queue for a quote.
            ("of_demo_3", DemoCatalogue.provider, .serviceProvider, "us_demo_provider", ["li_demo_35"], 1, nil, []),
            // Accepted: waiting in the order team's queue for the renewal.
            ("of_demo_4", DemoCatalogue.customer2, .customer, "us_demo_customer2", ["li_demo_40"], 1, nil,
             [quote("180.00", validDays: 14, by: "us_demo_multi", note: nil),
              Step(type: .offerAccepted) { offer in
                  offer.status = .accepted
                  offer.decision = Offer.Decision(at: now, by: "us_demo_customer2")
              }]),
        ]
        for spec in offers {
            let licenses = try spec.licenses.map { id in
                guard let license = try writer.license(id: id) else { throw PortalError(.internal, "demo license \(id) is missing") }
                return license
            }
            var offer = Offer(
                id: spec.id, requesterID: spec.requester, requesterView: spec.view, requestedBy: spec.user, requestedAt: now,
                seller: .of(licenses[0], requestedBy: spec.requester),
                licenses: licenses.map { Offer.Item(licenseID: $0.id, key: $0.key, productID: $0.productID) },
                extensionYears: spec.years, message: spec.message)
            try writer.insert(offer)
            try writer.append(.offer(.offerRequested, offer, cause: cause, at: now))
            for step in spec.steps {
                let stored = offer.status
                try step.change(&offer)
                try writer.update(offer, from: stored)
                try writer.append(.offer(step.type, offer, cause: cause, at: now))
            }
        }
    }
}
