import Foundation
import PortalBench
import PortalProtocol
import Testing

@Suite struct BenchReportTests {
    private let millisecond: Int64 = 1_000_000

    /// An open-loop run of two operations over two segments, the second with busy replies.
    private func report() -> BenchReport {
        var configuration = BenchConfiguration()
        configuration.rate = RateProfile(segments: [.init(rate: 100, seconds: 1), .init(rate: 50, seconds: 1)])
        var measurement = BenchMeasurement(segmentBounds: [0..<1_000 * millisecond, 1_000 * millisecond..<2_000 * millisecond], operationNames: ["a", "b"])
        for request in 0..<150 {
            let segment = request < 100 ? 0 : 1
            let start = segment == 0 ? Int64(request) * 10 * millisecond : 1_000 * millisecond + Int64(request - 100) * 20 * millisecond
            let outcome = segment == 1 && request % 2 == 0 ? "busy" : request % 10 == 0 ? "not_found" : "ok"
            let latency = (outcome == "busy" ? 1 : 5 + Int64(request % 7)) * millisecond
            measurement.total.sent += 1
            measurement.segments[segment].sent += 1
            measurement.operations[request % 2].tally.sent += 1
            measurement.total.record(outcome: outcome, latency: latency)
            measurement.segments[segment].record(outcome: outcome, latency: latency)
            measurement.operations[request % 2].tally.record(outcome: outcome, latency: latency)
            measurement.timeline.record(start: start, end: start + latency, outcome: outcome)
        }
        measurement.notes = ["a note"]
        return BenchReport(
            scenario: "mixed", endpoint: "tcp://127.0.0.1:1", startedAt: "2026-11-29T08:15:00Z", configuration: configuration,
            measurement: measurement, serverBefore: ServerFacts(systemInfo: ["rss_bytes": 40_000_000]),
            serverAfter: ServerFacts(systemInfo: ["rss_bytes": 50_000_000, "rss_peak_bytes": 60_000_000, "stats": ["busy_lines": 25]]))
    }

    @Test func theJSONReportHoldsEveryFigure() throws {
        let json = report().json
        #expect(json["scenario"] == "mixed")
        #expect(json["rate"] == "100:1,50:1")
        #expect(json["sent"] == 150)
        #expect(json["replies"] == 150)
        #expect(json["outcomes"] == ["ok": 115, "not_found": 10, "busy": 25])
        #expect(json["throughput_per_s"] == .double(75))
        #expect(json["ok_per_s"] == .double(57.5))
        #expect(json["latency_us"]?["max"] == .double(11_000))
        #expect(json["busy_latency_us"]?["p99"] == .double(1_000))
        #expect(json["operations"]?.arrayValue?.map { $0["name"] } == ["a", "b"])
        #expect(json["server"]?["after"] == ["rss_bytes": 50_000_000, "rss_peak_bytes": 60_000_000, "busy_lines": 25])
        let segments = try #require(json["segments"]?.arrayValue)
        #expect(segments.map { $0["sent"] } == [100, 50])
        #expect(segments[0]["recovered_after_s"] == .double(0))
        #expect(segments[1]["recovered_after_s"] == .null)
        #expect(json["timeline"]?["offered"]?.arrayValue?.count == 20)
        #expect(json["notes"] == ["a note"])
        // What is written reads back the same.
        #expect(try JSONParser.parse(json.serialized(), maxDepth: 64) == json)
    }

    @Test func noRepliesMeansNoLatencies() {
        let summary = LatencySummary(HdrHistogram())
        #expect(summary.json == .null)
        #expect(summary.line == "no replies")
        #expect(summary.p99 == "-")
    }

    @Test func theTableNamesTheLoadAndEveryOutcome() {
        let table = report().table
        #expect(table.hasPrefix("mixed against tcp://127.0.0.1:1: open loop at 100:1,50:1"))
        #expect(table.contains("150 sent, 150 replies, 0 unanswered, 0 unmatched"))
        #expect(table.contains("ok 115   busy 25   not_found 10"))
        #expect(table.contains("38.1 MiB before, 47.7 MiB after, peak 57.2 MiB since start"))
        #expect(table.contains("  busy       p50 1.00 ms"))
        #expect(table.contains("note: a note"))
        #expect(table.split(separator: "\n").contains { $0.hasPrefix("2: 1 s") && $0.hasSuffix("not within the segment") })
    }
}
