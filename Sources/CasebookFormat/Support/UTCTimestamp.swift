public import Foundation

/// The one timestamp form Casebook's text formats accept: RFC 3339 in UTC with
/// whole seconds and an upper-case `T` and `Z`, e.g. `2026-11-24T06:00:00Z`
/// (what `Date.ISO8601FormatStyle` writes in UTC). Leap seconds (`:60`), offsets,
/// fractions and lower-case separators are refused, so one instant has one form.
public enum UTCTimestamp {
    /// Why `text` is not such a timestamp, or nil when it is.
    public static func problem(in text: String) -> String? {
        let bytes = Array(text.utf8)
        let shape = "is not an RFC 3339 UTC time of the form YYYY-MM-DDTHH:MM:SSZ"
        guard bytes.count == 20 else { return shape }
        let separators: [Int: UInt8] = [4: 0x2D, 7: 0x2D, 10: 0x54, 13: 0x3A, 16: 0x3A, 19: 0x5A]
        for (index, byte) in bytes.enumerated() {
            if let separator = separators[index] {
                guard byte == separator else { return shape }
            } else {
                guard byte >= 0x30 && byte <= 0x39 else { return shape }
            }
        }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let year = number(0..<4), month = number(5..<7), day = number(8..<10)
        let hour = number(11..<13), minute = number(14..<16), second = number(17..<19)
        guard year >= 1 else { return "has year 0000" }
        guard (1...12).contains(month) else { return "has month \(month), not 01 to 12" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return "has day \(day), but that month has \(days) days" }
        guard hour <= 23, minute <= 59, second <= 59 else { return "has a time of day out of range" }
        return nil
    }

    /// `date` in that form (fractions of a second are dropped).
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// The instant `text` names, read leniently (`string(_:)` gives its one form back).
    public static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).parse(text)
    }
}
