/// The share of the backlog that one admitted frame holds until its reply is delivered or dropped.
struct Admission {
    let lines: Int
    let bytes: Int
}
