import Foundation
import PortalProtocol

/// The import file formats and how one line (JSON Lines) or record (CSV) becomes a row's fields:
/// JSON Lines has one object per line, CSV a header line naming the columns and multi-valued
/// cells separated by `;`. `ImportRowReader` reads a whole file with these.
public enum ImportFile {
    public enum Format: String, Sendable, CaseIterable {
        case jsonLines = "jsonl"
        case csv
    }

    /// Columns whose CSV cells are numbers.
    static let integerColumns: Set<String> = ["order_position", "quantity", "activation_slots"]
    /// Columns whose CSV cells may hold several values separated by `;`.
    static let listColumns: Set<String> = ["views", "integrators"]

    /// Whether a line holds nothing but white space: such lines are skipped, not refused.
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        !line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D })
    }

    /// A JSON Lines line's row: a JSON object, or what is wrong with the line.
    static func jsonRow(_ line: ArraySlice<UInt8>) -> Result<[String: JSONValue], PortalError> {
        switch Result(catching: { () throws(JSONParser.Failure) in try JSONParser.parse(line, maxDepth: 8) }) {
        case .success(.object(let object)): .success(object)
        case .success(let other): .failure(.badRequest("a row must be a JSON object, not \(other.typeName)"))
        case .failure(let error): .failure(.badRequest(error.message))
        }
    }

    /// The columns a CSV header names, as the members they fill.
    static func csvColumns(_ header: CSVRecords.Record) -> [String] {
        header.cells.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// A CSV record's row: the members its non-empty cells fill. Nil for a record of empty cells,
    /// which is skipped as a blank line is.
    static func csvRow(_ record: CSVRecords.Record, columns: [String]) -> Result<[String: JSONValue], PortalError>? {
        guard record.cells.contains(where: { !$0.isEmpty }) else { return nil }
        guard record.cells.count <= columns.count else {
            return .failure(.badRequest("the row has \(record.cells.count) cells, the header \(columns.count)"))
        }
        var fields: [String: JSONValue] = [:]
        for (column, cell) in zip(columns, record.cells) where !cell.isEmpty {
            if integerColumns.contains(column), let number = Int64(cell) {
                fields[column] = .int(number)
            } else if listColumns.contains(column) {
                fields[column] = .array(cell.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            } else {
                fields[column] = .string(cell)
            }
        }
        return .success(fields)
    }
}
