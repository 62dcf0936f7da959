import PortalProtocol

/// BENCHMARKS.md: a suite's figures and the targets' verdicts, in Markdown.
public struct BenchmarkDocument {
    /// The closed-loop runs of the standard set after the rounds against the echo server, in the
    /// order the table lists them.
    public static let closedLoopRuns = [
        ("1m.license.list", "portald", "license.list"), ("1m.license.list.deep", "portald", "license.list.deep"),
        ("1m.software.list", "portald", "software.list"), ("1m.activate", "portald", "activate"),
        ("1m.activate.no-group-commit", "portald, group commit off", "activate"), ("1m.ticket.create", "portald", "ticket.create"),
        ("1m.offer.request", "portald", "offer.request"),
        ("1m.mixed", "portald", "mixed"),
    ]

    let results: BenchResults
    let machine: MachineDescription
    let commit: String
    /// When the suite ran: its first run's start.
    let date: String

    public init(results: BenchResults, machine: MachineDescription, commit: String) {
        self.results = results
        self.machine = machine
        self.commit = commit
        date = results.firstStart ?? "an unknown date"
    }

    public var markdown: String {
        var lines = [
            "# Benchmarks", "",
            "Measured by `make bench` on \(date), commit `\(commit)`: release builds, client and server on the same machine over loopback.",
            "", "- Machine: \(machine.line)", "- Load average (1, 5, 15 min) before the suite: \(load("loadavg.before")); after: \(load("loadavg.after"))",
        ]
        if let busy = busyWarning { lines.append("- **\(busy)**") }
        if let sync = results.syncedWriteMilliseconds {
            lines.append("- Disk: a 4 KiB write synced before the next (what each durable commit waits for) takes \(PerformanceTargets.milliseconds(sync * 1_000)) on average (200 writes with O_DSYNC in `var/bench/`).")
        }
        lines += [
            "- Databases: `portalctl bench-data --licenses N` imported with `portald import` (N = 1,000,000 and 10,000); `customer@bench.example` sees 1,000 licenses in both, `fleet@bench.example` a tenth of all.",
            "- Latencies: from sending (closed loop) or from the time a request was due (open loop) to its reply, HdrHistogram, three significant digits.",
            "", "## Targets", "", "| target | measured | verdict |", "|---|---|---|",
        ]
        for judgement in PerformanceTargets(results: results).judgements {
            lines.append("| \(judgement.target) | \(judgement.measured) | \(judgement.verdict == .met ? "met" : judgement.verdict == .missed ? "**missed**" : "not measured") |")
        }
        lines += closedLoop + mixed + slowerDisks + fixedRate + overload
        lines += [
            "", "## Reproducing", "",
            "`make bench`: about 13 minutes on 2 cores with the default rounds, and a few more the first time, which builds the databases under `var/bench/`. "
                + "Each run is also in `var/bench/results/` as `portalctl bench --json` output, with a timeline in 100 ms steps.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func load(_ name: String) -> String {
        results.text(name).map { $0.split(separator: " ").prefix(3).joined(separator: ", ") } ?? "-"
    }

    /// A warning when the machine was busy before the suite started: other work took cores the
    /// server and client needed, and the figures are lower and noisier than the machine's own.
    private var busyWarning: String? {
        guard let text = results.text("loadavg.before"), let one = Double(text.split(separator: " ").first ?? "") else { return nil }
        guard one > Double(machine.cores) / 2 else { return nil }
        return "The machine was busy (load \(BenchFormat.decimal(one, places: 2)) on \(machine.cores) cores) when the suite started: other work shared the cores, so these figures understate what the code does on a quiet machine."
    }

    /// The rounds against the echo server (each round's echo run, then portald's), then the rest.
    private var closedLoopRows: [(server: String, scenario: String, report: JSONValue)] {
        let runs = [(BenchResults.ceilingRun, "echo-server", "ping")] + PerformanceTargets.ceilingRounds.map { ($0.run, "portald", $0.scenario) }
        // Every round any of them has: a failed echo run leaves portald's runs of its round listed.
        let rounds = Set(runs.flatMap { run, _, _ in results.rounds(run).map(\.round) }).sorted()
        let roundRuns = rounds.flatMap { round in
            runs.map { run, server, scenario in ("\(run).\(round)", "\(server), round \(round)", scenario) }
        }
        return (roundRuns + Self.closedLoopRuns).compactMap { name, server, scenario in results.report(name).map { (server, scenario, $0) } }
    }

    private var closedLoop: [String] {
        let rows = closedLoopRows
        guard let first = rows.first?.2 else { return [] }
        var lines = [
            "", "## Closed loop",
            "", "\(first["connections"]?.intValue ?? 0) connections × \(first["window"]?.intValue ?? 0) requests in flight, \(BenchFormat.number(first["duration_s"]?.number ?? 0)) s measured after \(BenchFormat.number(first["warmup_s"]?.number ?? 0)) s of warm-up; portald on the 1,000,000-license database.",
            "", "| scenario | server | replies/s | ok/s | p50 | p90 | p99 | p99.9 | max | replies | RSS before → after |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for (server, scenario, report) in rows {
            lines.append("| \(scenario) | \(server) | \(Self.rate(report["throughput_per_s"])) | \(Self.rate(report["ok_per_s"])) | \(Self.latencies(report["latency_us"])) | \(Self.outcomes(report)) | \(Self.memory(report)) |")
        }
        return lines
    }

    private var mixed: [String] {
        guard let operations = results.report("1m.mixed")?["operations"]?.arrayValue else { return [] }
        var lines = ["", "### mixed, per operation", "", "| operation | sent | p50 | p90 | p99 | p99.9 | max | replies |", "|---|---:|---:|---:|---:|---:|---:|---|"]
        for operation in operations {
            lines.append("| \(operation["name"]?.stringValue ?? "?") | \(BenchFormat.grouped(operation["sent"]?.intValue ?? 0)) | \(Self.latencies(operation["latency_us"])) | \(Self.outcomes(operation)) |")
        }
        return lines
    }

    /// Group commit's factor on this machine's disk and with every sync made slower.
    private var slowerDisks: [String] {
        let delays = results.addedSyncDelays
        guard !delays.isEmpty else { return [] }
        let targets = PerformanceTargets(results: results)
        var lines = [
            "", "## Group commit on slower disks",
            "", "activate as above, group commit on and off, with every fsync and fdatasync of portald made slower by the delay (`bench/slow-sync.c`, preloaded: it waits before the real sync, one sync at a time, as a slow device would). "
                + "The target is judged on this machine's own disk; these runs show what grouping commits wins where a sync takes milliseconds (spinning disks, network volumes).",
            "", "| syncs | ok/s, group commit on | ok/s, off | on ÷ off |", "|---|---:|---:|---:|",
        ]
        let ownDisk = results.syncedWriteMilliseconds.map { "this disk's (\(PerformanceTargets.milliseconds($0 * 1_000)) for a synced 4 KiB write)" } ?? "this disk's"
        for (label, run) in [(ownDisk, "1m.activate")] + delays.map({ ("\($0) ms slower", BenchResults.slowerSyncRun($0)) }) {
            let factor = targets.factor(run).map { "\(BenchFormat.decimal($0, places: 1)) ×" } ?? "-"
            lines.append("| \(label) | \(Self.rate(results.report(run)?["ok_per_s"])) | \(Self.rate(results.report(run + ".no-group-commit")?["ok_per_s"])) | \(factor) |")
        }
        return lines
    }

    private var fixedRate: [String] {
        let runs = ["license.get", "license.list"].flatMap { scenario in
            [("10,000", "10k"), ("1,000,000", "1m")].flatMap { size, prefix in
                results.rounds("\(prefix).rate.\(scenario)").map { (scenario, size, $0.round, $0.report) }
            }
        }
        guard let first = runs.first?.3 else { return [] }
        let rounds = Set(runs.map(\.2)).count
        let turns = rounds == 1
            ? "one round, each run on a fresh server. The targets compare the p99 of each size."
            : "\(rounds) rounds in which the sizes take turns, each run on a fresh server. The targets compare the median p99 of each size: one stall of the shared machine moves a single run's p99 by several times."
        var lines = [
            "", "## Latency by database size",
            "", "Open loop at half the closed-loop throughput measured on 1,000,000 licenses, the same rate on both databases, \(first["connections"]?.intValue ?? 0) connections, \(BenchFormat.number(first["duration_s"]?.number ?? 0)) s, as `customer@bench.example` (1,000 licenses in both); "
                + turns,
            "", "| scenario | licenses | round | requests/s | p50 | p90 | p99 | p99.9 | max | replies |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for (scenario, size, round, report) in runs {
            let rate = report["rate"]?.stringValue?.split(separator: ":").first.map(String.init) ?? "-"
            lines.append("| \(scenario) | \(size) | \(round) | \(rate) | \(Self.latencies(report["latency_us"])) | \(Self.outcomes(report)) |")
        }
        return lines
    }

    private var overload: [String] {
        guard let report = results.report("1m.overload"), let segments = report["segments"]?.arrayValue else { return [] }
        var lines = [
            "", "## Overload",
            "", "\(report["scenario"]?.stringValue ?? "?") in an open loop: \(report["rate"]?.stringValue ?? "?") (requests/s:seconds), \(report["connections"]?.intValue ?? 0) connections with up to \(report["window"]?.intValue ?? 0) requests in flight each. Server RSS \(Self.memory(report)).",
            "", "ok/s: ok replies arriving while the segment ran; the rest: of the requests due in it.",
            "", "| segment | offered/s | ok/s | busy | unanswered | admitted p50 | admitted p99 | admitted max | busy p99 | served normally after |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (index, segment) in segments.enumerated() {
            let admitted = segment["admitted_latency_us"] ?? segment["latency_us"]
            lines.append(
                "| \(index + 1): \(BenchFormat.number(segment["seconds"]?.number ?? 0)) s | \(Self.rate(segment["rate"])) | \(Self.rate(segment["ok_per_s"])) | \(BenchFormat.grouped(Int64(segment["outcomes"]?["busy"]?.number ?? 0))) | \(BenchFormat.grouped(segment["unanswered"]?.intValue ?? 0)) | "
                    + "\(Self.micro(admitted?["p50"])) | \(Self.micro(admitted?["p99"])) | \(Self.micro(admitted?["max"])) | \(Self.micro(segment["busy_latency_us"]?["p99"])) | "
                    + "\(segment["recovered_after_s"]?.number.map { "\(BenchFormat.decimal($0, places: 1)) s" } ?? "not within the segment") |")
        }
        return lines
    }

    private static func rate(_ value: JSONValue?) -> String {
        value?.number.map { BenchFormat.grouped(Int64($0.rounded())) } ?? "-"
    }

    private static func micro(_ value: JSONValue?) -> String {
        value?.number.map { BenchFormat.latency(Int64($0 * 1_000)) } ?? "-"
    }

    /// `p50 | p90 | p99 | p99.9 | max` cells.
    private static func latencies(_ summary: JSONValue?) -> String {
        ["p50", "p90", "p99", "p99_9", "max"].map { micro(summary?[$0]) }.joined(separator: " | ")
    }

    /// `ok 1,234, not_found 5, unanswered 2`.
    private static func outcomes(_ report: JSONValue) -> String {
        var parts = (report["outcomes"]?.objectValue ?? [:]).sorted { ($1.value.number ?? 0, $0.key) < ($0.value.number ?? 0, $1.key) }
            .map { "\($0.key) \(BenchFormat.grouped(Int64($0.value.number ?? 0)))" }
        if let unanswered = report["unanswered"]?.intValue, unanswered > 0 { parts.append("unanswered \(BenchFormat.grouped(unanswered))") }
        return parts.joined(separator: ", ")
    }

    private static func memory(_ report: JSONValue) -> String {
        guard let before = report["server"]?["before"]?["rss_bytes"]?.intValue, let after = report["server"]?["after"]?["rss_bytes"]?.intValue else {
            return "-"
        }
        return "\(BenchFormat.mebibytes(before)) → \(BenchFormat.mebibytes(after))"
    }
}
