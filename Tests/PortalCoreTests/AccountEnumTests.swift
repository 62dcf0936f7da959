import PortalCore
import Testing

@Suite struct AccountEnumTests {
    @Test func viewRawValuesAreThoseOfProductMD() {
        #expect(PortalView.allCases.map(\.rawValue) == [
            "customer", "system_integrator", "service_provider", "reseller", "distributor", "partner",
        ])
    }

    @Test func viewsSortInDeclarationOrder() {
        #expect(Set(PortalView.allCases).sorted() == PortalView.allCases)
        #expect(PortalView.customer < .partner)
        #expect(!(PortalView.reseller < .reseller))
    }

    @Test func staffRoleRawValues() {
        #expect(StaffRole.allCases.map(\.rawValue) == ["order", "activation", "support", "admin", "service"])
        #expect(Set(StaffRole.allCases).sorted() == StaffRole.allCases)
    }

    @Test func userStatusAndCompanyRoleRawValues() {
        #expect(User.CompanyRole.allCases.map(\.rawValue) == ["admin", "member"])
        let statuses: [User.Status] = [.pendingConfirmation, .pendingApproval, .active, .rejected, .removed]
        #expect(statuses.map(\.rawValue) == ["pending_confirmation", "pending_approval", "active", "rejected", "removed"])
    }

    @Test func staffIsWhoeverHasAStaffRole() {
        var user = User(
            id: "us_1", companyID: nil, email: "a@b.example", name: "A", passwordHash: "", companyRole: nil,
            staffRoles: [.support], status: .active, createdAt: .init(timeIntervalSince1970: 0))
        #expect(user.isStaff)
        user.staffRoles = []
        #expect(!user.isStaff)
    }
}
