import Foundation
import PortalCore
import PortalProtocol

/// A large portal as `portald import` rows (protocol/import.md): the demo catalogue's products,
/// customers, resellers and one distributor, their licenses, and accounts that can log in.
///
/// | account | company | sees |
/// |---|---|---|
/// | `customer@bench.example` | Bench Customer AG | 1,000 licenses (a tenth of the licenses below 10,000): the overview, whatever the database's size |
/// | `fleet@bench.example` | Bench Fleet AG | a tenth of all licenses, perpetual: deep pages, and activation cycles that do not run out |
/// | `reseller@bench.example` | Bench Reseller 0 KG | the licenses it sold: about one in `resellers` |
/// | `distributor@bench.example` | Bench Distribution AG | every license |
///
/// The rest belong to the other customers, spread evenly. Everything derives from the license's
/// number, so the same arguments give the same rows (dates move with `today`).
public struct BenchDataSet: Sendable {
    public var licenses: Int
    public var companies: Int
    public var password: String
    /// Dates are relative to it: some licenses and services have ended, most run.
    public var today: Date

    /// The overview account's licenses when there are enough.
    public static let overviewLicenses = 1_000
    public static let accounts = [
        ("customer@bench.example", "BENCH-C0"), ("fleet@bench.example", "BENCH-C1"),
        ("reseller@bench.example", "BENCH-R0"), ("distributor@bench.example", "BENCH-D0"),
    ]

    /// The demo catalogue's products and lines, under references of their own.
    private static let products = [
        ("BENCH-TP-ENGINE", "ThinPrint Engine", "ThinPrint"), ("BENCH-TP-HUB", "ThinPrint Hub", "ThinPrint"),
        ("BENCH-TP-CONNECT", "ThinPrint Connection Service", "ThinPrint"),
        ("BENCH-PP-SERVER", "Personal Printing Server", "Personal Printing"),
        ("BENCH-PP-MOBILE", "Personal Printing Mobile", "Personal Printing"),
    ]

    public init(licenses: Int, companies: Int, password: String, today: Date) {
        precondition(companies >= 3, "the bench needs the overview customer, the fleet and others")
        self.licenses = licenses
        self.companies = companies
        self.password = password
        self.today = Date(timeIntervalSince1970: (today.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// One reseller per 20 customers.
    public var resellers: Int { max(1, companies / 20) }

    /// Every row, in an order the importer accepts (companies and products before what names them).
    public func write(_ row: (JSONValue) throws -> Void) throws {
        for (ref, name, line) in Self.products { try row(["type": "product", "ref": .string(ref), "name": .string(name), "line": .string(line)]) }
        try row(company("BENCH-D0", "Bench Distribution AG", view: "distributor"))
        for index in 0..<resellers { try row(company("BENCH-R\(index)", "Bench Reseller \(index) KG", view: "reseller")) }
        for index in 0..<companies {
            let name = switch index {
            case 0: "Bench Customer AG"
            case 1: "Bench Fleet AG"
            default: "Bench Customer \(index) GmbH"
            }
            try row(company("BENCH-C\(index)", name, view: "customer"))
        }
        for (email, company) in Self.accounts {
            try row([
                "type": "user", "email": .string(email), "name": .string("Bench \(email.prefix { $0 != "@" })"),
                "company": .string(company), "role": "admin", "password": .string(password),
            ])
        }
        for index in 0..<licenses { try row(license(index)) }
    }

    private func company(_ ref: String, _ name: String, view: String) -> JSONValue {
        ["type": "company", "ref": .string(ref), "name": .string(name), "views": [.string(view)]]
    }

    /// The owner of license `index`: every tenth the fleet's, the next tenth the overview
    /// customer's up to its 1,000, the rest spread over the other customers.
    func owner(of index: Int) -> Int {
        if index % 10 == 1 { return 1 }
        if index % 10 == 2 && index / 10 < Self.overviewLicenses { return 0 }
        return 2 + (index &* 7_919) % (companies - 2)
    }

    func license(_ index: Int) -> JSONValue {
        let owner = owner(of: index)
        let orderDate = day(-((index &* 37) % 1_095) - 1)
        let years = 1 + index % 3
        // The fleet's and the overview customer's licenses are perpetual: they never expire, so
        // activation cycles always find licenses that can be activated.
        let model = owner < 2 ? "perpetual" : [0, 3, 6].contains(index % 10) ? "alm" : index % 20 == 9 ? "trial" : "perpetual"
        let runtimeEnd: Date? = switch model {
        case "alm": orderDate.addingTimeInterval(Double(years) * 365 * 86_400)
        case "trial": orderDate.addingTimeInterval(30 * 86_400)
        default: nil
        }
        var row: [String: JSONValue] = [
            "type": "license", "order_reference": .string("BENCH-\(index / 4)"), "order_position": .int(Int64(index % 4 + 1)),
            "order_date": .string(RFC3339.string(from: orderDate)),
            "product": .string(Self.products[index % Self.products.count].0), "owner": .string("BENCH-C\(owner)"),
            "reseller": .string("BENCH-R\(owner % resellers)"), "distributor": "BENCH-D0", "model": .string(model),
            "quantity": .int([1, 5, 10, 25][index % 4]),
        ]
        if model != "trial" {
            row["service_end"] = .string(RFC3339.string(from: orderDate.addingTimeInterval(Double(years) * 365 * 86_400)))
        }
        row["runtime_end"] = runtimeEnd.map { .string(RFC3339.string(from: $0)) }
        return .object(row)
    }

    private func day(_ offset: Int) -> Date { today.addingTimeInterval(Double(offset) * 86_400) }
}
