import PortalProtocol

/// A finished run as the user sees it: a table for people, or one JSON object for programs.
public struct BenchReport: Sendable {
    public var scenario: String
    public var endpoint: String
    /// RFC 3339, when the run started.
    public var startedAt: String
    public var configuration: BenchConfiguration
    public var measurement: BenchMeasurement
    public var serverBefore: ServerFacts
    public var serverAfter: ServerFacts

    public init(
        scenario: String, endpoint: String, startedAt: String, configuration: BenchConfiguration,
        measurement: BenchMeasurement, serverBefore: ServerFacts, serverAfter: ServerFacts
    ) {
        self.scenario = scenario
        self.endpoint = endpoint
        self.startedAt = startedAt
        self.configuration = configuration
        self.measurement = measurement
        self.serverBefore = serverBefore
        self.serverAfter = serverAfter
    }

    private var seconds: Double { configuration.measuredSeconds }

    /// Replies per second over the measured time (every outcome).
    public var throughput: Double { Double(measurement.total.replies) / seconds }
    public var okThroughput: Double { Double(measurement.total.okReplies) / seconds }

    /// Every reply came and matched a request.
    public var isComplete: Bool { measurement.total.unanswered == 0 && measurement.unmatchedReplies == 0 }

    private var load: String {
        if let rate = configuration.rate {
            return "open loop at \(rate.description) (requests/s:seconds), \(configuration.connections) connections, at most \(configuration.window) in flight each"
        }
        return "closed loop, \(configuration.connections) connections × \(configuration.window) in flight, \(BenchFormat.number(configuration.durationSeconds)) s"
    }

    // MARK: JSON

    public var json: JSONValue {
        let total = measurement.total
        var members: [String: JSONValue] = [
            "scenario": .string(scenario), "endpoint": .string(endpoint), "started_at": .string(startedAt),
            "connections": .int(Int64(configuration.connections)), "window": .int(Int64(configuration.window)),
            "duration_s": .double(seconds), "warmup_s": .double(configuration.warmupSeconds),
            "rate": configuration.rate.map { .string($0.description) } ?? .null,
            "throughput_per_s": .double(Self.rounded(throughput)), "ok_per_s": .double(Self.rounded(okThroughput)),
            "unmatched_replies": .int(measurement.unmatchedReplies),
            "server": ["before": serverBefore.json, "after": serverAfter.json],
            "notes": .array(measurement.notes.map(JSONValue.string)),
        ]
        members.merge(Self.json(total)) { _, new in new }
        if measurement.operations.count > 1 {
            members["operations"] = .array(measurement.operations.map { operation in
                var entry = Self.json(operation.tally)
                entry["name"] = .string(operation.name)
                return .object(entry)
            })
        }
        if let rate = configuration.rate {
            members["segments"] = .array(rate.segments.indices.map { index in
                let tally = measurement.segments[index]
                let segment = rate.segments[index]
                var entry = Self.json(tally)
                entry["rate"] = .double(segment.rate)
                entry["seconds"] = .double(segment.seconds)
                entry["ok_per_s"] = .double(Self.rounded(measurement.timeline.okRate(during: measurement.segmentBounds[index])))
                entry["recovered_after_s"] = measurement.timeline.recoveryTime(of: measurement.segmentBounds[index]).map(JSONValue.double) ?? .null
                return .object(entry)
            })
        }
        let timeline = measurement.timeline
        members["timeline"] = [
            "interval_ms": .int(timeline.intervalNanoseconds / 1_000_000),
            "offered": .array(timeline.offered.map(JSONValue.int)), "prompt": .array(timeline.prompt.map(JSONValue.int)),
            "ok": .array(timeline.ok.map(JSONValue.int)), "busy": .array(timeline.busy.map(JSONValue.int)),
            "failed": .array(timeline.failed.map(JSONValue.int)),
        ]
        return .object(members)
    }

    /// Counts and latencies of a tally, as JSON members.
    private static func json(_ tally: BenchTally) -> [String: JSONValue] {
        var members: [String: JSONValue] = [
            "sent": .int(tally.sent), "replies": .int(tally.replies), "unanswered": .int(tally.unanswered),
            "outcomes": .object(tally.outcomes.mapValues(JSONValue.int)),
            "latency_us": LatencySummary(tally.latency).json,
        ]
        if tally.busyReplies > 0 {
            members["admitted_latency_us"] = LatencySummary(tally.admittedLatency).json
            members["busy_latency_us"] = LatencySummary(tally.busyLatency).json
        }
        return members
    }

    private static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    // MARK: Table

    /// The human report: what ran, the totals, latencies, outcomes, the server's memory, and per
    /// operation or per segment where there are several.
    public var table: String {
        let total = measurement.total
        var lines = [
            "\(scenario) against \(endpoint): \(load)\(configuration.warmupSeconds > 0 ? " after \(BenchFormat.number(configuration.warmupSeconds)) s of warm-up" : "")",
            "",
            "requests     \(BenchFormat.grouped(total.sent)) sent, \(BenchFormat.grouped(total.replies)) replies, \(BenchFormat.grouped(total.unanswered)) unanswered, \(BenchFormat.grouped(measurement.unmatchedReplies)) unmatched",
            "throughput   \(BenchFormat.decimal(throughput, places: 1)) replies/s (\(BenchFormat.decimal(okThroughput, places: 1)) ok/s)",
            "latency      \(LatencySummary(total.latency).line)",
        ]
        if total.busyReplies > 0 {
            lines.append("  admitted   \(LatencySummary(total.admittedLatency).line)")
            lines.append("  busy       \(LatencySummary(total.busyLatency).line)")
        }
        lines.append("replies      \(Self.outcomes(total))")
        lines.append("server RSS   \(memory)")
        if measurement.operations.count > 1 {
            lines += ["", Self.pad(["operation", "sent", "ok", "errors", "p50", "p99", "p99.9", "max"], widths: Self.operationWidths)]
            for (name, tally) in measurement.operations {
                let latency = LatencySummary(tally.latency)
                let figures = latency.count > 0
                    ? [latency.values[0], latency.values[2], latency.values[3], latency.maximum].map(BenchFormat.latency)
                    : ["-", "-", "-", "-"]
                lines.append(Self.pad(
                    [name, BenchFormat.grouped(tally.sent), BenchFormat.grouped(tally.okReplies),
                     BenchFormat.grouped(tally.replies - tally.okReplies + tally.unanswered)] + figures,
                    widths: Self.operationWidths))
            }
        }
        if let rate = configuration.rate, rate.segments.count > 1 {
            lines += [
                "", "ok/s: ok replies arriving while the segment ran; latencies: of the requests due in it",
                Self.pad(["segment", "offered/s", "ok/s", "busy", "admitted p99", "busy p99", "served normally after"], widths: Self.segmentWidths),
            ]
            for (index, segment) in rate.segments.enumerated() {
                let tally = measurement.segments[index]
                let recovered = measurement.timeline.recoveryTime(of: measurement.segmentBounds[index])
                lines.append(Self.pad(
                    ["\(index + 1): \(BenchFormat.number(segment.seconds)) s", BenchFormat.number(segment.rate),
                     BenchFormat.decimal(measurement.timeline.okRate(during: measurement.segmentBounds[index]), places: 1),
                     BenchFormat.grouped(tally.busyReplies),
                     LatencySummary(tally.admittedLatency).p99, LatencySummary(tally.busyLatency).p99,
                     recovered.map { "\(BenchFormat.decimal($0, places: 1)) s" } ?? "not within the segment"],
                    widths: Self.segmentWidths))
            }
        }
        lines += measurement.notes.map { "note: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private var memory: String {
        guard let before = serverBefore.rssBytes, let after = serverAfter.rssBytes else {
            return "not told (the server's system.info has no rss_bytes)"
        }
        var text = "\(BenchFormat.mebibytes(before)) before, \(BenchFormat.mebibytes(after)) after"
        if let peak = serverAfter.rssPeakBytes { text += ", peak \(BenchFormat.mebibytes(peak)) since start" }
        return text
    }

    /// `ok 1,234  not_found 5`, most frequent first.
    static func outcomes(_ tally: BenchTally) -> String {
        var parts = tally.outcomes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \(BenchFormat.grouped($0.value))" }
        if tally.unanswered > 0 { parts.append("unanswered \(BenchFormat.grouped(tally.unanswered))") }
        return parts.isEmpty ? "none" : parts.joined(separator: "   ")
    }

    private static let operationWidths = [24, 10, 10, 8, 10, 10, 10, 10]
    private static let segmentWidths = [12, 10, 10, 10, 14, 10, 22]

    /// Columns: the first left-aligned, the others right-aligned.
    private static func pad(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }
}
