import PortalProtocol

/// The performance targets of issue 7, judged from a suite's results.
public struct PerformanceTargets {
    public enum Verdict: String, Sendable {
        case met
        case missed
        case notMeasured = "not measured"
    }

    /// One target: what it asks, what was measured, and whether that meets it.
    public struct Judgement: Sendable {
        public let target: String
        public let measured: String
        public let verdict: Verdict
    }

    /// Busy replies this fast count as turned away at once.
    public static let busyAtOnceMicroseconds = 10_000.0

    let results: BenchResults

    public init(results: BenchResults) {
        self.results = results
    }

    public var judgements: [Judgement] {
        [
            fractionOfCeiling("license.get throughput ≥ 25 % of echo-server (same connections and window)", run: Self.ceilingRounds[1].run, at: 0.25),
            fractionOfCeiling("ping throughput ≥ 50 % of echo-server", run: Self.ceilingRounds[0].run, at: 0.5),
            groupCommit,
            p99Growth("license.list p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000", scenario: "license.list"),
            p99Growth("license.get p99 at 1,000,000 licenses ≤ 1.5 × its p99 at 10,000", scenario: "license.get"),
        ] + overload + startup
    }

    /// The portald runs measured in rounds with the echo server's, with the scenario each runs.
    public static let ceilingRounds = [(run: "1m.ping", scenario: "ping"), (run: "1m.license.get", scenario: "license.get")]

    /// Each round against the echo server's run of the same round, seconds apart; the median of
    /// the rounds' fractions (see bench/suite.sh for why rounds).
    private func fractionOfCeiling(_ target: String, run: String, at fraction: Double) -> Judgement {
        let rounds = results.againstCeiling(run)
        let shares = rounds.map { $0.okPerSecond / $0.ceiling }
        guard let share = Self.median(shares) else { return Judgement(target: target, measured: "-", verdict: .notMeasured) }
        let each = zip(rounds, shares).map { round, share in "\(Self.rate(round.okPerSecond)) of \(Self.rate(round.ceiling)) (\(Self.percent(share)))" }
        return Judgement(
            target: target,
            measured: each.count == 1 ? each[0] : "\(Self.percent(share)), the median of \(each.joined(separator: "; "))",
            verdict: share >= fraction ? .met : .missed)
    }

    static func percent(_ fraction: Double) -> String { "\(BenchFormat.decimal(fraction * 100, places: 1)) %" }

    private var groupCommit: Judgement {
        let target = "durable activate with group commit ≥ 10 × the same run without"
        guard let with = results.report("1m.activate")?["ok_per_s"]?.number,
              let without = results.report("1m.activate.no-group-commit")?["ok_per_s"]?.number
        else {
            let note = results.report("1m.activate") == nil ? "-" : "portald has no setting that turns group commit off"
            return Judgement(target: target, measured: note, verdict: .notMeasured)
        }
        guard without > 0 else { return Judgement(target: target, measured: "no activation succeeded without group commit", verdict: .notMeasured) }
        // The disk's sync time says how much there was to win: where it is short against an
        // activation's CPU time, no grouping of commits can multiply the rate.
        let sync = results.syncedWriteMilliseconds.map { "; a synced 4 KiB write takes \(Self.milliseconds($0 * 1_000))" } ?? ""
        // What the same pair gives where syncs are slowest (see "Group commit on slower disks").
        let slower = results.addedSyncDelays.last.flatMap { delay in
            factor(BenchResults.slowerSyncRun(delay)).map { "; with every sync \(delay) ms slower: \(BenchFormat.decimal($0, places: 1)) ×" }
        } ?? ""
        return Judgement(
            target: target, measured: "\(Self.rate(with)) vs \(Self.rate(without)): \(BenchFormat.decimal(with / without, places: 1)) ×\(sync)\(slower)",
            verdict: with >= 10 * without ? .met : .missed)
    }

    /// ok/s of `run` (group commit on) over its `.no-group-commit` twin; nil when either is missing or nothing succeeded without.
    func factor(_ run: String) -> Double? {
        guard let with = results.report(run)?["ok_per_s"]?.number,
              let without = results.report(run + ".no-group-commit")?["ok_per_s"]?.number, without > 0
        else { return nil }
        return with / without
    }

    /// The median p99 of the rounds on each database (see bench/suite.sh for why rounds).
    private func p99Growth(_ target: String, scenario: String) -> Judgement {
        let p99s = { (size: String) in
            results.rounds("\(size).rate.\(scenario)").compactMap { $0.report["latency_us"]?["p99"]?.number }
        }
        let (smalls, larges) = (p99s("10k"), p99s("1m"))
        guard let small = Self.median(smalls), let large = Self.median(larges), small > 0
        else { return Judgement(target: target, measured: "-", verdict: .notMeasured) }
        let roundsNote = smalls.count > 1 || larges.count > 1
            ? " (medians of \(larges.map(Self.milliseconds).joined(separator: ", ")) and of \(smalls.map(Self.milliseconds).joined(separator: ", ")))"
            : ""
        return Judgement(
            target: target,
            measured: "\(Self.milliseconds(large)) vs \(Self.milliseconds(small))\(roundsNote): \(BenchFormat.decimal(large / small, places: 2)) ×",
            verdict: large <= 1.5 * small ? .met : .missed)
    }

    /// The middle value, or the mean of the middle two; nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private var overload: [Judgement] {
        let names = [
            "overload (3 × capacity, open loop, 30 s): no crash",
            "overload: the excess gets busy at once (busy p99 ≤ 10 ms)",
            "overload: admitted requests keep p99 < 100 ms",
            "overload: RSS stays < 512 MiB",
            "overload: back to normal within 1 s after the burst",
        ]
        guard let report = results.report("1m.overload"), let burst = report["segments"]?.arrayValue?.first else {
            return names.map { Judgement(target: $0, measured: "-", verdict: .notMeasured) }
        }
        var judgements: [Judgement] = []
        let answered = report["server"]?["after"]?["rss_bytes"]?.number != nil
        judgements.append(Judgement(
            target: names[0], measured: answered ? "answered system.info after the run" : "no answer to system.info within 60 s after the run",
            verdict: answered ? .met : .missed))

        let busy = burst["outcomes"]?["busy"]?.number ?? 0
        let offered = burst["sent"]?.number ?? 0
        if busy > 0, let busyP99 = burst["busy_latency_us"]?["p99"]?.number {
            judgements.append(Judgement(
                target: names[1], measured: "\(BenchFormat.grouped(Int64(busy))) of \(BenchFormat.grouped(Int64(offered))) busy, p99 \(Self.milliseconds(busyP99))",
                verdict: busyP99 <= Self.busyAtOnceMicroseconds ? .met : .missed))
        } else {
            judgements.append(Judgement(target: names[1], measured: "no busy replies: the excess queued", verdict: .missed))
        }
        if let admitted = (burst["admitted_latency_us"] ?? burst["latency_us"])?["p99"]?.number {
            judgements.append(Judgement(target: names[2], measured: "p99 \(Self.milliseconds(admitted))", verdict: admitted < 100_000 ? .met : .missed))
        } else {
            judgements.append(Judgement(target: names[2], measured: "-", verdict: .notMeasured))
        }
        if let peak = report["server"]?["after"]?["rss_peak_bytes"]?.number {
            judgements.append(Judgement(
                target: names[3], measured: "peak \(BenchFormat.mebibytes(Int64(peak)))", verdict: peak < 512 * 1_048_576 ? .met : .missed))
        } else {
            judgements.append(Judgement(target: names[3], measured: "-", verdict: .notMeasured))
        }
        let after = report["segments"]?.arrayValue?.dropFirst().first
        if let recovered = after?["recovered_after_s"]?.number {
            judgements.append(Judgement(
                target: names[4], measured: "served normally \(BenchFormat.decimal(recovered, places: 1)) s after the burst",
                verdict: recovered <= 1 ? .met : .missed))
        } else {
            judgements.append(Judgement(
                target: names[4], measured: after == nil ? "-" : "not within the 5 s after the burst", verdict: after == nil ? .notMeasured : .missed))
        }
        return judgements
    }

    private var startup: [Judgement] {
        let starts = "portald starts in < 1 s on the 1,000,000-license database"
        let idles = "portald idles < 64 MiB RSS (1,000,000 licenses)"
        var judgements: [Judgement] = []
        if let milliseconds = results.json("1m.startup.json")?["startup_ms"]?.number {
            judgements.append(Judgement(target: starts, measured: "\(Int(milliseconds)) ms", verdict: milliseconds < 1_000 ? .met : .missed))
        } else {
            judgements.append(Judgement(target: starts, measured: "-", verdict: .notMeasured))
        }
        if let rss = results.json("1m.idle.json")?["result"]?["rss_bytes"]?.number {
            judgements.append(Judgement(target: idles, measured: BenchFormat.mebibytes(Int64(rss)), verdict: rss < 64 * 1_048_576 ? .met : .missed))
        } else {
            judgements.append(Judgement(target: idles, measured: "-", verdict: .notMeasured))
        }
        return judgements
    }

    static func rate(_ perSecond: Double) -> String { "\(BenchFormat.grouped(Int64(perSecond.rounded())))/s" }

    static func milliseconds(_ microseconds: Double) -> String { BenchFormat.latency(Int64(microseconds * 1_000)) }
}
