import CZeroMQ
import Glibc

/// One libzmq socket. Not thread-safe, hence not `Sendable`: it belongs to the thread that made it.
///
/// Every socket starts with a bounded linger (`defaultLinger`), because libzmq's default of
/// "forever" makes closing the context hang on unsent messages.
public final class ZMQSocket {
    /// Milliseconds that unsent messages are kept after `close()`, unless changed per socket.
    public static let defaultLinger: Int32 = 1_000

    let handle: UnsafeMutableRawPointer
    private let context: ZMQContext
    private var isOpen = true

    public let type: ZMQSocketType

    public init(context: ZMQContext, type: ZMQSocketType) throws {
        // libzmq frees a terminated context, so its handle must not be used again.
        guard !context.isTerminated else { throw ZMQError(code: ETERM, operation: "zmq_socket") }
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket")
        }
        self.handle = handle
        self.context = context
        self.type = type
        try setOption(ZMQ_LINGER, Self.defaultLinger)
    }

    deinit { close() }

    /// Closes the socket; pending outgoing messages are kept for at most the linger period.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        zmq_close(handle)
    }

    /// The libzmq handle, unless the socket has been closed (libzmq has freed it then).
    @usableFromInline
    func checkedHandle() throws -> UnsafeMutableRawPointer {
        guard isOpen else { throw ZMQError(code: ENOTSOCK, operation: "use of a closed socket") }
        return handle
    }

    public func bind(_ endpoint: String) throws {
        guard zmq_bind(try checkedHandle(), endpoint) == 0 else { throw ZMQError.last("bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws {
        guard zmq_connect(try checkedHandle(), endpoint) == 0 else { throw ZMQError.last("connect \(endpoint)") }
    }

    /// Sends a multipart message; every frame but the last carries `ZMQ_SNDMORE`.
    ///
    /// With `dontWait`, returns `false` instead of blocking when the message cannot be queued
    /// (the peer's high-water mark is reached). libzmq queues a multipart message atomically, so
    /// only the first frame can fail that way. Other failures throw, among them `EHOSTUNREACH`
    /// from a ROUTER_MANDATORY socket whose peer has gone.
    @inlinable @discardableResult
    public func send(_ frames: some Collection<[UInt8]>, dontWait: Bool = false) throws -> Bool {
        try send(frames, EmptyCollection(), dontWait: dontWait)
    }

    /// Sends the frames of `head` and then those of `tail` as one multipart message, as
    /// `send(_:dontWait:)` does: an envelope and its payloads go out without first being copied
    /// into one array (the broker does this for every request and reply).
    @inlinable @discardableResult
    public func send(
        _ head: some Collection<[UInt8]>, _ tail: some Collection<[UInt8]>, dontWait: Bool = false
    ) throws -> Bool {
        let count = head.count + tail.count
        precondition(count > 0, "a ZeroMQ message has at least one frame")
        let handle = try checkedHandle()
        var index = 0
        for frame in head {
            guard try Self.sendFrame(frame, handle: handle, index: index, count: count, dontWait: dontWait) else { return false }
            index += 1
        }
        for frame in tail {
            guard try Self.sendFrame(frame, handle: handle, index: index, count: count, dontWait: dontWait) else { return false }
            index += 1
        }
        return true
    }

    /// Sends frame `index` of a message of `count` frames; `false` when the first one would block.
    @usableFromInline
    static func sendFrame(
        _ frame: [UInt8], handle: UnsafeMutableRawPointer, index: Int, count: Int, dontWait: Bool
    ) throws -> Bool {
        var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
        if index < count - 1 { flags |= ZMQ_SNDMORE }
        while true {
            let result = frame.withUnsafeBytes { bytes in
                zmq_send(handle, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), bytes.count, flags)
            }
            if result >= 0 { return true }
            let error = ZMQError.last("send")
            if error.code == EINTR { continue }
            if error.wouldBlock && dontWait && index == 0 { return false }
            throw error
        }
    }

    /// Sends a single-frame message; see `send(_:dontWait:)`.
    @discardableResult
    public func send(_ frame: [UInt8], dontWait: Bool = false) throws -> Bool {
        try send(CollectionOfOne(frame), dontWait: dontWait)
    }

    /// Receives one whole multipart message, frame by frame, each of any size.
    ///
    /// Returns `nil` when `dontWait` is set and nothing is waiting, or when a receive timeout
    /// (`ZMQ_RCVTIMEO`) expires. Interrupted calls are retried.
    public func receive(dontWait: Bool = false) throws -> [[UInt8]]? {
        let handle = try checkedHandle()
        var frames: [[UInt8]] = []
        // Room for the usual envelope and payload at once: growing one by one reallocates twice.
        frames.reserveCapacity(4)
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        repeat {
            while zmq_msg_recv(&message, handle, dontWait && frames.isEmpty ? ZMQ_DONTWAIT : 0) < 0 {
                let error = ZMQError.last("receive")
                if error.code == EINTR { continue }
                if error.wouldBlock && frames.isEmpty { return nil }
                throw error
            }
            let size = zmq_msg_size(&message)
            let data = zmq_msg_data(&message)
            frames.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: size)))
        } while zmq_msg_more(&message) != 0
        return frames
    }
}
