import ArgumentParser
import Foundation
import PortalBench

/// `portalctl bench-data`: import rows for a large benchmark database.
struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-data",
        abstract: "Write a large portal as portald import rows (JSON Lines) for benchmarks.",
        discussion: """
            Writes the demo catalogue's five products, --companies customers (one reseller per 20 \
            of them, one distributor supplying all), --licenses licenses and four accounts with \
            the password --password, to standard output, for portald import:

              customer@bench.example     Bench Customer AG: 1,000 licenses (a tenth below 10,000)
              fleet@bench.example        Bench Fleet AG: a tenth of all licenses, all perpetual
              reseller@bench.example     Bench Reseller 0 KG: the licenses it sold
              distributor@bench.example  Bench Distribution AG: every license

            The same arguments give the same rows; dates are relative to today.

            Example:
              portalctl bench-data --licenses 1000000 > bench.jsonl
              portald import bench.jsonl --database bench.sqlite
            """
    )

    @Option(help: ArgumentHelp("Licenses to write.", valueName: "n"))
    var licenses: Int

    @Option(help: ArgumentHelp("Customer companies (default: one per 10 licenses, at least 3).", valueName: "n"))
    var companies: Int?

    @Option(help: ArgumentHelp("The accounts' password (at least 10 characters).", valueName: "password"))
    var password: String = "portal-demo"

    func validate() throws {
        guard (1...50_000_000).contains(licenses) else { throw ValidationError("--licenses must be between 1 and 50000000") }
        if let companies, companies < 3 { throw ValidationError("--companies must be at least 3") }
        guard password.count >= 10 else { throw ValidationError("--password must have at least 10 characters") }
    }

    func run() throws {
        let set = BenchDataSet(licenses: licenses, companies: companies ?? max(3, licenses / 10), password: password, today: Date())
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        try set.write { row in
            row.write(to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                FileHandle.standardOutput.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(buffer))
    }
}
