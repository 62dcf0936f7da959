import CZeroMQ
import Glibc

/// Waits for several sockets (and plain file descriptors) at once with `zmq_poll`.
///
/// Items are registered once; each `poll` reports readiness by the index `add` returned. The
/// poller keeps its sockets alive; close a socket only after its last `poll`.
public struct ZMQPoller {
    private var items: [zmq_pollitem_t] = []
    private var sockets: [ZMQSocket] = []

    /// Event masks for `add` and `setEvents`.
    public static let readable = Int16(ZMQ_POLLIN)
    public static let writable = Int16(ZMQ_POLLOUT)

    public init() {}

    /// Watches `socket` for `events` (`ZMQ_POLLIN`, `ZMQ_POLLOUT`); returns the item's index.
    public mutating func add(_ socket: ZMQSocket, events: Int16 = readable) -> Int {
        sockets.append(socket)
        items.append(zmq_pollitem_t(socket: socket.handle, fd: -1, events: events, revents: 0))
        return items.count - 1
    }

    /// Watches a file descriptor (a pipe, a signalfd) for `events`; returns the item's index.
    public mutating func add(fileDescriptor: Int32, events: Int16 = readable) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events, revents: 0))
        return items.count - 1
    }

    /// Changes which events item `index` is watched for (0: ignore it for now).
    public mutating func setEvents(_ events: Int16, at index: Int) {
        items[index].events = events
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever); returns how many items are ready.
    /// A signal's interruption counts as a timeout, so the caller's loop simply goes round again.
    @discardableResult
    public mutating func poll(timeoutMilliseconds: Int) throws -> Int {
        for index in items.indices { items[index].revents = 0 }
        let count = zmq_poll(&items, Int32(items.count), timeoutMilliseconds)
        if count < 0 {
            let error = ZMQError.last("zmq_poll")
            if error.code == EINTR { return 0 }
            throw error
        }
        return Int(count)
    }

    /// Whether item `index` can be read without blocking after the last `poll`.
    ///
    /// A file descriptor at end of file or in error (POLLHUP, POLLERR, which libzmq reports as
    /// `ZMQ_POLLERR`) counts as readable: reading it returns at once, with 0 or an error.
    public func isReadable(_ index: Int) -> Bool { items[index].revents & Int16(ZMQ_POLLIN | ZMQ_POLLERR) != 0 }

    /// Whether item `index` can be written without blocking after the last `poll`.
    public func isWritable(_ index: Int) -> Bool { items[index].revents & Int16(ZMQ_POLLOUT) != 0 }
}
