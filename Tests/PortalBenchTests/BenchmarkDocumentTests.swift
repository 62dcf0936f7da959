import Foundation
import PortalBench
import PortalProtocol
import Testing

@Suite struct BenchmarkDocumentTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-results-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ value: JSONValue) throws {
        try Data(value.serialized()).write(to: folder.appendingPathComponent(name))
    }

    private func run(okPerSecond: Double, p99: Double = 2_000) -> JSONValue {
        [
            "ok_per_s": .double(okPerSecond), "throughput_per_s": .double(okPerSecond), "connections": 4, "window": 16,
            "duration_s": 10.0, "warmup_s": 2.0, "rate": "1000:10", "outcomes": ["ok": 100], "unanswered": 0,
            "started_at": .string(okPerSecond == 80_000 ? "2026-11-29T08:10:00Z" : "2026-11-29T08:12:00Z"),
            "latency_us": ["p50": 500.0, "p90": 900.0, "p99": .double(p99), "p99_9": 3_000.0, "max": 4_000.0],
        ]
    }

    /// The document of the folder's results, on a machine of fixed description.
    private func markdown() -> String {
        let machine = MachineDescription(cores: 2, processor: "Test CPU", memoryBytes: 8 << 30, system: "Test OS")
        return BenchmarkDocument(results: BenchResults(folder: folder), machine: machine, commit: "abc1234").markdown
    }

    private func verdicts() -> [String: PerformanceTargets.Verdict] {
        Dictionary(uniqueKeysWithValues: PerformanceTargets(results: BenchResults(folder: folder)).judgements.map { ($0.target, $0.verdict) })
    }

    @Test func targetsAreJudgedFromTheResults() throws {
        try write("echo.ping.1.json", run(okPerSecond: 80_000))
        try write("1m.ping.1.json", run(okPerSecond: 44_000))
        try write("1m.license.get.1.json", run(okPerSecond: 21_000))
        try write("1m.activate.json", run(okPerSecond: 5_000))
        try write("10k.rate.license.list.1.json", run(okPerSecond: 1_000, p99: 2_000))
        try write("1m.rate.license.list.1.json", run(okPerSecond: 1_000, p99: 3_100))
        try write("1m.startup.json", ["startup_ms": 420])
        try write("1m.idle.json", ["id": .null, "ok": true, "result": ["rss_bytes": 70_000_000]])
        try write("1m.overload.json", [
            "scenario": "license.list", "rate": "60000:30,10000:5", "connections": 4, "window": 20_000,
            "server": ["before": ["rss_bytes": 40_000_000], "after": ["rss_bytes": 90_000_000, "rss_peak_bytes": 300_000_000]],
            "segments": [
                ["seconds": 30.0, "rate": 60_000.0, "sent": 1_800_000, "outcomes": ["ok": 600_000, "busy": 1_200_000],
                 "busy_latency_us": ["p99": 800.0], "admitted_latency_us": ["p50": 30_000.0, "p99": 95_000.0, "max": 120_000.0]],
                ["seconds": 5.0, "rate": 10_000.0, "sent": 50_000, "outcomes": ["ok": 50_000], "recovered_after_s": 1.4,
                 "latency_us": ["p50": 900.0, "p99": 3_000.0, "max": 9_000.0]],
            ],
        ])
        let verdicts = verdicts()
        #expect(verdicts["license.get throughput ≥ 25 % of echo-server (same connections and window)"] == .met)
        #expect(verdicts["ping throughput ≥ 50 % of echo-server"] == .met)
        #expect(verdicts["durable activate with group commit ≥ 10 × the same run without"] == .notMeasured)
        #expect(verdicts["license.list p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000"] == .missed)
        #expect(verdicts["license.get p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000"] == .notMeasured)
        #expect(verdicts["overload (3 × capacity, open loop, 30 s): no crash"] == .met)
        #expect(verdicts["overload: the excess gets busy at once (busy p99 ≤ 10 ms)"] == .met)
        #expect(verdicts["overload: admitted requests keep p99 < 100 ms"] == .met)
        #expect(verdicts["overload: RSS stays < 512 MiB"] == .met)
        #expect(verdicts["overload: back to normal within 1 s after the burst"] == .missed)
        #expect(verdicts["portald starts in < 1 s on the 1,000,000-license database"] == .met)
        #expect(verdicts["portald idles < 64 MiB RSS (1,000,000 licenses)"] == .missed)

        try "3.10 2.00 1.00 1/100 42\n".write(to: folder.appendingPathComponent("loadavg.before"), atomically: true, encoding: .utf8)
        let markdown = markdown()
        #expect(markdown.contains("on 2026-11-29T08:10:00Z, commit `abc1234`"))
        #expect(markdown.contains("2 cores (Test CPU), 8.0 GiB memory, Test OS"))
        #expect(markdown.contains("The machine was busy (load 3.10 on 2 cores)"))
        #expect(markdown.contains("| license.get | portald, round 1 | 21,000 | 21,000 | 500 µs | 900 µs | 2.00 ms | 3.00 ms | 4.00 ms | ok 100 | - |"))
        #expect(markdown.contains("| license.get throughput ≥ 25 % of echo-server (same connections and window) | 21,000/s of 80,000/s (26.2 %) | met |"))
        #expect(markdown.contains("| license.list p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000 | 3.10 ms vs 2.00 ms: 1.55 × | **missed** |"))
        #expect(markdown.contains("| 1: 30 s | 60,000 | - | 1,200,000 | 0 | 30.0 ms | 95.0 ms | 120.0 ms | 800 µs | not within the segment |"))
        #expect(markdown.contains("license.list in an open loop: 60000:30,10000:5 (requests/s:seconds), 4 connections"))
    }

    @Test func p99ByDatabaseSizeComparesTheMediansOfTheRounds() throws {
        // One stall in one round of each size (13 ms, 22 ms) must not decide the verdict.
        for (round, p99) in [2_000.0, 13_000, 2_100].enumerated() {
            try write("10k.rate.license.get.\(round + 1).json", run(okPerSecond: 20_000, p99: p99))
        }
        for (round, p99) in [2_900.0, 2_700, 22_000].enumerated() {
            try write("1m.rate.license.get.\(round + 1).json", run(okPerSecond: 20_000, p99: p99))
        }
        let target = "license.get p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000"
        #expect(verdicts()[target] == .met)
        let markdown = markdown()
        #expect(markdown.contains("| \(target) | 2.90 ms vs 2.10 ms (medians of 2.90 ms, 2.70 ms, 22.0 ms and of 2.00 ms, 13.0 ms, 2.10 ms): 1.38 × | met |"))
        #expect(markdown.contains("3 rounds in which the sizes take turns"))
        #expect(markdown.contains("| license.get | 1,000,000 | 3 | 1000 | 500 µs | 900 µs | 22.0 ms | 3.00 ms | 4.00 ms | ok 100 |"))
    }

    @Test func aFailedRoundIsLeftOutAndAnEvenCountTakesTheMiddleTwo() throws {
        try write("10k.rate.license.list.1.json", run(okPerSecond: 1_000, p99: 2_000))
        // Round 2 failed: its report is empty.
        try Data().write(to: folder.appendingPathComponent("10k.rate.license.list.2.json"))
        try write("10k.rate.license.list.3.json", run(okPerSecond: 1_000, p99: 4_000))
        try write("1m.rate.license.list.1.json", run(okPerSecond: 1_000, p99: 4_000))
        try write("1m.rate.license.list.2.json", run(okPerSecond: 1_000, p99: 5_000))
        let target = "license.list p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000"
        #expect(verdicts()[target] == .met)
        let markdown = markdown()
        #expect(markdown.contains("| \(target) | 4.50 ms vs 3.00 ms (medians of 4.00 ms, 5.00 ms and of 2.00 ms, 4.00 ms): 1.50 × | met |"))
        #expect(markdown.contains("| license.list | 10,000 | 3 | 1000 |"))
        #expect(!markdown.contains("| license.list | 10,000 | 2 |"))
    }

    @Test func eachRoundIsComparedWithItsOwnEchoRunAndTheMedianDecides() throws {
        // The echo server's figure moves between rounds; so does portald's with it.
        for (round, (echo, ping)) in [(100_000.0, 55_000.0), (200_000, 90_000), (120_000, 50_000)].enumerated() {
            try write("echo.ping.\(round + 1).json", run(okPerSecond: echo))
            try write("1m.ping.\(round + 1).json", run(okPerSecond: ping))
        }
        let judgements = PerformanceTargets(results: BenchResults(folder: folder)).judgements
        let ping = try #require(judgements.first { $0.target == "ping throughput ≥ 50 % of echo-server" })
        #expect(ping.measured == "45.0 %, the median of 55,000/s of 100,000/s (55.0 %); 90,000/s of 200,000/s (45.0 %); 50,000/s of 120,000/s (41.7 %)")
        #expect(ping.verdict == .missed)
        let markdown = markdown()
        #expect(markdown.contains("""
            | ping | echo-server, round 1 | 100,000 | 100,000 | 500 µs | 900 µs | 2.00 ms | 3.00 ms | 4.00 ms | ok 100 | - |
            | ping | portald, round 1 | 55,000 | 55,000 | 500 µs | 900 µs | 2.00 ms | 3.00 ms | 4.00 ms | ok 100 | - |
            | ping | echo-server, round 2 | 200,000 |
            """), "\(markdown)")
    }

    @Test func aRoundWithoutItsEchoRunIsLeftOut() throws {
        try write("echo.ping.1.json", run(okPerSecond: 100_000))
        try write("echo.ping.2.json", run(okPerSecond: 120_000))
        // Round 3's echo run failed.
        try Data().write(to: folder.appendingPathComponent("echo.ping.3.json"))
        for (round, get) in [24_000.0, 36_000, 10_000].enumerated() {
            try write("1m.license.get.\(round + 1).json", run(okPerSecond: get))
        }
        let get = try #require(PerformanceTargets(results: BenchResults(folder: folder)).judgements.first { $0.target.hasPrefix("license.get throughput") })
        #expect(get.measured == "27.0 %, the median of 24,000/s of 100,000/s (24.0 %); 36,000/s of 120,000/s (30.0 %)")
        #expect(get.verdict == .met)
        // The round's run is still in the table.
        #expect(markdown().contains("| license.get | portald, round 3 | 10,000 |"))
    }

    @Test func theDiskSyncTimeIsStatedWithGroupCommit() throws {
        try write("1m.activate.json", run(okPerSecond: 1_300))
        try write("1m.activate.no-group-commit.json", run(okPerSecond: 1_250))
        try write("disk-sync.json", ["writes": 200, "seconds": 0.05])
        let results = BenchResults(folder: folder)
        #expect(results.syncedWriteMilliseconds == 0.25)
        let groupCommit = PerformanceTargets(results: results).judgements.first { $0.target.contains("group commit") }
        #expect(groupCommit?.verdict == .missed)
        #expect(groupCommit?.measured.hasSuffix("1.0 ×; a synced 4 KiB write takes 250 µs") == true, "\(groupCommit?.measured ?? "")")
        let markdown = BenchmarkDocument(results: results, machine: .current(), commit: "abc").markdown
        #expect(markdown.contains("- Disk: a 4 KiB write synced before the next (what each durable commit waits for) takes 250 µs on average"))
    }

    @Test func groupCommitOnSlowerDisksIsTabledAndNamedWithTheTarget() throws {
        try write("1m.activate.json", run(okPerSecond: 1_000))
        try write("1m.activate.no-group-commit.json", run(okPerSecond: 650))
        try write("1m.activate.sync-plus-10ms.json", run(okPerSecond: 630))
        try write("1m.activate.sync-plus-10ms.no-group-commit.json", run(okPerSecond: 60))
        try write("1m.activate.sync-plus-2ms.json", run(okPerSecond: 900))
        try write("1m.activate.sync-plus-2ms.no-group-commit.json", run(okPerSecond: 300))
        try write("disk-sync.json", ["writes": 200, "seconds": 0.05])
        let results = BenchResults(folder: folder)
        #expect(results.addedSyncDelays == [2, 10])
        let groupCommit = try #require(PerformanceTargets(results: results).judgements.first { $0.target.contains("group commit") })
        #expect(groupCommit.measured == "1,000/s vs 650/s: 1.5 ×; a synced 4 KiB write takes 250 µs; with every sync 10 ms slower: 10.5 ×")
        #expect(groupCommit.verdict == .missed, "judged on this machine's disk")
        let markdown = BenchmarkDocument(results: results, machine: .current(), commit: "abc").markdown
        #expect(markdown.contains("""
            | syncs | ok/s, group commit on | ok/s, off | on ÷ off |
            |---|---:|---:|---:|
            | this disk's (250 µs for a synced 4 KiB write) | 1,000 | 650 | 1.5 × |
            | 2 ms slower | 900 | 300 | 3.0 × |
            | 10 ms slower | 630 | 60 | 10.5 × |
            """), "\(markdown)")
    }

    @Test func anEmptyFolderMeasuredNothing() {
        #expect(verdicts().values.allSatisfy { $0 == .notMeasured })
    }
}
