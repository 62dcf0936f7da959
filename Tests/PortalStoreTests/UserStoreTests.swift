import PortalCore
import PortalProtocol
import PortalStore
import Testing

@Suite struct UserStoreTests {
    let fixture: StoreFixture
    let company: Company

    init() throws {
        fixture = try StoreFixture()
        company = try fixture.insert(fixture.company())
    }

    @Test func aUserReadsBackByIDAndByEmail() throws {
        let user = try fixture.insert(fixture.user(email: "jane@printing.example", companyID: company.id, role: .admin))
        let (byID, byEmail) = try fixture.store.read { reader in
            (try reader.user(id: user.id), try reader.user(email: "jane@printing.example"))
        }
        #expect(byID == user)
        #expect(byEmail == user)
    }

    @Test func staffReadBackWithRolesAndWithoutCompany() throws {
        let staff = try fixture.insert(fixture.user(
            email: "ops@vendor.example", companyID: nil, role: nil, staffRoles: [.support, .order]))
        let stored = try #require(try fixture.store.read { reader in try reader.user(id: staff.id) })
        #expect(stored == staff)
        #expect(stored.companyID == nil)
        #expect(stored.companyRole == nil)
        #expect(stored.staffRoles == [.order, .support])
    }

    @Test func emailIsStoredAndLookedUpLowerCased() throws {
        let user = try fixture.insert(fixture.user(email: "Jane.Doe@Printing.EXAMPLE", companyID: company.id))
        let stored = try #require(try fixture.store.read { reader in try reader.user(email: "JANE.DOE@printing.example") })
        #expect(stored.id == user.id)
        #expect(stored.email == "jane.doe@printing.example")
    }

    @Test func anUnknownUserIsNil() throws {
        let (byID, byEmail) = try fixture.store.read { reader in
            (try reader.user(id: "us_missing"), try reader.user(email: "nobody@printing.example"))
        }
        #expect(byID == nil)
        #expect(byEmail == nil)
    }

    @Test(arguments: ["jane@printing.example", "JANE@printing.example", "Jane@Printing.Example"])
    func aTakenEmailIsAConflictInAnyCase(email: String) throws {
        let first = try fixture.insert(fixture.user(email: "jane@printing.example", companyID: company.id))
        let error = try #require(throws: PortalError.self) {
            try fixture.insert(fixture.user(email: email, companyID: nil, role: nil, staffRoles: [.admin]))
        }
        #expect(error.code == .conflict)
        #expect(try fixture.store.read { reader in try reader.user(email: email) } == first)
    }

    @Test func updateChangesEveryField() throws {
        var user = try fixture.insert(fixture.user(email: "jane@printing.example", companyID: company.id))
        user.email = "Jane.New@Printing.example"
        user.name = "Jane New"
        user.passwordHash = "$argon2id$another"
        user.companyRole = .admin
        user.status = .removed
        try fixture.store.write { writer in try writer.update(user) }

        let stored = try #require(try fixture.store.read { reader in try reader.user(id: user.id) })
        #expect(stored.email == "jane.new@printing.example")
        #expect(stored.name == "Jane New")
        #expect(stored.passwordHash == "$argon2id$another")
        #expect(stored.companyRole == .admin)
        #expect(stored.status == .removed)
        #expect(try fixture.store.read { reader in try reader.user(email: "jane@printing.example") } == nil)
    }

    @Test func usersOfACompanyAreOrderedByEmailAndOnlyThatCompanys() throws {
        let other = try fixture.insert(fixture.company(name: "Other Ltd"))
        for email in ["mia@printing.example", "Bob@printing.example", "zoe@printing.example", "anna@printing.example"] {
            try fixture.insert(fixture.user(email: email, companyID: company.id))
        }
        try fixture.insert(fixture.user(email: "aaron@other.example", companyID: other.id))
        try fixture.insert(fixture.user(email: "aaa@vendor.example", companyID: nil, role: nil, staffRoles: [.admin]))

        let users = try fixture.store.read { reader in try reader.users(companyID: company.id) }

        #expect(users.map(\.email) == [
            "anna@printing.example", "bob@printing.example", "mia@printing.example", "zoe@printing.example",
        ])
        #expect(try fixture.store.read { reader in try reader.users(companyID: "co_missing") }.isEmpty)
    }
}
