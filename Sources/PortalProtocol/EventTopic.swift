/// The topics of the event socket: a subscriber selects events by plain ZeroMQ prefix matching.
///
/// An event's topic is `event/<type>/<company>/`; the heartbeat's is `heartbeat/`. Types and
/// company ids never contain `/`, and every part ends with one, so a prefix never matches more
/// than it names: `event/` is every event, `event/license.status/` every status change,
/// `event/license.status/co_1/` those of company `co_1` (and not of `co_10`).
public enum EventTopic {
    /// The prefix of every event's topic.
    public static let allEvents = "event/"
    /// The topic of the heartbeat, which carries the last committed `seq`.
    public static let heartbeat = "heartbeat/"

    /// The topic an event of `type` about `company` is published under.
    public static func event(type: String, company: String) -> String {
        "event/\(type)/\(company)/"
    }

    /// The prefix selecting every event of one type, optionally only those about one company.
    public static func prefix(type: String, company: String? = nil) -> String {
        company.map { event(type: type, company: $0) } ?? "event/\(type)/"
    }
}
