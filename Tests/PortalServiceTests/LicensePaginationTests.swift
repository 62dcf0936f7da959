import Foundation
import PortalCore
import PortalProtocol
import Testing

/// `license.list` pages under every sort and order: concatenated, they are the whole ordered
/// list, each license exactly once, even where many licenses share a sort value or have none.
@Suite struct LicensePaginationTests {
    static let sorts = ["service_end", "runtime_end", "purchase_date", "product", "key"]
    static let orders = ["asc", "desc"]

    let fixture: LicenseFixture
    let caller: LicenseCaller
    let licenses: [License]
    /// Names sort differently from ids, so a sort by id would show.
    let productNames = ["pr_1": "Gamma", "pr_2": "Alpha", "pr_3": "Beta"]

    init() throws {
        let fixture = try LicenseFixture()
        self.fixture = fixture
        try fixture.addProductLine("pl_x", name: "Line X", products: productNames.map { (id: $0.key, name: $0.value) })
        try fixture.addCompany("co_owner", name: "Owner AG", views: [.customer])
        // Three dates shared by many licenses, and many without any: ties and open ends everywhere.
        let dates = [fixture.date(days: 10), fixture.date(days: 40), fixture.date(days: -5)]
        let products = productNames.keys.sorted()
        var random = LicenseSplitMix64(seed: 7)
        func someDate() -> Date? { random.chance(0.3) ? nil : dates.randomElement(using: &random)! }
        licenses = (0..<61).map { _ in
            fixture.makeLicense(
                product: products.randomElement(using: &random)!, owner: "co_owner",
                model: [.perpetual, .alm, .trial, .free].randomElement(using: &random)!,
                runtimeEnd: someDate(), serviceEnd: someDate(), orderDate: dates.randomElement(using: &random)!,
                using: &random)
        }
        try fixture.insert(licenses)
        caller = try fixture.caller(of: "co_owner", view: .customer)
    }

    /// The ids in the documented order: ascending by the sort value, ties by id, open ends last;
    /// descending is exactly the reverse.
    func expectedOrder(sort: String, order: String) -> [String] {
        func dateText(_ date: Date?) -> String {
            // Open ends sort after every date.
            date.map { String(format: "%012d", Int($0.timeIntervalSince1970)) } ?? "~open"
        }
        func value(_ license: License) -> String {
            switch sort {
            case "service_end": dateText(license.service?.end)
            case "runtime_end": dateText(license.runtimeEnd)
            case "purchase_date": dateText(license.orderDate)
            case "product": productNames[license.productID]!
            default: license.key.text
            }
        }
        let ascending = licenses.sorted { (value($0), $0.id) < (value($1), $1.id) }.map(\.id)
        return order == "asc" ? ascending : ascending.reversed()
    }

    @Test("pages concatenate to the full ordered list", arguments: sorts, orders)
    func pagesConcatenateToTheOrderedList(sort: String, order: String) throws {
        let expected = expectedOrder(sort: sort, order: order)
        for limit in [1, 3, 500] {
            let ids = try fixture.listAllIDs(caller, ["sort": .string(sort), "order": .string(order)], limit: limit)
            #expect(ids == expected, "sort \(sort) \(order), limit \(limit)")
        }
    }

    @Test func theDefaultIsServiceEndAscending() throws {
        #expect(try fixture.listAllIDs(caller) == expectedOrder(sort: "service_end", order: "asc"))
        #expect(try fixture.listAllIDs(caller, ["sort": "key"]) == expectedOrder(sort: "key", order: "asc"))
    }

    @Test func theLimitDefaultsToFifty() throws {
        let reply = try fixture.list(caller)
        #expect(reply.items.count == 50)
        #expect(reply.nextCursor != nil)
    }

    @Test("a page ending exactly at the last license has no next cursor")
    func noCursorAfterTheLastPage() throws {
        let reply = try fixture.list(caller, ["limit": .int(Int64(licenses.count))])
        #expect(reply.items.count == licenses.count)
        #expect(reply.result["next_cursor"] == .null)
    }

    @Test("a cursor this server did not give out is a bad request", arguments: [
        "garbage!", "", "bm8gbmV3bGluZQ==",  // the last: base64 of "no newline"
    ])
    func garbageCursor(cursor: String) throws {
        let reply = try fixture.list(caller, ["cursor": .string(cursor)])
        #expect(reply.errorCode == "bad_request", "\(reply)")
        #expect(reply.errorMessage.contains("args.cursor"), "\(reply)")
    }

    @Test(
        "a cursor whose sort value does not fit the sort is a bad request")
    func cursorOfAnotherSort() throws {
        let byKey = try fixture.list(caller, ["sort": "key", "limit": 3])
        let cursor = try #require(byKey.nextCursor)
        let reply = try fixture.list(caller, ["sort": "service_end", "cursor": .string(cursor)])
        #expect(reply.errorCode == "bad_request", "\(reply)")
    }
}
