import PortalCore
import PortalStore
import Testing

@Suite struct LicenseLookupTests {
    let fixture: StoreFixture
    let owned = LicenseVisibility.ownedExceptProvider(company: LicenseRows.owner)

    init() throws {
        fixture = try StoreFixture()
        try fixture.store.write { writer in try LicenseRows.insert(count: 2, into: writer) }
    }

    private func lookUp(_ idOrKey: String, _ visibility: LicenseVisibility) throws -> License? {
        try fixture.store.read { reader in try reader.license(idOrKey: idOrKey, visibility: visibility) }
    }

    @Test func aLicenseIsFoundByIDAndByItsKeyAsTyped() throws {
        let license = LicenseRows.license(1)
        #expect(try lookUp(license.id, owned)?.id == license.id)
        #expect(try lookUp(license.key.text, owned)?.id == license.id)
        let typed = license.key.text.lowercased().replacingOccurrences(of: "-", with: "")
        #expect(try lookUp(typed, owned)?.id == license.id)
    }

    @Test func aLicenseOutsideTheVisibilityIsNotFound() throws {
        let license = LicenseRows.license(1)
        let elsewhere = LicenseVisibility.ownedExceptProvider(company: "co_elsewhere")
        #expect(try lookUp(license.id, elsewhere) == nil)
        #expect(try lookUp(license.key.text, elsewhere) == nil)
    }

    @Test func anIDThatReadsAsAKeyIsStillFoundByID() throws {
        // A key no license has, used as another license's id.
        let keyLikeID = LicenseRows.license(99).key.text
        var license = LicenseRows.license(3)
        license.id = keyLikeID
        try fixture.store.write { writer in try writer.insert(license) }
        #expect(try lookUp(keyLikeID, owned)?.key == license.key)
    }
}
