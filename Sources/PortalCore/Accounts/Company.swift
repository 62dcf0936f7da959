import Foundation

/// A customer or channel company; what it may see is decided by the views it holds.
public struct Company: Sendable, Equatable {
    public var id: String
    public var name: String
    public var views: Set<PortalView>
    public var createdAt: Date

    public init(id: String, name: String, views: Set<PortalView>, createdAt: Date) {
        self.id = id
        self.name = name
        self.views = views
        self.createdAt = createdAt
    }
}
