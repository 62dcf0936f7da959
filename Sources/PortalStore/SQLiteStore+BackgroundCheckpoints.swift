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
}
