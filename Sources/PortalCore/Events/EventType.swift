/// The kinds of event the portal publishes; each has a schema and an example in `protocol/events/`.
///
/// The names are part of the wire contract (they are the second part of every event topic), so
/// they never change; new kinds are added.
public enum EventType: String, Sendable, CaseIterable, Codable, Comparable {
    case licenseCreated = "license.created"
    /// The license's status changed (e.g. `not_activated` → `activated`, or → `expired`).
    case licenseStatus = "license.status"
    /// The Update & Support service state changed (e.g. `active` → `expiring` → `expired`).
    case licenseService = "license.service"
    /// The service ends within 28 days: once per license and service period.
    case licenseExpiring = "license.expiring"
    case licenseActivated = "license.activated"
    case licenseReactivated = "license.reactivated"
    case licenseDestroyed = "license.destroyed"
    case licenseRenewed = "license.renewed"
    /// An ALM license was not activated within its 30-day test phase: it stops working until it is.
    case licenseTestPhaseEnded = "license.test_phase_ended"
    /// The grace of an activation superseded by a reactivation ended: it stopped working.
    case licenseReactivationGraceEnded = "license.reactivation_grace_ended"
    case userRegistered = "user.registered"
    case userConfirmed = "user.confirmed"
    case userApproved = "user.approved"
    case userRejected = "user.rejected"
    case userAdded = "user.added"
    case userRemoved = "user.removed"
    case companyCreated = "company.created"
    case companyUpdated = "company.updated"
    // MARK: Tickets
    /// A support ticket was opened.
    case ticketCreated = "ticket.created"
    /// A ticket's status, priority or assignee changed.
    case ticketUpdated = "ticket.updated"
    /// A comment or an internal note was added to a ticket (a note without its text).
    case ticketCommented = "ticket.commented"
    // MARK: Offers
    /// A company asked for a non-binding service offer; routed to the seller of the licenses.
    case offerRequested = "offer.requested"
    case offerQuoted = "offer.quoted"
    case offerAccepted = "offer.accepted"
    case offerDeclined = "offer.declined"
    /// The quote's validity ended before the requester decided.
    case offerExpired = "offer.expired"
    /// The order team renewed the licenses of the accepted offer.
    case offerFulfilled = "offer.fulfilled"

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }
}
