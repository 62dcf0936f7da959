import Foundation

extension Date {
    /// Whole seconds since 1970: how the store keeps times, and JWT's NumericDate.
    public var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }

    public init(unixSeconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(unixSeconds))
    }
}
