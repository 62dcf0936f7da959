/// A run cut into short intervals from the start of measurement: requests by the interval they
/// were due or sent in, replies by the interval they arrived in. It shows a burst and what
/// follows it, and tells when a segment of an open-loop run was served normally again.
public struct BenchTimeline: Sendable, Equatable {
    /// An admitted reply within this many milliseconds counts as prompt.
    public static let promptMilliseconds: Int64 = 100

    public let intervalNanoseconds: Int64
    /// By the interval a request was due (open loop) or sent (closed loop).
    public private(set) var offered: [Int64] = []
    /// Of `offered`, those answered with a reply other than `busy` within `promptMilliseconds`.
    public private(set) var prompt: [Int64] = []
    /// Replies by the interval they arrived in.
    public private(set) var ok: [Int64] = []
    public private(set) var busy: [Int64] = []
    public private(set) var failed: [Int64] = []

    public init(intervalMilliseconds: Int64 = 100) {
        intervalNanoseconds = intervalMilliseconds * 1_000_000
    }

    /// Records one reply: its request started at `start` and was answered at `end` (nanoseconds
    /// from the start of measurement).
    public mutating func record(start: Int64, end: Int64, outcome: String) {
        let startIndex = index(start, growing: &offered)
        _ = index(start, growing: &prompt)
        offered[startIndex] += 1
        if outcome != BenchTally.busy && end - start <= Self.promptMilliseconds * 1_000_000 { prompt[startIndex] += 1 }
        let endIndex = index(end, growing: &ok)
        _ = index(end, growing: &busy)
        _ = index(end, growing: &failed)
        switch outcome {
        case BenchTally.ok: ok[endIndex] += 1
        case BenchTally.busy: busy[endIndex] += 1
        default: failed[endIndex] += 1
        }
    }

    /// Records a request that never got a reply.
    public mutating func recordUnanswered(start: Int64) {
        offered[index(start, growing: &offered)] += 1
    }

    /// Seconds from `segment.lowerBound` until the segment was served normally for good: from
    /// the first interval after which every whole interval of the segment had at least 99 % of its
    /// requests answered promptly. Nil when even the segment's last whole interval was not.
    public func recoveryTime(of segment: Range<Int64>) -> Double? {
        let first = Int((segment.lowerBound + intervalNanoseconds - 1) / intervalNanoseconds)
        let end = Int(segment.upperBound / intervalNanoseconds)
        guard first < end else { return nil }
        var recovered: Int?
        for interval in first..<end {
            let due = interval < offered.count ? offered[interval] : 0
            let served = interval < prompt.count ? prompt[interval] : 0
            if served * 100 >= due * 99 {
                if recovered == nil { recovered = interval }
            } else {
                recovered = nil
            }
        }
        return recovered.map { Double(Int64($0) * intervalNanoseconds - segment.lowerBound) / 1e9 }
    }

    /// The `ok` replies that arrived within `range` (whole intervals from its start on), per second:
    /// what the server delivered while a segment ran, whichever requests they answered.
    public func okRate(during range: Range<Int64>) -> Double {
        let first = Int(range.lowerBound / intervalNanoseconds)
        let end = Int((range.upperBound + intervalNanoseconds - 1) / intervalNanoseconds)
        let count = (first..<end).reduce(Int64(0)) { $0 + ($1 < ok.count ? ok[$1] : 0) }
        return Double(count) * 1e9 / Double(range.upperBound - range.lowerBound)
    }

    private func index(_ time: Int64, growing counts: inout [Int64]) -> Int {
        let index = Int(max(0, time) / intervalNanoseconds)
        if index >= counts.count { counts += Array(repeating: 0, count: index - counts.count + 1) }
        return index
    }
}
