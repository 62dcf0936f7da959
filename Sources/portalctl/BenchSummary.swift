import ArgumentParser
import Foundation
import PortalBench

/// `portalctl bench-summary`: BENCHMARKS.md from the results of `make bench`.
struct BenchSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-summary",
        abstract: "Write BENCHMARKS.md (Markdown, on standard output) from a folder of bench results.",
        discussion: """
            Reads the results `make bench` leaves in FOLDER (bench reports written with --json, \
            start-up facts, the load average) and writes the figures, the machine they were \
            measured on, and each target of the load-test issue with its verdict. A run that is \
            missing is reported as not measured.
            """
    )

    @Argument(help: ArgumentHelp("The results folder (make bench: var/bench/results).", valueName: "folder"))
    var folder: String

    @Option(help: ArgumentHelp("The commit measured, as the document names it.", valueName: "commit"))
    var commit: String = "unknown"

    func run() throws {
        let document = BenchmarkDocument(results: BenchResults(folder: URL(fileURLWithPath: folder)), machine: .current(), commit: commit)
        print(document.markdown, terminator: "")
    }
}
