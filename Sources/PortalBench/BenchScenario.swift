/// A named load: which operations, in what proportions. Adding one is adding an entry to `all`.
public struct BenchScenario: Sendable {
    public let name: String
    public let summary: String
    /// Whether it logs in (all but `ping`, which also runs against `portalctl echo-server`).
    public let needsSession: Bool
    private let build: @Sendable (ScenarioContext) throws -> [(operation: any BenchOperation, weight: Int)]

    init(
        _ name: String, _ summary: String, needsSession: Bool = true,
        build: @escaping @Sendable (ScenarioContext) throws -> [(operation: any BenchOperation, weight: Int)]
    ) {
        self.name = name
        self.summary = summary
        self.needsSession = needsSession
        self.build = build
    }

    /// The workload, after the setup its operations need (login, collecting licenses).
    public func workload(in context: ScenarioContext) throws -> BenchWorkload {
        BenchWorkload(try build(context))
    }

    public static func named(_ name: String) -> BenchScenario? { all.first { $0.name == name } }

    public static let all: [BenchScenario] = [
        BenchScenario("ping", "system.ping: the transport and the pipeline, no store", needsSession: false) {
            [($0.ping(), 1)]
        },
        BenchScenario("license.get", "a license with its history, from the view's first 5,000") {
            [(try $0.licenseGet(), 1)]
        },
        BenchScenario("license.list", "the overview's first page of 50") {
            [(try $0.firstPage(), 1)]
        },
        BenchScenario("license.list.deep", "pages of 50 at random depths (to 100,000), by cursor") {
            [(try $0.deepPage(), 1)]
        },
        BenchScenario("software.list", "the downloads page: products, releases, entitlements") {
            [(try $0.softwareList(), 1)]
        },
        BenchScenario("activate", "a first activation, then reactivations, license by license") {
            [(try $0.activation(), 1)]
        },
        BenchScenario("ticket.create", "support tickets, most about a license, of every category") {
            [(try $0.ticketCreate(), 1)]
        },
        BenchScenario("offer.request", "renewal offer requests for one to three licenses") {
            [(try $0.offerRequest(), 1)]
        },
        BenchScenario(
            "mixed",
            // The summary, and `portalctl bench --help`, state these weights: change them together.
            "overview reads 78 %, downloads lists 14 %, writes 8 %"
        ) { context in
            [
                (try context.firstPage(), 35), (try context.licenseGet(), 35), (try context.filteredPage(), 8),
                (try context.softwareList(), 14), (try context.activation(), 4), (try context.ticketCreate(), 2),
                (try context.offerRequest(), 2),
            ]
        },
    ]
}
