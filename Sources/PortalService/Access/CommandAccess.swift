import PortalCore

/// Who may run a command; declared when the command is registered and enforced by
/// `AccessPolicy` before the handler runs, so no handler checks sessions, views or roles itself.
public enum CommandAccess: Sendable {
    /// No session needed (`system.*`, `auth.login`).
    case anyone
    /// Any valid session, company user or staff.
    case session
    /// A company user in the request's `view`: the company must hold the view, the view must
    /// have the feature.
    case feature(PortalFeature)
    /// A company user whose role in the company is `admin`.
    case companyAdmin
    /// Staff holding one of these roles; staff `admin` may run every staff command.
    case staff(Set<StaffRole>)
    /// Either side of a feature that involves the vendor: a company user as for `.feature`, or
    /// staff as for `.staff` (who name no view). The handler tells them apart by `Caller.company`.
    case featureOrStaff(PortalFeature, Set<StaffRole>)
}
