import Foundation
import PortalProtocol

/// Reads an import file into numbered rows: JSON Lines (one object per line) or CSV (a header
/// line naming the columns, multi-valued cells separated by `;`).
public enum ImportFile {
    public enum Format: String, Sendable, CaseIterable {
        case jsonLines = "jsonl"
        case csv
    }

    /// Columns whose CSV cells are numbers.
    static let integerColumns: Set<String> = ["order_position", "quantity", "activation_slots"]
    /// Columns whose CSV cells may hold several values separated by `;`.
    static let listColumns: Set<String> = ["views", "integrators"]

    public static func rows(of text: String, format: Format) -> ImportRows {
        switch format {
        case .jsonLines: jsonLines(text)
        case .csv: ImportRows(csv(text))
        }
    }

    static func jsonLines(_ text: String) -> ImportRows {
        // Split as bytes: splitting a large String by Characters costs more than parsing it.
        let lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            .filter { _, line in line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) }
            .map { index, line in (number: index + 1, line: line) }
        return ImportRows(count: lines.count) { index in
            let (number, line) = lines[index]
            switch Result(catching: { () throws(JSONParser.Failure) in try JSONParser.parse(line, maxDepth: 8) }) {
            case .success(.object(let object)): return (number, .success(object))
            case .success(let other): return (number, .failure(.badRequest("a row must be a JSON object, not \(other.typeName)")))
            case .failure(let error): return (number, .failure(.badRequest(error.message)))
            }
        }
    }

    static func csv(_ text: String) -> [(number: Int, fields: Result<[String: JSONValue], PortalError>)] {
        let records = CSVRecords.parse(text)
        guard let header = records.first?.cells.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { return [] }
        return records.dropFirst().compactMap { record in
            guard record.cells.contains(where: { !$0.isEmpty }) else { return nil }
            guard record.cells.count <= header.count else {
                return (record.line, .failure(.badRequest("the row has \(record.cells.count) cells, the header \(header.count)")))
            }
            var fields: [String: JSONValue] = [:]
            for (column, cell) in zip(header, record.cells) where !cell.isEmpty {
                if integerColumns.contains(column), let number = Int64(cell) {
                    fields[column] = .int(number)
                } else if listColumns.contains(column) {
                    fields[column] = .array(cell.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
                } else {
                    fields[column] = .string(cell)
                }
            }
            return (record.line, .success(fields))
        }
    }
}

/// An import file's numbered rows, each parsed when it is read: the importer reads them on the
/// thread that prepares the next batch, so that parsing overlaps with writing.
public struct ImportRows: RandomAccessCollection, Sendable {
    public typealias Element = (number: Int, fields: Result<[String: JSONValue], PortalError>)

    public let startIndex = 0
    public let endIndex: Int
    private let row: @Sendable (Int) -> Element

    init(count: Int, row: @escaping @Sendable (Int) -> Element) {
        endIndex = count
        self.row = row
    }

    /// Rows read already.
    init(_ rows: [Element]) {
        self.init(count: rows.count) { rows[$0] }
    }

    public subscript(position: Int) -> Element { row(position) }
}

/// RFC 4180 CSV: comma-separated cells, double quotes around cells holding commas, quotes or
/// line breaks, `""` for a quote inside.
enum CSVRecords {
    struct Record {
        /// The line the record starts on, from 1.
        let line: Int
        let cells: [String]
    }

    static func parse(_ text: String) -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var cell = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { cell.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if character.isNewline { line += 1 }
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"": inQuotes = true
            case ",": cells.append(cell); cell = ""
            case "\n", "\r\n", "\r":
                cells.append(cell)
                records.append(Record(line: recordLine, cells: cells))
                cells = []
                cell = ""
                line += 1
                recordLine = line
            default: cell.append(character)
            }
        }
        if !cell.isEmpty || !cells.isEmpty {
            cells.append(cell)
            records.append(Record(line: recordLine, cells: cells))
        }
        return records
    }
}
