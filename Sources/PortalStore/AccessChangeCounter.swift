import Synchronization

/// Counts the committed changes that can end or narrow what a session may do: a session deleted
/// (logout, a removed user), a user changed (status, role, company), a company's views,
/// delegations or contract changed.
///
/// Who keeps callers in memory notes the count before reading them and trusts what it read only
/// while the count is unchanged. Changes are counted after their commit, so a reader that started
/// before a change and still saw the old rows has noted a smaller count. Only the changes of this
/// process are counted: another process or node sharing the database is not seen here.
public final class AccessChangeCounter: Sendable {
    private let changes = Atomic<UInt64>(0)

    public init() {}

    public var count: UInt64 { changes.load(ordering: .acquiring) }

    /// Called once a transaction that made such a change has committed.
    public func recordCommittedChange() {
        changes.add(1, ordering: .releasing)
    }
}
