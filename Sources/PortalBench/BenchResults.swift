import Foundation
import PortalProtocol

/// The files `make bench` leaves in its results folder, read back: bench reports (`--json`),
/// start-up facts and the system load. A file that is missing is a figure not measured.
///
/// | file | what |
/// |---|---|
/// | `echo.ping.<round>.json` | ping against `portalctl echo-server`, the transport's ceiling, in rounds from 1 |
/// | `1m.ping.<round>.json`, `1m.license.get.<round>.json` | the runs compared with the echo server's of the same round |
/// | `1m.<scenario>.json` | the other closed-loop runs, one per scenario, on the 1,000,000-license database |
/// | `1m.activate.no-group-commit.json` | `activate` with group commit off |
/// | `1m.activate.sync-plus-<N>ms.json`, `….no-group-commit.json` | the same pair with every sync of portald N ms slower |
/// | `10k.rate.<scenario>.<round>.json`, `1m.rate.<scenario>.<round>.json` | open loop at a fixed rate, on each database, in rounds from 1 |
/// | `1m.overload.json` | open loop at three times capacity, then half of it |
/// | `1m.startup.json` | `{"startup_ms":…}`: from exec to the listening line |
/// | `1m.idle.json` | the `system.info` reply of the idle server |
/// | `loadavg.before`, `loadavg.after` | `/proc/loadavg` around the suite |
/// | `disk-sync.json` | `{"writes":…,"seconds":…}`: 4 KiB writes in the databases' folder, each synced (O_DSYNC) |
public struct BenchResults {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// A JSON file of the folder (the first line, for a reply line); nil when missing or unreadable.
    public func json(_ name: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return try? JSONParser.parse(Array(text.utf8), maxDepth: 64)
    }

    /// A text file's first line.
    public func text(_ name: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }

    /// The bench report of run `name` (without `.json`).
    public func report(_ name: String) -> JSONValue? { json(name + ".json") }

    /// The reports of the rounds of run `name` (`<name>.1`, `<name>.2`, …) by round number; a
    /// round whose report is missing or unreadable (its run failed) is left out, not the rest.
    public func rounds(_ name: String) -> [(round: Int, report: JSONValue)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let prefix = name + "."
        return names.compactMap { file -> Int? in
            guard file.hasPrefix(prefix), file.hasSuffix(".json") else { return nil }
            return Int(file.dropFirst(prefix.count).dropLast(".json".count))
        }.sorted().compactMap { round in report("\(name).\(round)").map { (round, $0) } }
    }

    /// The rounds of run `name` with the echo server's run of the same round (`echo.ping.<round>`),
    /// as ok replies per second; rounds that either run is missing from, or without an ok reply
    /// from the echo server, are left out.
    public func againstCeiling(_ name: String) -> [(round: Int, okPerSecond: Double, ceiling: Double)] {
        let ceilings = Dictionary(
            rounds(Self.ceilingRun).compactMap { round in round.report["ok_per_s"]?.number.map { (round.round, $0) } },
            uniquingKeysWith: { first, _ in first })
        return rounds(name).compactMap { round in
            guard let measured = round.report["ok_per_s"]?.number, let ceiling = ceilings[round.round], ceiling > 0 else { return nil }
            return (round.round, measured, ceiling)
        }
    }

    /// Ping against the echo server, by rounds.
    public static let ceilingRun = "echo.ping"

    /// What one synced 4 KiB write took on average, in milliseconds: the wait of every durable
    /// commit on this disk, which is all that group commit can save.
    public var syncedWriteMilliseconds: Double? {
        guard let probe = json("disk-sync.json"), let writes = probe["writes"]?.number, let seconds = probe["seconds"]?.number,
              writes > 0
        else { return nil }
        return seconds / writes * 1_000
    }

    /// The milliseconds added to every sync in the runs of group commit on slower disks, smallest first.
    public var addedSyncDelays: [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix(Self.slowerSyncPrefix), name.hasSuffix("ms.json") else { return nil }
            return Int(name.dropFirst(Self.slowerSyncPrefix.count).dropLast("ms.json".count))
        }.sorted()
    }

    /// The run of `activate` with every sync `delay` ms slower; `.no-group-commit` follows for its twin.
    public static func slowerSyncRun(_ delay: Int) -> String { "\(slowerSyncPrefix)\(delay)ms" }

    private static let slowerSyncPrefix = "1m.activate.sync-plus-"

    /// When the first run started (RFC 3339, which sorts as time does); nil without reports.
    public var firstStart: String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { json($0)?["started_at"]?.stringValue }.min()
    }
}
