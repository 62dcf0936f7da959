import Foundation
import Glibc

/// The bench's progress on standard error: one line rewritten in place on a terminal, a line
/// every five seconds in a log.
final class ProgressLine {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastLogged = ContinuousClock.now
    private var shown = false

    /// A line that stays.
    func say(_ text: String) {
        write(text + "\n")
    }

    /// The current state; on a terminal it replaces the previous one.
    func update(_ text: String) {
        if isTerminal {
            write("\r\u{1B}[K" + text)
            shown = true
        } else if ContinuousClock.now - lastLogged >= .seconds(5) {
            lastLogged = .now
            write(text + "\n")
        }
    }

    /// Ends the rewritten line, so that what follows starts on a line of its own.
    func finish() {
        if shown { write("\n") }
        shown = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
