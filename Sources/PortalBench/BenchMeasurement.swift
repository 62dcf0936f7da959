/// What a run measured, before it is put into a report.
public struct BenchMeasurement: Sendable {
    /// Every measured request.
    public var total = BenchTally()
    /// Per rate segment (one for a closed loop), with each segment's bounds in nanoseconds from
    /// the start of measurement.
    public var segments: [BenchTally]
    public let segmentBounds: [Range<Int64>]
    /// Per operation, in the workload's order.
    public var operations: [(name: String, tally: BenchTally)]
    public var timeline = BenchTimeline()
    /// Reply lines whose `id` matched no request in flight (or that had none): a lost
    /// correlation, never expected from a correct server.
    public var unmatchedReplies: Int64 = 0
    /// What the operations had to say (e.g. an activation pool used up).
    public var notes: [String] = []

    public init(segmentBounds: [Range<Int64>], operationNames: [String]) {
        self.segmentBounds = segmentBounds
        segments = Array(repeating: BenchTally(), count: segmentBounds.count)
        operations = operationNames.map { ($0, BenchTally()) }
    }
}
