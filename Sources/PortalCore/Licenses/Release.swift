import Foundation

/// A published version of a product, with the files the download server hands out.
public struct Release: Sendable, Equatable {
    public struct Artifact: Sendable, Equatable {
        /// e.g. `windows-x64`, `linux-x64`, `macos-arm64`.
        public var platform: String
        public var fileName: String
        public var size: Int64
        /// Lower-case hex SHA-256 of the file, for clients to check what they downloaded.
        public var sha256: String

        public init(platform: String, fileName: String, size: Int64, sha256: String) {
            self.platform = platform
            self.fileName = fileName
            self.size = size
            self.sha256 = sha256
        }
    }

    public var id: String
    public var productID: String
    public var version: String
    /// Update rights are judged by this date: a license whose service covered it may download.
    public var releasedAt: Date
    public var notes: String
    public var artifacts: [Artifact]

    public init(id: String, productID: String, version: String, releasedAt: Date, notes: String, artifacts: [Artifact]) {
        self.id = id
        self.productID = productID
        self.version = version
        self.releasedAt = releasedAt
        self.notes = notes
        self.artifacts = artifacts
    }
}
