import Testing

/// The suites that load the machine (tens of thousands of requests, many threads) nest in here,
/// so they run one after another rather than competing for two cores; everything else still runs
/// in parallel with them.
@Suite(.serialized) enum HeavyTests {}
