import PortalCore
import Testing

@Suite struct LicenseVisibilityTests {
    @Test(arguments: PortalView.allCases)
    func aVisibilityKnowsItsView(view: PortalView) {
        #expect(LicenseVisibility(view: view, company: "co_1").view == view)
    }
}
