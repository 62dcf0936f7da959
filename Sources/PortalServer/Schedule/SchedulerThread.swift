import Foundation
import Logging
import PortalCore
import PortalService
import ZeroMQ

/// Runs the license scheduler and the offer expiry at start-up and then every
/// `scheduleIntervalSeconds`, on its own thread, until `stop` fires.
///
/// Every node of a shared database may run it: a pass announces each change once, whichever
/// node gets there first (see `LicenseScheduler`).
final class SchedulerThread {
    private let scheduler: LicenseScheduler
    /// Beside the licenses, on the same store and clock: quotes that time ended.
    private let offerExpiry: OfferExpiry
    private let clock: any WallClock
    private let intervalMilliseconds: Int
    private let stop: ShutdownTrigger
    private let logger: Logger

    init(scheduler: LicenseScheduler, clock: any WallClock, intervalSeconds: Double, stop: ShutdownTrigger, logger: Logger) {
        self.scheduler = scheduler
        self.offerExpiry = OfferExpiry(store: scheduler.store)
        self.clock = clock
        self.intervalMilliseconds = Int(intervalSeconds * 1_000)
        self.stop = stop
        self.logger = logger
    }

    /// Passes until `stop` fires; a pass in progress then finishes its transaction first.
    func run() {
        var poller = ZMQPoller()
        let stopItem = poller.add(fileDescriptor: stop.readDescriptor)
        var timeout = 0
        while true {
            do {
                try poller.poll(timeoutMilliseconds: timeout)
            } catch {
                logger.critical("polling failed; the scheduler stops", metadata: ["error": "\(error)"])
                return
            }
            if poller.isReadable(stopItem) { return }
            let started = ContinuousClock.now
            let now = clock.now
            // Each on its own: the store is unreachable for now (e.g. locked too long), or one
            // of them failed; the other still runs, and the next pass catches up.
            do {
                let counts = try scheduler.run(now: now)
                if counts.events > 0 {
                    logger.info("scheduler announced time-driven changes", metadata: [
                        "licenses": "\(counts.licenses)", "status": "\(counts.statusChanges)",
                        "service": "\(counts.serviceChanges)", "expiring": "\(counts.expiring)",
                        "test_phase_ends": "\(counts.testPhaseEnds)", "grace_ends": "\(counts.graceEnds)",
                    ])
                }
            } catch {
                logger.error("license scheduler pass failed; retrying at the next interval", metadata: ["error": "\(error)"])
            }
            do {
                let expired = try offerExpiry.run(now: now)
                if expired > 0 { logger.info("scheduler expired ended quotes", metadata: ["offers": "\(expired)"]) }
            } catch {
                logger.error("offer expiry pass failed; retrying at the next interval", metadata: ["error": "\(error)"])
            }
            let elapsed = ContinuousClock.now - started
            let elapsedMilliseconds = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            timeout = max(intervalMilliseconds - elapsedMilliseconds, 0)
        }
    }
}
