/// The offered load of an open-loop run: one or more segments, each a request rate held for a
/// number of seconds, e.g. three times capacity for 30 s and then half of it for 5 s, to see how
/// the server comes back after the burst.
public struct RateProfile: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        /// Requests per second, all connections together.
        public var rate: Double
        public var seconds: Double

        public init(rate: Double, seconds: Double) {
            self.rate = rate
            self.seconds = seconds
        }
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        precondition(!segments.isEmpty, "a rate profile has at least one segment")
        self.segments = segments
    }

    /// Parses `--rate`: `R` (held for `defaultSeconds`) or `R:S,R:S,…`; nil when malformed.
    public init?(parsing text: String, defaultSeconds: Double) {
        var segments: [Segment] = []
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        for part in parts {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count <= 2, let rate = Double(fields[0]), rate > 0, rate.isFinite else { return nil }
            if fields.count == 2 {
                guard let seconds = Double(fields[1]), seconds > 0, seconds.isFinite else { return nil }
                segments.append(Segment(rate: rate, seconds: seconds))
            } else {
                guard parts.count == 1 else { return nil }
                segments.append(Segment(rate: rate, seconds: defaultSeconds))
            }
        }
        guard !segments.isEmpty else { return nil }
        self.segments = segments
    }

    public var totalSeconds: Double { segments.reduce(0) { $0 + $1.seconds } }

    /// As given on the command line.
    public var description: String {
        segments.map { "\(BenchFormat.number($0.rate)):\(BenchFormat.number($0.seconds))" }.joined(separator: ",")
    }
}
