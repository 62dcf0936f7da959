import Foundation
import Glibc
import PortalStore
import Testing

/// `portald import FILE`: JSON Lines and CSV files into a database, bad rows reported, re-import idempotent.
@Suite struct ImportCommandLineTests {
    private func portaldImport(_ file: String, database: String) throws -> ProcessResult {
        try ChildProcess.run(try TestExecutables.portald(), ["import", file, "--database", database])
    }

    @Test func aFileIsImportedOnceBadRowsAreReportedWithTheirLines() throws {
        let folder = try TemporaryDirectory(prefix: "portal-import")
        let database = folder.path("portal.sqlite")
        let file = try folder.write("""
            {"type":"company","ref":"C-1","name":"Customer AG","views":["customer"]}
            {"type":"product","ref":"TP","name":"ThinPrint Engine","line":"ThinPrint"}
            {"type":"license","order_reference":"SO-1","order_date":"2026-01-15T00:00:00Z","product":"TP","owner":"C-1"}
            {"type":"license","order_reference":"SO-2","order_date":"2026-01-15T00:00:00Z","product":"TP","owner":"C-404"}

            """, to: "orders.jsonl")

        let first = try portaldImport(file, database: database)
        #expect(first.status == 1, "a refused row makes the status 1")
        #expect(first.standardOutput.contains("1 company rows, 0 user rows, 1 product rows, 1 license rows; 0 unchanged; 1 refused"))
        #expect(first.errorLines.map(String.init) == ["\(file):4: the license names a company or product that does not exist; import it first"])

        let second = try portaldImport(file, database: database)
        #expect(second.standardOutput.contains("0 company rows, 0 user rows, 0 product rows, 0 license rows; 3 unchanged; 1 refused"))
    }

    @Test func rowsArriveThroughAPipe() throws {
        let folder = try TemporaryDirectory(prefix: "portal-import")
        let rows = """
            {"type":"company","ref":"C-1","name":"Customer AG","views":["customer"]}
            {"type":"product","ref":"TP","name":"ThinPrint Engine","line":"ThinPrint"}

            """
        // A pipe cannot seek, so there is no file size to show progress against: it reads on.
        let imported = try ChildProcess.run(
            try TestExecutables.portald(), ["import", "/dev/stdin", "--format", "jsonl", "--database", folder.path("portal.sqlite")],
            standardInput: Data(rows.utf8))
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("1 company rows, 0 user rows, 1 product rows, 0 license rows"))
    }

    @Test func csvFilesImportAndAnUnknownExtensionIsRefused() throws {
        let folder = try TemporaryDirectory(prefix: "portal-import")
        let database = folder.path("portal.sqlite")
        let csv = try folder.write("""
            type,ref,name,views,line,order_reference,order_date,product,owner
            company,C-1,"Customer, Inc",customer;reseller,,,,,
            product,TP,ThinPrint Engine,,ThinPrint,,,,
            license,,,,,SO-1,2026-01-15T00:00:00Z,TP,C-1

            """, to: "orders.csv")
        let imported = try portaldImport(csv, database: database)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("1 company rows, 0 user rows, 1 product rows, 1 license rows"))

        let unknown = try portaldImport(try folder.write("", to: "orders.txt"), database: database)
        #expect(unknown.status != 0)
        #expect(unknown.errorLines.count == 1)
    }

    @Test func anImportKilledMidwayLeavesASoundDatabaseThatARerunCompletes() throws {
        let folder = try TemporaryDirectory(prefix: "portal-import")
        let database = folder.path("portal.sqlite")
        let licenses = 4_000
        let rows = [
            #"{"type":"company","ref":"C-1","name":"Customer AG","views":["customer"]}"#,
            #"{"type":"product","ref":"TP","name":"ThinPrint Engine","line":"ThinPrint"}"#,
        ] + (1...licenses).map { position in
            #"{"type":"license","order_reference":"SO-\#(position)","order_date":"2026-01-15T00:00:00Z","product":"TP","owner":"C-1"}"#
        }
        let file = try folder.write(rows.joined(separator: "\n"), to: "orders.jsonl")
        let importing = try ChildProcess(
            executable: try TestExecutables.portald(), arguments: ["import", file, "--database", database, "--batch-rows", "100"],
            folder: folder)
        // Killed once some batches are in the WAL, before it ends (unless it is faster than the polling).
        let deadline = ContinuousClock.now + .seconds(30)
        while importing.isRunning, Self.walSize(database) < 1 << 20, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        importing.send(signal: SIGKILL)
        _ = importing.waitForExit(timeout: .seconds(5))

        let rerun = try portaldImport(file, database: database)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        let match = try #require(rerun.standardOutput.firstMatch(of: /(\d+) license rows; (\d+) unchanged/))
        #expect(Int(match.1)! + Int(match.2)! == licenses + 2, "every row imported by one run or the other")
        let third = try portaldImport(file, database: database)
        #expect(third.standardOutput.contains("0 license rows; \(licenses + 2) unchanged"))
        #expect(try SQLiteStore(path: database).integrityProblems() == [])
    }

    private static func walSize(_ database: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0
    }
}
