/// When each request of an open-loop run is due: the k-th request of a segment at its start plus
/// k / rate, whatever became of the earlier requests. Latency is then counted from this time, not
/// from when the request could be sent, so a server that stalls is charged for every request
/// that waited behind the stall (no coordinated omission).
///
/// Times are nanoseconds from the start of the run. A warm-up segment at the first rate may come
/// first; its requests are numbered segment -1 and are not reported.
public struct OpenLoopSchedule: Sendable {
    /// One due request: when, and in which segment (-1: warm-up).
    public struct Slot: Sendable, Equatable {
        public var time: Int64
        public var segment: Int
    }

    private struct Span {
        var start: Int64
        var end: Int64
        var rate: Double
        var segment: Int
    }

    private let spans: [Span]
    private var span = 0
    private var indexInSpan: Int64 = 0

    public init(profile: RateProfile, warmupSeconds: Double) {
        var spans: [Span] = []
        var start: Int64 = 0
        if warmupSeconds > 0 {
            let end = Self.nanoseconds(warmupSeconds)
            spans.append(Span(start: 0, end: end, rate: profile.segments[0].rate, segment: -1))
            start = end
        }
        for (index, segment) in profile.segments.enumerated() {
            let end = start + Self.nanoseconds(segment.seconds)
            spans.append(Span(start: start, end: end, rate: segment.rate, segment: index))
            start = end
        }
        self.spans = spans
    }

    /// When the measured part starts (after the warm-up).
    public var measurementStart: Int64 { spans.first { $0.segment >= 0 }!.start }

    /// When segment `index` starts and ends.
    public func bounds(ofSegment index: Int) -> Range<Int64> {
        let span = spans.first { $0.segment == index }!
        return span.start..<span.end
    }

    /// The end of the last segment: no request is due from then on.
    public var end: Int64 { spans.last!.end }

    /// The next request's slot without taking it; nil once the schedule is over.
    public func peek() -> Slot? {
        var span = self.span
        var index = indexInSpan
        while span < spans.count {
            let time = spans[span].start + Int64((Double(index) * 1e9 / spans[span].rate).rounded())
            if time < spans[span].end { return Slot(time: time, segment: spans[span].segment) }
            span += 1
            index = 0
        }
        return nil
    }

    /// Takes the next request's slot.
    public mutating func next() -> Slot? {
        guard let slot = peek() else { return nil }
        while spans[span].segment != slot.segment {
            span += 1
            indexInSpan = 0
        }
        indexInSpan += 1
        return slot
    }

    static func nanoseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
}
