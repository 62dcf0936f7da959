import PortalCore

/// The authenticated caller of a command, as `AccessPolicy` established it.
public struct Caller: Sendable {
    public var user: User
    public var session: Session
    /// The caller's company; nil for staff.
    public var company: Company?
    /// The active view, for `.feature` commands.
    public var view: PortalView?
}
