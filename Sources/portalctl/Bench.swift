import ArgumentParser
import CommandLineSupport
import Foundation
import Glibc
import PortalBench
import PortalCore
import ZeroMQ

/// `portalctl bench`: a load generator for `portald` (and for `portalctl echo-server`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the server with a scenario and report throughput, latency percentiles and errors.",
        discussion: """
            Opens --connections DEALER connections to the command endpoint and sends one request \
            line per frame. Closed loop (the default): each connection keeps --window requests in \
            flight, sending the next as soon as a reply comes (after a busy reply, that place \
            waits 10 ms, as a client honouring busy would); this finds the throughput the \
            server reaches at that concurrency. Open loop (--rate): requests are due at a fixed \
            rate whatever the server does, and latency counts from when each was due, so a stall \
            is charged to every request that waited behind it (no coordinated omission); \
            --rate R:S,R:S,... gives segments, e.g. a burst and then a normal load, each reported \
            with the time until requests were served promptly again (99 % within 100 ms).

            The first --warmup seconds are not measured. Replies still missing --drain seconds \
            after the last request count as unanswered. Latencies come from an HdrHistogram \
            (three significant digits). The server's RSS before and after is read from \
            system.info. A progress line goes to standard error.

            Scenarios:
            \(BenchScenario.all.map { "  \($0.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

            mixed sends, by weight: license.list first pages 35, license.get 35, license.list \
            filtered to what ends within 90 days 8, software.list 14, activate 4, \
            ticket.create 2, offer.request 2.

            All but ping log in as --email in --view and collect what they need first (licenses, \
            cursors); the demo accounts' password is the default. On a database prepared with \
            portalctl bench-data, use --email customer@bench.example (or fleet@bench.example for \
            deep pages and activations).

            Exit status: 0 when every request got its reply (error replies are counted, not \
            failures); 1 when some were unanswered or a reply matched no request; 2 when the \
            bench could not start.

            Examples:
              portalctl bench --scenario license.get --window 16 --duration 10
              portalctl bench --scenario mixed --rate 2000 --duration 30 --json
              portalctl bench --scenario license.get --rate 30000:30,5000:5 \\
                --window 20000 --warmup 0
            """
    )

    @Option(help: ArgumentHelp("What to send (see the list above).", valueName: "name"))
    var scenario: String = "ping"

    @Option(help: ArgumentHelp("Command endpoint (env: PORTAL_COMMAND_ENDPOINT).", valueName: "endpoint"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Connections (DEALER sockets).", valueName: "n"))
    var connections: Int = 4

    @Option(help: ArgumentHelp("Requests in flight per connection (open loop: at most).", valueName: "n"))
    var window: Int = 16

    @Option(help: ArgumentHelp("Measured seconds (closed loop, or an open loop at one rate).", valueName: "seconds"))
    var duration: Double = 10

    @Option(help: ArgumentHelp("Seconds of load before measuring.", valueName: "seconds"))
    var warmup: Double = 2

    @Option(help: ArgumentHelp("Open loop: requests per second, or segments R:S,R:S,...", valueName: "rate"))
    var rate: String?

    @Option(help: ArgumentHelp("Seconds to wait for outstanding replies at the end.", valueName: "seconds"))
    var drain: Double = 5

    @Option(help: ArgumentHelp("Account to log in as.", valueName: "email"))
    var email: String = "customer@demo.example"

    @Option(help: ArgumentHelp("Its password.", valueName: "password"))
    var password: String = "portal-demo"

    @Option(help: ArgumentHelp("The view requests name.", valueName: "view"))
    var view: String = "customer"

    @Flag(help: "Print the report as one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard BenchScenario.named(scenario) != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; one of \(BenchScenario.all.map(\.name).joined(separator: ", "))")
        }
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard warmup >= 0, drain >= 0 else { throw ValidationError("--warmup and --drain must not be negative") }
        if let rate, RateProfile(parsing: rate, defaultSeconds: duration) == nil {
            throw ValidationError("--rate must be a positive number of requests per second, or segments like 30000:30,5000:5")
        }
    }

    func run() throws {
        let scenario = BenchScenario.named(scenario)!
        let endpoint = CommandEndpoint.resolve(endpoint)
        var settings = BenchConfiguration()
        settings.connections = connections
        settings.window = window
        settings.durationSeconds = duration
        settings.warmupSeconds = warmup
        settings.drainSeconds = drain
        settings.rate = rate.flatMap { RateProfile(parsing: $0, defaultSeconds: duration) }

        let context = try ZMQContext()
        let client = try BlockingClient(context: context, endpoint: endpoint)
        let report: BenchReport
        do {
            let progress = ProgressLine()
            progress.say("\(scenario.name): setting up against \(endpoint)")
            let workload = try scenario.workload(
                in: ScenarioContext(client: client, account: .init(email: email, password: password, view: view)))
            let before = ServerFacts.ask(client)
            let startedAt = RFC3339.string(from: Date())
            let measurement = try BenchRunner(context: context, endpoint: endpoint, configuration: settings, workload: workload)
                .run { progress.update("\(scenario.name): \($0.line)") }
            progress.finish()
            report = BenchReport(
                scenario: scenario.name, endpoint: endpoint, startedAt: startedAt, configuration: settings,
                measurement: measurement, serverBefore: before, serverAfter: ServerFacts.ask(client))
        } catch let error as BenchError {
            throw CommandFailure(status: 2, error.description)
        } catch let error as BlockingClient.Failure {
            throw CommandFailure(status: 2, "setup failed: \(error)")
        }
        if json {
            print(String(decoding: report.json.serialized(), as: UTF8.self))
        } else {
            print(report.table, terminator: "")
        }
        if !report.isComplete { throw ExitCode(1) }
    }
}
