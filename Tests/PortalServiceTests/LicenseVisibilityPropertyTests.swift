import Foundation
import PortalCore
import PortalProtocol
import Testing

/// The visibility rule as a property: in random worlds, every view of every company sees through
/// `license.list` and `license.get` exactly the licenses the product brief allows, and items name
/// only the parties the view may know. Twelve worlds keep the run near five seconds.
@Suite struct LicenseVisibilityPropertyTests {
    @Test("every view of every company lists, finds and names exactly what the brief allows", arguments: 0..<12 as Range<UInt64>)
    func everyViewSeesExactlyItsLicenses(seed: UInt64) throws {
        let fixture = try LicenseFixture()
        let world = try LicenseWorld.generate(seed: seed, into: fixture)
        var random = LicenseSplitMix64(seed: ~seed)
        let names = Dictionary(uniqueKeysWithValues: world.companies.map { ($0.id, $0.name) })
        for company in world.companies {
            let token = try fixture.login(try fixture.addUser(to: company.id))
            for view in company.views.sorted() {
                let caller = LicenseCaller(token: token, view: view.rawValue)
                let visible = world.licenses.filter { world.shows($0, in: view, to: company.id) }
                let check = ItemCheck(view: view, visible: visible, names: names, context: "seed \(seed), \(company.id) as \(view)")
                try checkListing(fixture, caller, check)
                try checkLookups(fixture, caller, company: company.id, world: world, random: &random, check)
            }
        }
    }

    /// `license.list` pages (small and large) and the destroyed filter show each visible license once.
    private func checkListing(_ fixture: LicenseFixture, _ caller: LicenseCaller, _ check: ItemCheck) throws {
        let live = Set(check.visible.filter { $0.destroyedAt == nil }.map(\.id))
        let destroyed = Set(check.visible.filter { $0.destroyedAt != nil }.map(\.id))

        let paged = try fixture.listAll(caller, limit: 7)
        check.expectExactlyOnce(paged, ids: live, "pages of 7")
        let whole = try fixture.list(caller, ["limit": 500])
        #expect(whole.nextCursor == nil, "\(check.context)")
        check.expectExactlyOnce(whole.items, ids: live, "one page of 500")
        let gone = try fixture.listAll(caller, ["filter": ["status": ["destroyed"]]], limit: 500)
        check.expectExactlyOnce(gone, ids: destroyed, "destroyed")
    }

    /// `license.get` by id and by key: visible licenses are found; licenses naming the company in
    /// a role this view does not cover (the near misses, where a wrong rule would show) and others
    /// are `not_found`.
    ///
    /// A sample per view, not every license: a request costs 1.5 to 3 ms in a debug build, and
    /// asking for every license in every view of 20 worlds took 40 s. The listings above are
    /// exhaustive; `LicenseItemTests` covers the ways a key may be typed.
    private func checkLookups(
        _ fixture: LicenseFixture, _ caller: LicenseCaller, company: String, world: LicenseWorld,
        random: inout LicenseSplitMix64, _ check: ItemCheck
    ) throws {
        let visibleIDs = Set(check.visible.map(\.id))
        let invisible = world.licenses.filter { !visibleIDs.contains($0.id) }
        let nameCompany = { (license: License) in LicensePartyRole.allCases.contains { license.parties[$0] == company } }
        let sample = check.visible.shuffled(using: &random).prefix(4)
            + invisible.filter(nameCompany).shuffled(using: &random).prefix(3)
            + invisible.filter { !nameCompany($0) }.shuffled(using: &random).prefix(1)
        let lookups = sample.enumerated().map { index, license in
            (license, index.isMultiple(of: 2) ? license.id : license.key.text)
        }
        let replies = try fixture.send(lookups.map { _, handle in
            LicenseFixture.request("license.get", auth: caller.token, view: caller.view, args: ["license": .string(handle)])
        })
        for ((license, handle), reply) in zip(lookups, replies) {
            if visibleIDs.contains(license.id) {
                #expect(reply.ok, "\(check.context): get \(handle) \(reply)")
                #expect(reply.result["id"]?.stringValue == license.id, "\(check.context): get \(handle)")
                check.expectItem(reply.result)
            } else {
                #expect(reply.errorCode == "not_found", "\(check.context): get \(handle) of \(license.id) must be not_found: \(reply)")
            }
        }
    }

    /// What one caller may see, and how its items must look.
    struct ItemCheck {
        let view: PortalView
        let visible: [License]
        let names: [String: String]
        let context: String

        func expectExactlyOnce(_ items: [JSONValue], ids expected: Set<String>, _ what: String) {
            let ids = items.compactMap { $0["id"]?.stringValue }
            #expect(ids.count == Set(ids).count, "\(context), \(what): an id appears twice")
            #expect(Set(ids) == expected, "\(context), \(what): extra \(Set(ids).subtracting(expected).sorted()), missing \(expected.subtracting(ids).sorted())")
            for item in items { expectItem(item) }
        }

        /// The item is a visible license, with its own key and exactly the parties the view may name.
        func expectItem(_ item: JSONValue) {
            guard let license = visible.first(where: { $0.id == item["id"]?.stringValue }) else {
                Issue.record("\(context): an item outside the view: \(item)")
                return
            }
            #expect(item["key"]?.stringValue == license.key.text, "\(context)")
            var expectedParties: [String: JSONValue] = [:]
            for role in LicensePartyRole.visible(in: view) {
                guard let id = license.parties[role] else { continue }
                expectedParties[role.rawValue] = ["id": .string(id), "name": .string(names[id] ?? "?")]
            }
            #expect(item["parties"] == .object(expectedParties), "\(context): parties of \(license.id)")
        }
    }
}
