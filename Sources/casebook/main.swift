import Logging
import Foundation

// Files Casebook creates are private to their owner (0600 files, 0700 folders).
umask(0o077)
Platform.disableCoreDumps()
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    let level = ProcessInfo.processInfo.environment["CASEBOOK_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
    handler.logLevel = level ?? .warning
    return handler
}
_ = Timing.start  // benchmarks measure from here
Entry.run()
