import Foundation

/// Opt-in phase timings for benchmarks (`CASEBOOK_TIMING=1`): unlocking (Argon2id
/// and key unwrapping) is reported apart from the command's own work, with the
/// process's peak resident memory. Printed on standard error; never on by default.
enum Timing {
    static let enabled = ProcessInfo.processInfo.environment["CASEBOOK_TIMING"] == "1"
    nonisolated(unsafe) static var unlockSeconds: Double = 0
    nonisolated(unsafe) static var unlockPeakKiB: Int = 0
    static let start = now()

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func peakKiB() -> Int { Platform.peakResidentKiB() }

    static func measureUnlock<T>(_ body: () throws -> T) rethrows -> T {
        let began = now()
        defer {
            unlockSeconds += now() - began
            unlockPeakKiB = peakKiB()
        }
        return try body()
    }

    static func report() {
        guard enabled else { return }
        let total = now() - start
        let line = String(format: "timing: total %.3f s, unlock (Argon2id + key unwrap) %.3f s, command %.3f s, peak RSS %d KiB (%d KiB after unlock)\n",
                          total, unlockSeconds, total - unlockSeconds, peakKiB(), unlockPeakKiB)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
