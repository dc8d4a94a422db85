public import Foundation
import CasebookFormat

/// RFC 3339 timestamps in UTC with whole seconds: how Casebook writes times it records
/// (Format's `UTCTimestamp`, which the wire formats share).
public enum Timestamp {
    public static func string(_ date: Date) -> String { UTCTimestamp.string(date) }

    public static func parse(_ text: String) -> Date? { UTCTimestamp.date(text) }
}

/// Where "now" comes from; tests fix it.
public struct Clock: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = Clock { Date() }
}
