public import Foundation

/// When a session started: an instant plus the UTC offset it was recorded in.
///
/// Accepted input (``init(parsing:defaultTimeZone:)``): `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM`,
/// either with optional `:SS`, then optionally `Z` or `±HH:MM`. Without an offset, the offset of
/// `defaultTimeZone` at that local time is used; a local time that does not exist (clocks go
/// forward) or exists twice (clocks go back) in that zone is rejected with a hint to write the
/// offset. Years run from 1900 to 9999, offsets up to ±18:00; no fractions of a second, no
/// leap seconds, no lowercase `t`/`z`.
///
/// Two values are equal when both the instant and the offset are equal; ordering is by instant,
/// then offset.
public struct SessionStart: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The instant, always a whole number of seconds.
    public let date: Date
    /// The offset from UTC of the local time the session was recorded in; a whole number of minutes.
    public let utcOffsetSeconds: Int

    /// Parses a start time; see the type's documentation.
    public init(parsing text: String, defaultTimeZone: TimeZone) throws(RecordInputError) {
        let parts = try Self.parts(of: text)
        if let offset = parts.offset {
            self.init(epochSeconds: parts.localSeconds - offset, offset: offset)
            return
        }
        let offset = try Self.offset(in: defaultTimeZone, forLocal: parts.localSeconds, text: text)
        self.init(epochSeconds: parts.localSeconds - offset, offset: offset)
    }

    /// Parses a canonical (or any) start time that carries its own offset (`Z` or `±HH:MM`),
    /// as stored; a time without an offset is rejected.
    public init(canonical text: String) throws(RecordInputError) {
        let parts = try Self.parts(of: text)
        guard let offset = parts.offset else {
            throw RecordInputError(message: "start time '\(text)' has no UTC offset")
        }
        self.init(epochSeconds: parts.localSeconds - offset, offset: offset)
    }

    /// The given instant (rounded down to a whole second) in `timeZone`'s offset at that
    /// instant (rounded towards zero to a whole minute).
    public init(date: Date, timeZone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        self.init(epochSeconds: seconds, offset: offset / 60 * 60)
    }

    init(epochSeconds: Int, offset: Int) {
        date = Date(timeIntervalSince1970: TimeInterval(epochSeconds))
        utcOffsetSeconds = offset
    }

    /// RFC 3339 with seconds and the recorded offset, `Z` for UTC: `2026-11-24T10:00:00+01:00`.
    public var canonical: String {
        var out = [UInt8]()
        out.reserveCapacity(25)
        appendCanonical(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the canonical form's UTF-8 bytes (listings format 100,000 of these).
    public func appendCanonical(to out: inout [UInt8]) {
        let local = Int(date.timeIntervalSince1970) + utcOffsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); out.append(UInt8(ascii: "-")); digits(month, 2); out.append(UInt8(ascii: "-")); digits(day, 2)
        out.append(UInt8(ascii: "T")); digits(secondOfDay / 3600, 2); out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2); out.append(UInt8(ascii: ":")); digits(secondOfDay % 60, 2)
        if utcOffsetSeconds == 0 {
            out.append(UInt8(ascii: "Z"))
        } else {
            let magnitude = abs(utcOffsetSeconds)
            out.append(utcOffsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            digits(magnitude / 3600, 2); out.append(UInt8(ascii: ":")); digits(magnitude / 60 % 60, 2)
        }
    }

    public var description: String { canonical }

    public static func < (lhs: SessionStart, rhs: SessionStart) -> Bool {
        if lhs.date != rhs.date { return lhs.date < rhs.date }
        return lhs.utcOffsetSeconds < rhs.utcOffsetSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(canonical: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }

    // MARK: Parsing

    static let formatHint =
        "write YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM[:SS], optionally followed by Z or ±HH:MM "
        + "(e.g. 2026-11-24 10:00 or 2026-11-24T10:00:00+01:00)"

    private struct Parts {
        var localSeconds: Int
        var offset: Int?
    }

    private static func parts(of text: String) throws(RecordInputError) -> Parts {
        let bytes = Array(text.utf8)
        let malformed = RecordInputError(
            message: "'\(text)' is not a date and time", hint: formatHint)
        var index = 0
        func number(_ width: Int) throws(RecordInputError) -> Int {
            guard index + width <= bytes.count else { throw malformed }
            var value = 0
            for byte in bytes[index..<index + width] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw malformed }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }
        func expect(_ characters: String) throws(RecordInputError) {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { throw malformed }
            index += 1
        }
        let year = try number(4)
        try expect("-")
        let month = try number(2)
        try expect("-")
        let day = try number(2)
        try expect("T ")
        let hour = try number(2)
        try expect(":")
        let minute = try number(2)
        var second = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ":") {
            index += 1
            second = try number(2)
        }
        var offset: Int?
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"):
                index += 1
                offset = 0
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                let offsetHours = try number(2)
                try expect(":")
                let offsetMinutes = try number(2)
                guard offsetMinutes < 60, offsetHours * 60 + offsetMinutes <= 18 * 60 else {
                    throw RecordInputError(
                        message: "UTC offset in '\(text)' is out of range (at most ±18:00)", hint: formatHint)
                }
                offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
            default:
                throw malformed
            }
        }
        guard index == bytes.count else { throw malformed }

        guard (1900...9999).contains(year) else {
            throw RecordInputError(message: "year \(year) is out of range (1900 to 9999)", hint: formatHint)
        }
        guard (1...12).contains(month) else {
            throw RecordInputError(message: "month \(pad(month, 2)) is out of range (01 to 12)", hint: formatHint)
        }
        let monthLength = daysInMonth(month, year: year)
        guard (1...monthLength).contains(day) else {
            throw RecordInputError(
                message: "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) is not a date (that month has \(monthLength) days)",
                hint: formatHint
            )
        }
        guard hour < 24 else {
            throw RecordInputError(message: "hour \(pad(hour, 2)) is out of range (00 to 23)", hint: formatHint)
        }
        guard minute < 60 else {
            throw RecordInputError(message: "minute \(pad(minute, 2)) is out of range (00 to 59)", hint: formatHint)
        }
        guard second < 60 else {
            throw RecordInputError(message: "second \(pad(second, 2)) is out of range (00 to 59)", hint: formatHint)
        }
        let local = days(fromYear: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return Parts(localSeconds: local, offset: offset)
    }

    /// The offset `zone` has at local time `local` (seconds since 1970 as if UTC).
    private static func offset(
        in zone: TimeZone, forLocal local: Int, text: String
    ) throws(RecordInputError) -> Int {
        func offsetAt(_ seconds: Int) -> Int {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        // Transitions are far more than a day apart, so the offsets in force a day either side
        // are the only candidates; keep those that map back to this local time.
        let candidates = Set([offsetAt(local - 86_400), offsetAt(local), offsetAt(local + 86_400)])
        let valid = candidates.filter { offsetAt(local - $0) == $0 }.sorted()
        let zoneName = zone.identifier
        guard let offset = valid.first else {
            throw RecordInputError(
                message: "'\(text)' does not exist in time zone \(zoneName) (the clocks go forward then)",
                hint: "write the UTC offset explicitly, e.g. '\(text)+01:00'"
            )
        }
        guard valid.count == 1 else {
            let options = valid.map { offsetText($0) }.joined(separator: " or ")
            throw RecordInputError(
                message: "'\(text)' happens twice in time zone \(zoneName) (the clocks go back then)",
                hint: "write the UTC offset explicitly: \(options)"
            )
        }
        guard offset % 60 == 0 else {
            throw RecordInputError(
                message: "time zone \(zoneName) has an offset of whole seconds at '\(text)'",
                hint: "write the UTC offset explicitly"
            )
        }
        return offset
    }

    private static func offsetText(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let magnitude = abs(offset)
        return (offset < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
