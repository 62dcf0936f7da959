import PortalCore
import PortalProtocol
import PortalStore
import Testing

@Suite struct CompanyStoreTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    @Test func anInsertedCompanyReadsBackEqual() throws {
        let company = try fixture.insert(fixture.company(views: [.reseller, .serviceProvider]))
        #expect(try fixture.store.read { reader in try reader.company(id: company.id) } == company)
    }

    @Test func anUnknownCompanyIsNil() throws {
        #expect(try fixture.store.read { reader in try reader.company(id: "co_missing") } == nil)
    }

    @Test func aCompanyWithoutViewsReadsBackWithout() throws {
        let company = try fixture.insert(fixture.company(views: []))
        #expect(try fixture.store.read { reader in try reader.company(id: company.id) }?.views == [])
    }

    @Test func updateReplacesNameAndViews() throws {
        var company = try fixture.insert(fixture.company(views: [.customer, .systemIntegrator]))
        company.name = "Renamed GmbH"
        company.views = [.distributor, .partner]
        try fixture.store.write { writer in try writer.update(company) }

        let stored = try #require(try fixture.store.read { reader in try reader.company(id: company.id) })
        #expect(stored.name == "Renamed GmbH")
        #expect(stored.views == [.distributor, .partner])
        #expect(stored.createdAt == StoreFixture.start)
    }

    @Test func aDuplicateIDIsAConflict() throws {
        let company = try fixture.insert(fixture.company("co_same", name: "First"))
        let error = try #require(throws: PortalError.self) {
            try fixture.store.write { writer in try writer.insert(fixture.company("co_same", name: "Second")) }
        }
        #expect(error.code == .conflict)
        #expect(try fixture.store.read { reader in try reader.company(id: "co_same") } == company)
    }

    @Test func pagingByCursorListsEveryCompanyExactlyOnceInIDOrder() throws {
        let ids = (0..<11).map { _ in OpaqueID.make(prefix: "co") }
        for id in ids { try fixture.insert(fixture.company(id)) }

        var listed: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try fixture.store.read { reader in try reader.companies(after: cursor, limit: 4) }
            #expect(page.count <= 4)
            listed += page.map(\.id)
            cursor = page.count == 4 ? page.last?.id : nil
            pages += 1
        } while cursor != nil

        #expect(listed == ids.sorted())
        #expect(pages == 3)
    }

    @Test func listingReturnsTheViewsToo() throws {
        try fixture.insert(fixture.company("co_a", views: [.partner]))
        try fixture.insert(fixture.company("co_b", views: [.customer, .reseller]))
        let companies = try fixture.store.read { reader in try reader.companies(after: nil, limit: 10) }
        #expect(companies.map(\.views) == [[.partner], [.customer, .reseller]])
        #expect(try fixture.store.read { reader in try reader.companies(after: "co_b", limit: 10) }.isEmpty)
    }
}
