import Foundation
import PortalProtocol
import Testing

extension HeavyTests {
    /// `portalctl bench` for a second or so against the real servers: every request accounted
    /// for, the report well formed. Nothing here asserts speed.
    @Suite struct BenchEndToEndTests {
        /// Runs the bench with `--json` and returns its report; the exit status must be 0.
        private func bench(_ endpoint: String, _ arguments: [String]) throws -> JSONValue {
            let run = try PortalctlCommand.run(
                ["bench", "--endpoint", endpoint, "--json", "--duration", "1", "--warmup", "0.2"] + arguments, timeout: .seconds(60))
            try #require(run.status == 0, "portalctl bench \(arguments): \(run.standardError)")
            let report = try JSONParser.parse(Array(run.standardOutput.utf8), maxDepth: 64)
            // Every measured request has its outcome or is unanswered; nothing else.
            let replies = (report["outcomes"]?.objectValue ?? [:]).values.compactMap(\.intValue).reduce(0, +)
            #expect(replies == report["replies"]?.intValue)
            #expect(report["sent"]?.intValue == replies + (report["unanswered"]?.intValue ?? -1))
            #expect(report["unanswered"] == 0)
            #expect(report["unmatched_replies"] == 0)
            #expect(run.standardError.contains("setting up"))
            return report
        }

        /// A signing key in `folder`, for servers whose activations must succeed.
        private func signingKeys(in folder: TemporaryDirectory) throws -> String {
            let keys = folder.path("keys")
            let generated = try ChildProcess.run(try TestExecutables.portald(), ["keys", "generate", "--keys-dir", keys])
            try #require(generated.status == 0, "portald keys generate: \(generated.standardError)")
            return keys
        }

        @Test func pingAgainstTheEchoServer() throws {
            let folder = try TemporaryDirectory(prefix: "echo")
            let echo = try ChildProcess(
                executable: try TestExecutables.portalctl(), arguments: ["echo-server", "--endpoint", "tcp://127.0.0.1:*"], folder: folder)
            try echo.waitForLines(1, timeout: .seconds(10))
            let endpoint = try #require(echo.standardOutput.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
            let report = try bench(endpoint, ["--scenario", "ping", "--connections", "2", "--window", "8"])
            #expect(report["scenario"] == "ping")
            #expect((report["sent"]?.intValue ?? 0) > 0)
            #expect(report["outcomes"]?.objectValue?.keys.sorted() == ["ok"])
            // The echo server answers system.info with an empty result: no memory figures.
            #expect(report["server"]?["before"] == [:])
            echo.send(signal: SIGTERM)
            #expect(echo.waitForExit(timeout: .seconds(5)) != nil)
        }

        @Test func busyRepliesPauseTheirPlaceAndAreCounted() throws {
            // One worker that lets nothing wait: most of 128 pings in flight are refused as busy.
            let server = try PortaldProcess(arguments: ["--workers", "1", "--backlog-wait", "0.001"])
            let report = try bench(server.commandEndpoint, ["--scenario", "ping", "--connections", "2", "--window", "64"])
            #expect((report["outcomes"]?["busy"]?.intValue ?? 0) > 0, "\(report)")
            #expect((report["outcomes"]?["ok"]?.intValue ?? 0) > 0, "\(report)")
        }

        @Test func scenariosAgainstTheDemoPortal() throws {
            let world = try DemoWorld()
            // Every scenario's requests must succeed, so none may be refused for waiting.
            let server = try world.start(["--keys-dir", try signingKeys(in: world.folder)] + PortaldProcess.patientBacklog)
            let mixed = try bench(server.commandEndpoint, ["--scenario", "mixed"])
            let operations = mixed["operations"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(operations == [
                "license.list", "license.get", "license.list (filtered)", "software.list", "license.activate", "ticket.create", "offer.request",
            ])
            #expect((mixed["outcomes"]?["ok"]?.intValue ?? 0) > 0)
            // The demo customer's few licenses reach their reactivation limit: refused, and counted.
            let outcomes = Set((mixed["outcomes"]?.objectValue ?? [:]).keys)
            #expect(outcomes.isSubset(of: ["ok", "limit_exceeded"]), "\(outcomes)")
            #expect((mixed["server"]?["before"]?["rss_bytes"]?.intValue ?? 0) > 0)
            #expect((mixed["server"]?["after"]?["rss_peak_bytes"]?.intValue ?? 0) > 0)

            for scenario in ["license.list.deep", "ticket.create", "offer.request"] {
                let report = try bench(server.commandEndpoint, ["--scenario", scenario, "--connections", "1"])
                #expect(report["outcomes"]?.objectValue?.keys.sorted() == ["ok"], "\(scenario)")
            }
        }

        /// A bench data set imported with `portald import`: its accounts log in, and activation
        /// cycles find licenses; open loop this time, at a modest rate.
        @Test func activationsOnAnImportedBenchDataSet() throws {
            let folder = try TemporaryDirectory(prefix: "bench-data")
            let data = try PortalctlCommand.run(["bench-data", "--licenses", "300", "--companies", "5"])
            try #require(data.status == 0, "bench-data: \(data.standardError)")
            let rows = try folder.write(data.standardOutput, to: "bench.jsonl")
            let database = folder.path("portal.sqlite")
            let imported = try ChildProcess.run(try TestExecutables.portald(), ["import", rows, "--database", database], timeout: .seconds(60))
            try #require(imported.status == 0, "portald import: \(imported.standardError)")
            let server = try PortaldProcess(arguments: ["--keys-dir", try signingKeys(in: folder)], database: .path(database))

            let report = try bench(
                server.commandEndpoint,
                ["--scenario", "activate", "--email", "fleet@bench.example", "--rate", "50", "--connections", "2"])
            #expect(report["rate"] == "50:1")
            #expect((report["outcomes"]?["ok"]?.intValue ?? 0) > 0)
            #expect(report["outcomes"]?.objectValue?.keys.sorted() == ["ok"])
            #expect(report["segments"]?.arrayValue?.count == 1)
        }
    }
}
