public import Foundation

/// What an override's expiry (`--expires`) accepts. A date means the end of that day in UTC, so an override
/// "until 3 December" can be used all of 3 December (UTC) and stops at
/// 2026-12-04T00:00:00Z; a full RFC 3339 UTC time means exactly that instant. UTC,
/// not local time, because the request travels to another person's machine.
public enum OverrideExpiry {
    public static func parse(_ text: String) throws(CasebookError) -> Date {
        let bad = CasebookError(.invalidArgument, "'\(Vault.displayed(String(text.prefix(40))))' is not a date or a UTC time",
                                hint: "use YYYY-MM-DD (the end of that day, UTC) or YYYY-MM-DDTHH:MM:SSZ", argument: .expires)
        let bytes = Array(text.utf8)
        if bytes.count == 10 {
            let digits = [0, 1, 2, 3, 5, 6, 8, 9]
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                  digits.allSatisfy({ (48...57).contains(bytes[$0]) }) else { throw bad }
            let number = { (range: Range<Int>) in range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let components = DateComponents(year: number(0..<4), month: number(5..<7), day: number(8..<10))
            guard let start = calendar.date(from: components),
                  calendar.dateComponents([.year, .month, .day], from: start) == components,
                  let end = calendar.date(byAdding: .day, value: 1, to: start) else { throw bad }
            return end
        }
        guard let date = Timestamp.parse(text), Timestamp.string(date) == text else { throw bad }
        return date
    }
}
