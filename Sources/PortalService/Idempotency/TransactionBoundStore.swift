import PortalStore

/// A store whose reads and writes join one open transaction: what a handler gets as its store
/// when it runs inside an idempotent request's transaction, so that its changes commit together
/// with the kept reply, or not at all.
///
/// Reads see the transaction's own changes. Each `write` is a nested transaction (a savepoint),
/// rolled back alone when its closure throws, as a handler expects; but nothing is committed
/// before the whole request is.
struct TransactionBoundStore: Store, @unchecked Sendable {
    // @unchecked: `writer` is a connection inside an open transaction, usable only on the thread
    // running that transaction. This store is made, handed to one synchronous handler call and
    // dropped inside the transaction's closure on that thread; handlers do not pass their
    // environment to other threads.
    let writer: any StoreWriter
    /// The real store, for what is not about the transaction.
    let base: any Store

    func metadata() throws -> StoreMetadata { try base.metadata() }

    func read<T>(_ body: (any StoreReader) throws -> T) throws -> T { try body(writer) }

    func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        try writer.nested { try body(writer) }
    }
}
