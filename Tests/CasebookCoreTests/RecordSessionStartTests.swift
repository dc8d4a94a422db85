import CasebookCore
import Foundation
import Testing

private func start(_ text: String, _ zone: TimeZone = Zones.utc) throws -> SessionStart {
    try SessionStart(parsing: text, defaultTimeZone: zone)
}

@Suite("Session start times")
struct RecordSessionStartTests {
    @Test func explicitOffsets() throws {
        let plusOne = try start("2026-11-24T10:00:00+01:00", Zones.newYork)
        #expect(plusOne.date == Date(timeIntervalSince1970: 1_795_510_800))
        #expect(plusOne.utcOffsetSeconds == 3600)
        #expect(plusOne.canonical == "2026-11-24T10:00:00+01:00")

        let zulu = try start("2026-11-24 09:00Z", Zones.kolkata)
        #expect(zulu.date == plusOne.date)
        #expect(zulu.utcOffsetSeconds == 0)
        #expect(zulu.canonical == "2026-11-24T09:00:00Z")
        #expect(zulu.description == zulu.canonical)

        let negative = try start("2026-11-24T04:00-05:00")
        #expect(negative.date == plusOne.date)
        #expect(negative.canonical == "2026-11-24T04:00:00-05:00")

        let halfHour = try start("2026-11-24T14:30:00+05:30")
        #expect(halfHour.date == plusOne.date)
        #expect(halfHour.canonical == "2026-11-24T14:30:00+05:30")

        #expect(try start("2026-11-24T09:00:00-00:00").canonical == "2026-11-24T09:00:00Z")
        #expect(try start("2026-11-24T09:00:07+00:00").canonical == "2026-11-24T09:00:07Z")
        #expect(try start("2026-11-24T09:00+18:00").utcOffsetSeconds == 18 * 3600)
        #expect(try start("2026-11-24T09:00-18:00").utcOffsetSeconds == -18 * 3600)
        #expect(try start("1900-01-01T00:00Z").date == Date(timeIntervalSince1970: -2_208_988_800))
        #expect(try start("9999-12-31T23:59:59Z").canonical == "9999-12-31T23:59:59Z")
    }

    @Test func noOffsetUsesTheDefaultZoneInWinterAndSummer() throws {
        let winter = try start("2026-11-24 10:00", Zones.london)
        #expect(winter.utcOffsetSeconds == 0)
        #expect(winter.canonical == "2026-11-24T10:00:00Z")

        let summer = try start("2026-07-01T10:00", Zones.london)
        #expect(summer.utcOffsetSeconds == 3600)
        #expect(summer.canonical == "2026-07-01T10:00:00+01:00")
        #expect(summer.date == Date(timeIntervalSince1970: 1_782_896_400))

        #expect(try start("2026-07-01 10:00", Zones.newYork).canonical == "2026-07-01T10:00:00-04:00")
        #expect(try start("2026-01-15 10:00", Zones.newYork).canonical == "2026-01-15T10:00:00-05:00")
        #expect(try start("2026-07-01 10:00", Zones.kolkata).canonical == "2026-07-01T10:00:00+05:30")
        #expect(try start("2026-07-01 10:00:30", Zones.utc).canonical == "2026-07-01T10:00:30Z")
    }

    @Test func aroundTheClockChanges() throws {
        // Europe/London: clocks go forward at 01:00 UTC on 29 March 2026, back at 01:00 UTC on 25 October.
        let before = try start("2026-03-29 00:59", Zones.london)
        #expect(before.canonical == "2026-03-29T00:59:00Z")
        #expect(before.date == Date(timeIntervalSince1970: 1_774_745_940))
        let after = try start("2026-03-29 02:00", Zones.london)
        #expect(after.canonical == "2026-03-29T02:00:00+01:00")
        #expect(after.date == Date(timeIntervalSince1970: 1_774_746_000))

        let gap = recordError { try start("2026-03-29 01:30", Zones.london) }
        #expect(gap?.message.contains("does not exist in time zone Europe/London") == true)
        #expect(gap?.hint?.contains("offset") == true)

        let overlap = recordError { try start("2026-10-25 01:30", Zones.london) }
        #expect(overlap?.message.contains("happens twice in time zone Europe/London") == true)
        #expect(overlap?.hint?.contains("Z or +01:00") == true)
        #expect(try start("2026-10-25 01:30+01:00", Zones.london).date
            < (try start("2026-10-25 01:30Z", Zones.london)).date)
        #expect(try start("2026-10-25 02:00", Zones.london).canonical == "2026-10-25T02:00:00Z")
    }

    @Test(arguments: [
        ("2026-02-30 10:00", "2026-02-30 is not a date (that month has 28 days)"),
        ("2026-02-29 10:00", "2026-02-29 is not a date (that month has 28 days)"),
        ("2100-02-29 10:00", "2100-02-29 is not a date (that month has 28 days)"),
        ("2026-04-31 10:00", "2026-04-31 is not a date (that month has 30 days)"),
        ("2026-01-00 10:00", "2026-01-00 is not a date (that month has 31 days)"),
        ("2026-13-01 10:00", "month 13 is out of range (01 to 12)"),
        ("2026-00-10 10:00", "month 00 is out of range (01 to 12)"),
        ("2026-01-01 24:00", "hour 24 is out of range (00 to 23)"),
        ("2026-01-01 10:60", "minute 60 is out of range (00 to 59)"),
        ("2026-01-01 10:00:60", "second 60 is out of range (00 to 59)"),
        ("1899-12-31 10:00", "year 1899 is out of range (1900 to 9999)"),
        ("2026-01-01 10:00+18:01", "UTC offset in '2026-01-01 10:00+18:01' is out of range (at most ±18:00)"),
        ("2026-01-01 10:00+19:00", "UTC offset in '2026-01-01 10:00+19:00' is out of range (at most ±18:00)"),
        ("2026-01-01 10:00+01:60", "UTC offset in '2026-01-01 10:00+01:60' is out of range (at most ±18:00)"),
    ])
    func rejectsOutOfRangeParts(_ text: String, _ message: String) {
        let error = recordError { try start(text) }
        #expect(error?.message == message)
        #expect(error?.hint?.contains("YYYY-MM-DD HH:MM") == true)
    }

    @Test func acceptsLeapDays() throws {
        #expect(try start("2024-02-29 10:00").canonical == "2024-02-29T10:00:00Z")
        #expect(try start("2000-02-29 10:00").canonical == "2000-02-29T10:00:00Z")
    }

    @Test(arguments: [
        "", "2026-1-01 10:00", "2026-01-01", "2026-01-01T10", "2026-01-01T10:0", "2026-01-01t10:00",
        "2026-01-01T10:00z", "2026-01-01T10:00:00.5Z", "2026-01-01T10:00+0100", "2026-01-01T10:00+01",
        "2026-01-01T10:00 +01:00", " 2026-01-01T10:00", "2026-01-01T10:00Z ", "２０２６-01-01T10:00",
        "2026/01/01 10:00", "2026-01-01  10:00", "2026-01-01T10:00:00Z+01:00", "next tuesday", "+2026-01-01T10:00",
        "2026-01-01T1000",
    ])
    func rejectsMalformedText(_ text: String) {
        let error = recordError { try start(text) }
        #expect(error?.message == "'\(text)' is not a date and time")
        #expect(error?.hint == "write YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM[:SS], optionally followed by Z or ±HH:MM (e.g. 2026-11-24 10:00 or 2026-11-24T10:00:00+01:00)")
    }

    @Test func canonicalFormRequiresAnOffset() throws {
        let value = try SessionStart(canonical: "2026-11-24T10:00:00+01:00")
        #expect(value == (try start("2026-11-24T10:00:00+01:00")))
        #expect(recordError { try SessionStart(canonical: "2026-11-24T10:00:00") }?.message
            == "start time '2026-11-24T10:00:00' has no UTC offset")
    }

    @Test func orderingAndEquality() throws {
        let a = try start("2026-11-24T10:00+01:00")
        let b = try start("2026-11-24T09:00Z")
        #expect(a != b)
        #expect(a.date == b.date)
        #expect(b < a)  // same instant: ordered by offset
        let later = try start("2026-11-24T09:01Z")
        #expect(a < later && b < later)
        #expect(Set([a, b, try start("2026-11-24T09:00:00Z")]).count == 2)
    }

    @Test func fromDateAndTimeZone() {
        let date = Date(timeIntervalSince1970: 1_782_896_400.75)
        let value = SessionStart(date: date, timeZone: Zones.london)
        #expect(value.canonical == "2026-07-01T10:00:00+01:00")
        #expect(value.date == Date(timeIntervalSince1970: 1_782_896_400))
    }

    @Test func canonicalAgreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Int.random(in: (-2_208_988_800 + 86_400)...(4_102_444_800 - 86_400), using: &generator)  // a day inside 1900…2099, whatever the offset
            let offset = Int.random(in: -14 * 4...14 * 4, using: &generator) * 15 * 60
            let value = SessionStart(
                date: Date(timeIntervalSince1970: TimeInterval(seconds)),
                timeZone: TimeZone(secondsFromGMT: offset)!
            )
            #expect(formatter.date(from: value.canonical) == value.date, "\(value.canonical)")
            #expect(try SessionStart(canonical: value.canonical) == value)
        }
    }

    @Test func codesAsCanonicalText() throws {
        let value = try start("2026-07-01T10:00+01:00")
        let data = try JSONEncoder().encode([value])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-07-01T10:00:00+01:00\"]")
        #expect(try JSONDecoder().decode([SessionStart].self, from: data) == [value])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SessionStart].self, from: Data("[\"2026-07-01T10:00\"]".utf8))
        }
    }
}
