extension SQLiteStore {
    /// Runs `body` (a bulk writer's transactions, as `portald import` writes them) while another
    /// thread copies the WAL into the database (`BackgroundCheckpoints`): the writer's checkpoints
    /// took a ninth of its time on 1,000,000 licenses.
    public func checkpointingInBackground<T>(_ body: () throws -> T) throws -> T {
        let checkpoints = try BackgroundCheckpoints(path: path, period: .milliseconds(250))
        let result = Result(catching: body)
        try checkpoints.stop()
        return try result.get()
    }

    /// Starts copying the WAL into the database on a thread of its own, every `period`, for a
    /// server: its writes run one at a time, and a checkpoint run within one of them (every
    /// 1,000 WAL pages by default, about 60 activations) held up all of them, a quarter of the
    /// writer's time here and most of it where syncs are slow. The writer's own checkpoints are
    /// left as the WAL's bound, `serverCheckpointPages`. `failed` hears of the first failed
    /// checkpoint; stop the thread before the store closes.
    public func startBackgroundCheckpoints(
        every period: Duration, failed: @escaping @Sendable (String) -> Void
    ) throws -> BackgroundCheckpoints {
        let checkpoints = try BackgroundCheckpoints(path: path, period: period, failed: failed)
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.serverCheckpointPages)") }
        } catch {
            try? checkpoints.stop()
            throw error
        }
        return checkpoints
    }

    /// WAL pages after which the server's writer checkpoints itself (40 MiB): only when the
    /// background thread falls behind, or never finds the WAL fully copied between a commit and
    /// the next write (SQLite starts the WAL over only then).
    static let serverCheckpointPages = 10_000
}
