/// A High Dynamic Range histogram of non-negative integer values (latencies in nanoseconds),
/// after Gil Tene's HdrHistogram: every value is kept to three significant decimal digits over
/// the whole range, in fixed memory, so a million samples cost no more than ten.
///
/// Values fall into buckets that double in width; each bucket is split into 1,024 linear
/// sub-buckets (2,048 for the first), so a recorded value and the value reported for it differ by
/// less than 1/1,024 of it. Percentiles use the nearest-rank rule and report the highest value
/// equivalent to the ranked sample (never less than it, at most the exact maximum).
public struct HdrHistogram: Sendable, Equatable {
    /// The largest value kept exactly to the precision; larger ones count as this value.
    public let highestTrackableValue: Int64

    /// log2 of the number of linear sub-buckets per half bucket: 1,024 gives three decimal digits.
    private static let subBucketHalfCountMagnitude = 10
    private static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    private static let subBucketCount = subBucketHalfCount << 1
    private static let subBucketMask = Int64(subBucketCount - 1)
    private static let leadingZeroCountBase = 64 - subBucketHalfCountMagnitude - 1

    private var counts: [Int64]
    public private(set) var totalCount: Int64 = 0
    /// The exact extremes recorded (0 when empty).
    public private(set) var minimum: Int64 = 0
    public private(set) var maximum: Int64 = 0
    /// The exact sum of the recorded values, for the mean.
    public private(set) var sum: Int64 = 0

    /// `highestTrackableValue` defaults to one hour in nanoseconds.
    public init(highestTrackableValue: Int64 = 3_600_000_000_000) {
        precondition(highestTrackableValue >= Int64(Self.subBucketCount), "the range must cover at least one bucket")
        self.highestTrackableValue = highestTrackableValue
        var bucketsNeeded = 1
        var smallestUntrackable = Int64(Self.subBucketCount)
        while smallestUntrackable <= highestTrackableValue {
            if smallestUntrackable > Int64.max / 2 {
                bucketsNeeded += 1
                break
            }
            smallestUntrackable <<= 1
            bucketsNeeded += 1
        }
        counts = Array(repeating: 0, count: (bucketsNeeded + 1) * Self.subBucketHalfCount)
    }

    public var isEmpty: Bool { totalCount == 0 }

    /// The arithmetic mean of the exact values, 0 when empty.
    public var mean: Double { totalCount == 0 ? 0 : Double(sum) / Double(totalCount) }

    /// Records `value` `count` times; negative values count as 0, values past the range as its top.
    public mutating func record(_ value: Int64, count: Int64 = 1) {
        let value = min(max(value, 0), highestTrackableValue)
        counts[Self.index(of: value)] += count
        minimum = totalCount == 0 ? value : min(minimum, value)
        maximum = max(maximum, value)
        totalCount += count
        sum &+= value &* count
    }

    /// Adds every value of `other` (recorded with the same range).
    public mutating func add(_ other: HdrHistogram) {
        precondition(other.counts.count == counts.count, "histograms of different ranges")
        guard !other.isEmpty else { return }
        for index in other.counts.indices where other.counts[index] != 0 { counts[index] += other.counts[index] }
        minimum = isEmpty ? other.minimum : min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        totalCount += other.totalCount
        sum &+= other.sum
    }

    /// The value at `percentile` (0–100): the highest value equivalent to the sample of rank
    /// ⌈percentile × count / 100⌉, capped at the exact maximum; 0 when empty. The percentile is
    /// taken to a thousandth of a percent, in integers, so 99.9 % of 1,000 samples is rank 999.
    public func value(atPercentile percentile: Double) -> Int64 {
        guard totalCount > 0 else { return 0 }
        let rank = Self.rank(ofPercentile: percentile, count: totalCount)
        var seen: Int64 = 0
        for index in counts.indices {
            seen += counts[index]
            if seen >= rank { return min(Self.highestEquivalentValue(Self.value(atIndex: index)), maximum) }
        }
        return maximum
    }

    /// The nearest rank (from 1) of `percentile` among `count` samples.
    public static func rank(ofPercentile percentile: Double, count: Int64) -> Int64 {
        let thousandths = Int64((min(max(percentile, 0), 100) * 1_000).rounded())
        return max(1, (thousandths * count + 99_999) / 100_000)
    }

    /// The largest value that shares `value`'s sub-bucket, i.e. that the histogram cannot tell from it.
    public static func highestEquivalentValue(_ value: Int64) -> Int64 {
        lowestEquivalentValue(value) + sizeOfEquivalentRange(value) - 1
    }

    /// The smallest value that shares `value`'s sub-bucket.
    public static func lowestEquivalentValue(_ value: Int64) -> Int64 {
        let bucket = bucketIndex(of: value)
        return Int64(subBucketIndex(of: value, bucket: bucket)) << bucket
    }

    private static func sizeOfEquivalentRange(_ value: Int64) -> Int64 {
        let bucket = bucketIndex(of: value)
        let subBucket = subBucketIndex(of: value, bucket: bucket)
        return 1 << (subBucket >= subBucketCount ? bucket + 1 : bucket)
    }

    /// The power-of-two bucket: 0 for values below 2,048, then one more per doubling.
    private static func bucketIndex(of value: Int64) -> Int {
        leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
    }

    /// The linear position within the bucket: 0–2,047 in bucket 0, 1,024–2,047 above it.
    private static func subBucketIndex(of value: Int64, bucket: Int) -> Int {
        Int(value >> bucket)
    }

    private static func index(of value: Int64) -> Int {
        let bucket = bucketIndex(of: value)
        let subBucket = subBucketIndex(of: value, bucket: bucket)
        return ((bucket + 1) << subBucketHalfCountMagnitude) + subBucket - subBucketHalfCount
    }

    private static func value(atIndex index: Int) -> Int64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return Int64(subBucket) << bucket
    }
}
