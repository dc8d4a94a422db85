import Foundation
import Testing
import CasebookCore

/// How a period's bound is read: a day is the whole day, an end bound stops at the next
/// day's start, anything else must be a full session time.
@Suite struct DateBoundTests {
    let london = TimeZone(identifier: "Europe/London")!

    @Test func aDayIsWholeAndAnEndBoundIncludesIt() throws {
        let start = try DateBound.parse("2026-12-31", endOfDay: false, argument: .validFrom, timeZone: london)
        let end = try DateBound.parse("2026-12-31", endOfDay: true, argument: .validUntil, timeZone: london)
        #expect(Timestamp.string(start) == "2026-12-31T00:00:00Z")
        #expect(Timestamp.string(end) == "2027-01-01T00:00:00Z")
        // Summer time: midnight in London is 23:00 UTC the day before.
        #expect(Timestamp.string(try DateBound.parse("2026-07-01", endOfDay: false, argument: .since, timeZone: london))
                == "2026-06-30T23:00:00Z")
        #expect(Timestamp.string(try DateBound.parse("2026-07-01T10:30:00Z", endOfDay: true, argument: .until))
                == "2026-07-01T10:30:00Z")
    }

    @Test func anythingElseIsAnInvalidArgumentNamingItsOption() {
        for text in ["2026-02-30", "2026-13-01", "31/12/2026", "tomorrow", "", "2026-1-01"] {
            #expect(throws: CasebookError(.invalidArgument, "'\(text)' is not a valid date", hint: "use YYYY-MM-DD, e.g. 2026-11-24",
                                          argument: .dataUntil)) {
                _ = try DateBound.parse(text, endOfDay: true, argument: .dataUntil, timeZone: london)
            }
        }
    }
}
