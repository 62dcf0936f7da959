import PortalBench
import PortalCore
import Testing

@Suite struct HdrHistogramTests {
    /// The value of nearest rank `percentile` in sorted `values`: what the histogram approximates.
    private func reference(_ sorted: [Int64], _ percentile: Double) -> Int64 {
        sorted[Int(HdrHistogram.rank(ofPercentile: percentile, count: Int64(sorted.count))) - 1]
    }

    private static let percentiles = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100]

    @Test(arguments: [
        (seed: UInt64(1), count: 1, range: Int64(10)),
        (seed: 2, count: 1_000, range: 2_000),
        (seed: 3, count: 10_000, range: 5_000_000),
        (seed: 4, count: 100_000, range: 60_000_000_000),
    ])
    func percentilesMatchASortedArray(seed: UInt64, count: Int, range: Int64) {
        var random = SeededGenerator(seed: seed)
        // Latency-like: most values small, a long tail (the square of a uniform draw).
        let values = (0..<count).map { _ in
            let draw = Double.random(in: 0..<1, using: &random)
            return Int64(draw * draw * Double(range))
        }
        var histogram = HdrHistogram()
        for value in values { histogram.record(value) }
        let sorted = values.sorted()

        #expect(histogram.totalCount == Int64(count))
        #expect(histogram.maximum == sorted.last)
        #expect(histogram.minimum == sorted.first)
        #expect(histogram.mean == Double(values.reduce(0, +)) / Double(count))
        for percentile in Self.percentiles {
            let exact = reference(sorted, percentile)
            let reported = histogram.value(atPercentile: percentile)
            // The ranked sample's bucket, reported by its top, never past the maximum.
            #expect(reported == min(HdrHistogram.highestEquivalentValue(exact), sorted.last!), "p\(percentile)")
            #expect(reported >= exact && Double(reported - exact) <= Double(exact) / 1_024, "p\(percentile)")
        }
    }

    @Test func smallValuesAreExact() {
        var histogram = HdrHistogram()
        for value in 0..<2_048 { histogram.record(Int64(value)) }
        #expect(histogram.value(atPercentile: 50) == 1_023)
        #expect(histogram.value(atPercentile: 100) == 2_047)
        #expect(HdrHistogram.highestEquivalentValue(2_047) == 2_047)
        #expect(HdrHistogram.highestEquivalentValue(2_048) == 2_049)
        // 1,000,123 lies in the bucket of width 512 that starts at 1953 × 512.
        #expect(HdrHistogram.lowestEquivalentValue(1_000_123) == 999_936)
        #expect(HdrHistogram.highestEquivalentValue(1_000_123) == 1_000_447)
    }

    @Test func rankOfPercentileIsNearestRankInIntegers() {
        // 99.9 % of 1,000 is rank 999 exactly; floating point would say 999.0000000000001.
        #expect(HdrHistogram.rank(ofPercentile: 99.9, count: 1_000) == 999)
        #expect(HdrHistogram.rank(ofPercentile: 50, count: 3) == 2)
        #expect(HdrHistogram.rank(ofPercentile: 0, count: 10) == 1)
        #expect(HdrHistogram.rank(ofPercentile: 100, count: 10) == 10)
    }

    @Test func addingHistogramsIsRecordingBoth() {
        var left = HdrHistogram(), right = HdrHistogram(), both = HdrHistogram()
        for value in stride(from: Int64(1), to: 5_000_000, by: 9_973) {
            if value % 2 == 0 { left.record(value) } else { right.record(value) }
            both.record(value)
        }
        left.add(right)
        #expect(left == both)
    }

    @Test func valuesOutsideTheRangeAreClamped() {
        var histogram = HdrHistogram(highestTrackableValue: 1_000_000)
        histogram.record(-5)
        histogram.record(5_000_000)
        #expect(histogram.minimum == 0)
        #expect(histogram.maximum == 1_000_000)
        #expect(histogram.value(atPercentile: 100) == 1_000_000)
    }

    @Test func anEmptyHistogramReportsZero() {
        let histogram = HdrHistogram()
        #expect(histogram.isEmpty)
        #expect(histogram.value(atPercentile: 99) == 0)
        #expect(histogram.mean == 0)
    }
}
