import PortalProtocol

/// The percentiles a report gives of a latency histogram.
public struct LatencySummary: Sendable, Equatable {
    /// The percentiles reported, with the names JSON gives them.
    public static let percentiles: [(name: String, label: String, value: Double)] = [
        ("p50", "p50", 50), ("p90", "p90", 90), ("p99", "p99", 99), ("p99_9", "p99.9", 99.9),
    ]

    /// Nanoseconds, in the order of `percentiles`.
    public let values: [Int64]
    public let maximum: Int64
    public let mean: Double
    public let count: Int64

    public init(_ histogram: HdrHistogram) {
        values = Self.percentiles.map { histogram.value(atPercentile: $0.value) }
        maximum = histogram.maximum
        mean = histogram.mean
        count = histogram.totalCount
    }

    /// `{"p50":…,"p90":…,"p99":…,"p99_9":…,"max":…,"mean":…}` in microseconds; null without replies.
    public var json: JSONValue {
        guard count > 0 else { return .null }
        var members: [String: JSONValue] = [:]
        for (index, percentile) in Self.percentiles.enumerated() { members[percentile.name] = Self.microseconds(values[index]) }
        members["max"] = Self.microseconds(maximum)
        members["mean"] = Self.microseconds(Int64(mean.rounded()))
        return .object(members)
    }

    /// `p50 1.23 ms  p90 …  max …`.
    public var line: String {
        guard count > 0 else { return "no replies" }
        return (zip(Self.percentiles, values).map { "\($0.label) \(BenchFormat.latency($1))" } + ["max \(BenchFormat.latency(maximum))"])
            .joined(separator: "   ")
    }

    /// The p99 as text, `-` without replies.
    public var p99: String { count > 0 ? BenchFormat.latency(values[2]) : "-" }

    /// Microseconds with a tenth: exact enough for any latency this transport shows.
    private static func microseconds(_ nanoseconds: Int64) -> JSONValue {
        .double((Double(nanoseconds) / 100).rounded() / 10)
    }
}
