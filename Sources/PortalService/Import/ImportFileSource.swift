import Foundation
import Synchronization

/// An import file read a block at a time for `ImportRowReader`, with how far reading has come
/// (for progress) and why it stopped early, if it did.
public final class ImportFileSource: Sendable {
    /// Why the file cannot be opened.
    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The file's size when it was opened, in bytes; nil for a pipe.
    public let size: Int?
    private let handle: FileHandle
    private let bytesRead = Atomic<Int>(0)
    private let failure = Mutex<String?>(nil)
    /// Large enough that a read costs little per row, small enough to keep memory bounded.
    static let blockSize = 1 << 20

    public init(path: String) throws(OpenError) {
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw OpenError(description: Self.reason(error))
        }
        // A pipe (`portald import /dev/stdin`) cannot seek: read on, with no share to show.
        if let end = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil {
            size = Int(end)
        } else {
            size = nil
        }
    }

    /// The file's next bytes; nil at its end or once reading failed (see `readError`).
    public func read() -> [UInt8]? {
        guard failure.withLock({ $0 == nil }) else { return nil }
        do {
            guard let data = try handle.read(upToCount: Self.blockSize), !data.isEmpty else { return nil }
            bytesRead.add(data.count, ordering: .relaxed)
            return [UInt8](data)
        } catch {
            failure.withLock { $0 = Self.reason(error) }
            return nil
        }
    }

    /// How much of the file was read, from 0 to 100; nil for a pipe.
    public var percentRead: Int? {
        size.map { size in size == 0 ? 100 : bytesRead.load(ordering: .relaxed) * 100 / size }
    }

    /// Why reading stopped before the end of the file, if it did.
    public var readError: String? { failure.withLock { $0 } }

    /// The POSIX reason, which says more than Foundation's description of the error.
    private static func reason(_ error: any Error) -> String {
        let posix = (error as? CocoaError)?.underlying as? POSIXError ?? error as? POSIXError
        return posix.map { String(cString: strerror($0.code.rawValue)) } ?? "\(error)"
    }
}
