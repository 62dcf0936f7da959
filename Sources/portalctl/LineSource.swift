import CommandLineSupport
import Glibc

/// Request lines from a fixed text or from a file descriptor read as data arrives, so that
/// piped input is sent in large frames while typed input is sent line by line.
struct LineSource {
    private var descriptor: Int32?
    private var pending: [UInt8] = []
    private(set) var lines: [[UInt8]] = []
    private(set) var isFinished = false

    init(text: String) {
        lines = Self.nonBlankLines(Array(text.utf8))
        isFinished = true
    }

    init(fileDescriptor: Int32) {
        descriptor = fileDescriptor
    }

    /// The descriptor to poll for more input; nil once the input is exhausted.
    var pollableDescriptor: Int32? { isFinished ? nil : descriptor }

    /// Reads what is available (call when the descriptor polled readable).
    mutating func readAvailable() throws {
        guard let descriptor, !isFinished else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            throw CommandFailure(status: 2, "reading standard input failed: \(String(cString: strerror(errno)))")
        }
        if count == 0 {
            isFinished = true
            lines += Self.nonBlankLines(pending)
            pending = []
            return
        }
        pending += buffer[..<count]
        if let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) {
            lines += Self.nonBlankLines(Array(pending[...lastNewline]))
            pending.removeSubrange(...lastNewline)
        }
    }

    /// Takes up to `count` complete lines.
    mutating func take(_ count: Int) -> [[UInt8]] {
        let taken = Array(lines.prefix(count))
        lines.removeFirst(taken.count)
        return taken
    }

    private static func nonBlankLines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "\n")).filter { line in
            line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
        }.map(Array.init)
    }
}
