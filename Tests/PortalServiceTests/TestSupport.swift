import Foundation
import Synchronization
import Logging
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// 2026-11-29T08:15:00Z, the start of every test clock.
let testStart = Date(timeIntervalSince1970: 1_795_940_100)

/// A fresh folder under the system's temporary directory, removed with its contents at deinit.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-service-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// An executor over a real SQLite store in a temporary folder, with a clock the test moves.
struct ExecutorFixture {
    let folder: TemporaryFolder
    let clock: ManualWallClock
    let executor: CommandExecutor
    /// What the handlers and the executor logged.
    let log = LogRecord()

    init(registry: CommandRegistry = .standard, workers: Int = 4) throws {
        folder = try TemporaryFolder()
        clock = ManualWallClock(testStart)
        let environment = ServiceEnvironment(
            store: try SQLiteStore(path: folder.path("portal.sqlite")), clock: clock,
            runtime: RuntimeFacts(workerCount: workers, startedAt: clock.now, transportVersion: "4.3.4"),
            logger: Logger(label: "test", factory: { [log] _ in RecordingLogHandler(record: log) }))
        executor = CommandExecutor(registry: registry, limits: ProtocolLimits(), environment: environment)
    }

    /// Executes `lines` as one frame and returns the parsed reply lines.
    func execute(_ lines: [String]) throws -> [JSONValue] {
        let reply = executor.execute(frame: Array(lines.map { $0 + "\n" }.joined().utf8))
        return try RequestFrameDecoder.lines(in: reply).map { try JSONParser.parse($0, maxDepth: 512) }
    }

    /// Executes one line and returns its single reply line.
    func execute(_ line: String) throws -> JSONValue {
        let replies = try execute([line])
        try #require(replies.count == 1)
        return replies[0]
    }
}

extension JSONValue {
    var errorCode: String? { self["error"]?["code"]?.stringValue }
}

/// The log entries a `RecordingLogHandler` has received.
final class LogRecord: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }
}

/// Keeps every log entry in a `LogRecord`, so tests can check what an operator would see.
struct RecordingLogHandler: LogHandler {
    let record: LogRecord
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        record.append(.init(
            level: event.level, message: event.message.description,
            metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }))
    }
}
