/// RFC 4180 CSV: comma-separated cells, double quotes around cells holding commas, quotes or
/// line breaks, `""` for a quote inside.
///
/// Parses text given a piece at a time, each piece ending with a line break (but the last): a
/// record whose quoted cell spans a line break may continue in the next piece.
struct CSVRecords {
    struct Record {
        /// The line the record starts on, from 1.
        let line: Int
        let cells: [String]
    }

    private var cells: [String] = []
    private var cell = ""
    private var inQuotes = false
    private var line = 1
    private var recordLine = 1

    /// The records that end in `text`; with `isLast`, also the one the text ends in without a
    /// line break.
    mutating func parse(_ text: String, isLast: Bool = false) -> [Record] {
        var records: [Record] = []
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
        if isLast && (!cell.isEmpty || !cells.isEmpty) {
            cells.append(cell)
            records.append(Record(line: recordLine, cells: cells))
            cells = []
            cell = ""
        }
        return records
    }
}
