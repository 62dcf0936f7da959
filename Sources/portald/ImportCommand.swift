import ArgumentParser
import CommandLineSupport
import Foundation
import Glibc
import PortalCore
import PortalServer
import PortalService
import PortalStore

/// `portald import FILE`: the order system's export into the database.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import companies, users, products and licenses from an order-system file.",
        discussion: """
            FILE is JSON Lines (.jsonl, .ndjson) or CSV (.csv); protocol/import.md describes the \
            rows. Bad rows are reported with their line numbers and skipped; the others are \
            imported. Rows imported before are left unchanged, so importing a file twice changes \
            nothing. Exit status 1 when any row was refused.
            """
    )

    @Argument(help: ArgumentHelp("The file to import.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("jsonl or csv; default: from the file's extension.", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("SQLite database file (env: PORTAL_DATABASE). Default: var/portal.sqlite", valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp(
        "Rows per transaction. More import large files faster (50000: a third faster on a million licenses) but make a server using the database wait longer for its own writes (up to 6 s near a million licenses, past its 5 s busy timeout). Default: 10000.",
        valueName: "n"))
    var batchRows = 10_000

    @Option(help: ArgumentHelp(
        "auto, keep or rebuild the license listing indexes. rebuild drops them at the start and builds them once at the end, much faster when the file brings about as many licenses as the database holds, or more; meanwhile a server using the database lists licenses slowly. keep updates them row by row. Default: auto, which rebuilds when the file's size suggests at least as many licenses as the database holds.",
        valueName: "mode"))
    var indexes = ListingIndexPolicy.auto.rawValue

    func validate() throws {
        guard batchRows >= 1 else { throw ValidationError("--batch-rows must be at least 1") }
        guard ListingIndexPolicy(rawValue: indexes) != nil else { throw ValidationError("--indexes must be auto, keep or rebuild") }
    }

    func run() throws {
        let format = try resolvedFormat()
        let path = database ?? ProcessInfo.processInfo.environment["PORTAL_DATABASE"] ?? ServerConfiguration().databasePath
        let source: ImportFileSource
        do {
            source = try ImportFileSource(path: file)
        } catch {
            throw CommandFailure("cannot read \(file): \(error)")
        }
        let rows = ImportRowReader(format: format, read: source.read, failed: { source.readError != nil })
        let showProgress = isatty(STDERR_FILENO) != 0
        let started = ContinuousClock.now
        let report: ImportReport
        var rebuildsIndexes = false
        do {
            // The import is the only writer here: nothing to group. Its transactions are large and
            // synced once, at the end (protocol/import.md says why).
            let store = try SQLiteStore(path: path, pageCacheMiB: 512, commits: .bulk)
            var importer = LicenseImporter(
                store: store, passwords: PasswordHasher(), clock: SystemWallClock(), cause: .command("portald import", by: nil))
            importer.batchSize = batchRows
            let policy = ListingIndexPolicy(rawValue: indexes) ?? .auto
            rebuildsIndexes = policy.rebuilds(fileSize: source.size, licensesHeld: try store.read { try $0.licenseCount() })
            let importRows = {
                try store.checkpointingInBackground {
                    try importer.run(rows) { done in
                        guard showProgress else { return }
                        let share = source.percentRead.map { " (\($0) % of the file)" } ?? ""
                        FileHandle.standardError.write(Data("\rrows: \(done)\(share)".utf8))
                    }
                }
            }
            if rebuildsIndexes {
                report = try store.deferringLicenseIndexes {
                    let report = try importRows()
                    if showProgress { FileHandle.standardError.write(Data("; building the license listing indexes".utf8)) }
                    return report
                }
            } else {
                report = try importRows()
            }
            try store.makeDurable()
        } catch {
            throw CommandFailure("\(error)")
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        for error in report.errors {
            FileHandle.standardError.write(Data("\(file):\(error.row): \(error.message)\n".utf8))
        }
        let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1_000
        let counts = ["company", "user", "product", "license"].map { "\(report.imported[$0] ?? 0) \($0) rows" }
        let rebuilt = rebuildsIndexes ? "; listing indexes rebuilt" : ""
        print("imported \(counts.joined(separator: ", ")); \(report.unchanged) unchanged; \(report.errors.count) refused\(rebuilt); \(String(format: "%.1f", seconds)) s")
        if let problem = source.readError {
            throw CommandFailure("reading \(file) failed: \(problem); the rows before were imported; import the file again")
        }
        if !report.errors.isEmpty { throw ExitCode(1) }
    }

    private func resolvedFormat() throws -> ImportFile.Format {
        if let format {
            guard let chosen = ImportFile.Format(rawValue: format) else { throw CommandFailure("--format must be jsonl or csv") }
            return chosen
        }
        switch URL(fileURLWithPath: file).pathExtension.lowercased() {
        case "jsonl", "ndjson": return .jsonLines
        case "csv": return .csv
        default: throw CommandFailure("cannot tell the format of \(file) from its extension; use --format jsonl or csv")
        }
    }
}
