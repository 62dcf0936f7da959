import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// The one place that decides whether a request may run: is the session valid, does the
/// company hold the view, does the view have the feature, does the staff member have the role.
///
/// Failures are `unauthenticated` (no valid session) or `forbidden` (valid session, not allowed).
public struct AccessPolicy: Sendable {
    public var sessions: SessionPolicy
    public var features: FeatureMatrix

    public init(sessions: SessionPolicy = SessionPolicy(), features: FeatureMatrix = .standard) {
        self.sessions = sessions
        self.features = features
    }

    /// `caller`, authenticated for `request`, with the active view set, if `access` (not
    /// `.anyone`, which needs no caller) lets it run the request.
    public func authorize(_ caller: Caller, for request: Request, access: CommandAccess) throws -> Caller {
        var caller = caller
        switch access {
        case .anyone, .session:
            break
        case .feature(let feature):
            caller.view = try view(of: request, for: caller, feature: feature)
        case .companyAdmin:
            guard caller.company != nil, caller.user.companyRole == .admin else {
                throw PortalError(.forbidden, "only an admin of the company may do this")
            }
        case .staff(let roles):
            try requireStaff(caller, roles: roles)
        case .featureOrStaff(let feature, let roles):
            if caller.company == nil {
                try requireStaff(caller, roles: roles)
            } else {
                caller.view = try view(of: request, for: caller, feature: feature)
            }
        }
        return caller
    }

    private func requireStaff(_ caller: Caller, roles: Set<StaffRole>) throws {
        guard caller.user.staffRoles.contains(.admin) || !caller.user.staffRoles.isDisjoint(with: roles) else {
            let needed = roles.sorted().map(\.rawValue).joined(separator: " or ")
            throw PortalError(.forbidden, "this is a back-office command for staff with the role \(needed)")
        }
    }

    /// The hash under which the session named by the request's `auth` is stored.
    public func tokenHash(of request: Request) throws -> String {
        guard let token = request.auth, !token.isEmpty else {
            throw PortalError(.unauthenticated, "this command needs a session: log in with auth.login and send its token as auth")
        }
        return SecureToken.hash(token)
    }

    /// The valid session stored under `tokenHash`, with its user and company.
    public func authenticate(tokenHash: String, reader: any StoreReader, now: Date) throws -> Caller {
        guard let session = try reader.session(tokenHash: tokenHash),
              sessions.isValid(session, at: now),
              let user = try reader.user(id: session.userID), user.status == .active
        else {
            throw PortalError(.unauthenticated, "the session is unknown or has expired; log in again")
        }
        let company = try user.companyID.flatMap { try reader.company(id: $0) }
        return Caller(user: user, session: session, company: company, view: nil)
    }

    private func view(of request: Request, for caller: Caller, feature: PortalFeature) throws -> PortalView {
        guard let company = caller.company else {
            throw PortalError(.forbidden, "this command is for company users in one of their views, not for staff")
        }
        guard let name = request.view else {
            throw PortalError(.badRequest, "view is required: one of \(company.views.sorted().map(\.rawValue).joined(separator: ", "))")
        }
        guard let view = PortalView(rawValue: name) else {
            throw PortalError(.badRequest, "unknown view '\(name)'; the views are \(PortalView.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard company.views.contains(view) else {
            throw PortalError(.forbidden, "your company does not hold the view \(name)")
        }
        guard features.allows(feature, in: view) else {
            throw PortalError(.forbidden, "the view \(name) does not offer \(feature.rawValue)")
        }
        return view
    }
}
