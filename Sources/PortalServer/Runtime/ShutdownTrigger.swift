import Glibc

/// A pipe whose read end the broker polls next to its sockets, so that a shutdown request from
/// any thread (a signal handler's dispatch queue, a test) wakes it at once.
final class ShutdownTrigger: Sendable {
    /// The end to poll; readable once shutdown has been requested.
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw ServerError("cannot create the shutdown pipe: \(String(cString: strerror(errno)))")
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Requests shutdown; safe to call any number of times, from any thread.
    func fire() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }
}
