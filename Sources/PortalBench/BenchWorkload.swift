import PortalCore

/// The operations a scenario sends and how often each: a request picks one at random by weight.
public final class BenchWorkload {
    public let operations: [any BenchOperation]
    public let weights: [Int]
    private let cumulative: [Int]
    private var random: SeededGenerator

    public init(_ weighted: [(operation: any BenchOperation, weight: Int)], seed: UInt64 = 7) {
        precondition(!weighted.isEmpty && weighted.allSatisfy { $0.weight > 0 }, "a workload needs operations with positive weights")
        operations = weighted.map(\.operation)
        weights = weighted.map(\.weight)
        var total = 0
        cumulative = weights.map { weight in
            total += weight
            return total
        }
        random = SeededGenerator(seed: seed)
    }

    /// The index of the operation for the next request.
    public func pick() -> Int {
        guard operations.count > 1 else { return 0 }
        let draw = Int.random(in: 0..<cumulative.last!, using: &random)
        return cumulative.firstIndex { draw < $0 }!
    }
}
