/// A client's message as the ROUTER delivers it, split into routing envelope and payload.
///
/// The envelope is the peer's routing id plus, when the client sent an empty delimiter frame
/// (REQ sockets do, and so does anything behind a proxy), every frame up to and including that
/// delimiter. The reply carries the same envelope back, so REQ peers and proxy chains work unchanged.
struct ClientEnvelope {
    /// The frames to put before the reply frame.
    let routing: [[UInt8]]
    /// The frames after the envelope; a valid request has exactly one.
    let payloads: ArraySlice<[UInt8]>

    /// The peer's routing id, the first frame of every ROUTER message.
    var peer: [UInt8] { routing[0] }

    init(frames: [[UInt8]]) {
        precondition(!frames.isEmpty, "a ROUTER message starts with the peer's routing id")
        // A delimiter only counts when a payload follows it: a DEALER's lone empty frame is an
        // (empty) payload, not a delimiter.
        if let delimiter = frames.dropFirst().dropLast().firstIndex(where: { $0.isEmpty }) {
            routing = Array(frames[...delimiter])
            payloads = frames[(delimiter + 1)...]
        } else {
            routing = [frames[0]]
            payloads = frames[1...]
        }
    }
}
