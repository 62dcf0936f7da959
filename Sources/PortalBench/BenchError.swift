/// Why a bench could not run: the setup failed, a scenario lacks what it needs.
public struct BenchError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
