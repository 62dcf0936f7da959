/// Whether `portald import` keeps the license listing indexes up to date row by row, or drops
/// them at its start and builds them again, once, at its end.
///
/// A license goes into each listing index at a random place, so a transaction rewrites most of
/// their pages; building them from the finished table sorts each once. On 1,000,000 licenses
/// into an empty database, rebuilding saves far more than it costs; for a few licenses into a
/// large database, building indexes over every license held would cost more than it saves.
public enum ListingIndexPolicy: String, Sendable, CaseIterable {
    /// Rebuild when the file holds at least as many license rows as the database holds licenses
    /// (estimated from its size). A pipe's size is unknown: rebuild only into a database that
    /// holds no licenses, where building the indexes at the end costs least whatever comes.
    case auto
    case keep
    case rebuild

    /// Bytes of a license row to estimate a file's licenses by: JSON Lines rows of the order
    /// system run from about 150 bytes (required members only) to 300, CSV rows are shorter.
    static let licenseRowBytes = 200

    /// Whether the import drops and rebuilds the listing indexes: `fileSize` in bytes, nil for a
    /// pipe; `licensesHeld`, the licenses the database holds before it.
    public func rebuilds(fileSize: Int?, licensesHeld: Int) -> Bool {
        switch self {
        case .keep: false
        case .rebuild: true
        case .auto: (fileSize ?? 0) / Self.licenseRowBytes >= licensesHeld
        }
    }
}
