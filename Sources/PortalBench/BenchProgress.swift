/// A snapshot of a run in progress, for the progress line.
public struct BenchProgress: Sendable {
    public enum Phase: String, Sendable {
        case warmup = "warm-up"
        case measuring
        case draining
    }

    public var phase: Phase
    /// Seconds into the phase, and the phase's length (the drain's is its longest).
    public var elapsedSeconds: Double
    public var phaseSeconds: Double
    /// Measured requests sent and replies received so far.
    public var sent: Int64
    public var replies: Int64
    public var busy: Int64
    public var failed: Int64
    public var inFlight: Int
    /// Replies per second since the previous snapshot.
    public var recentRate: Double

    /// One line, e.g. `measuring 3.5/10 s  sent 35,120  replies 35,000 (12,345/s)  busy 0  errors 0  in flight 64`.
    public var line: String {
        "\(phase.rawValue) \(BenchFormat.decimal(elapsedSeconds, places: 1))/\(BenchFormat.number(phaseSeconds)) s"
            + "  sent \(BenchFormat.grouped(sent))  replies \(BenchFormat.grouped(replies)) (\(BenchFormat.grouped(Int64(recentRate.rounded())))/s)"
            + "  busy \(BenchFormat.grouped(busy))  errors \(BenchFormat.grouped(failed))  in flight \(inFlight)"
    }
}
