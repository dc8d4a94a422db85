public import Foundation

/// A date that bounds a period (a listing's `since`/`until`, a consent's validity or data
/// period): `YYYY-MM-DD` is a whole day in `timeZone`, so a bound that ends a period
/// (`endOfDay`) includes all of that day and stops at the start of the next; anything else
/// must be a full session time (`SessionStart`). A policy rule, so every interface reads
/// "until 31 December" the same way.
public enum DateBound {
    public static func parse(_ text: String, endOfDay: Bool, argument: CallArgument,
                             timeZone: TimeZone = .current) throws(CasebookError) -> Date {
        let invalid = CasebookError(.invalidArgument, "'\(Vault.displayed(text))' is not a valid date",
                                    hint: "use YYYY-MM-DD, e.g. 2026-11-24", argument: argument)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let components = DateComponents(year: year, month: month, day: day)
            guard let date = calendar.date(from: components),
                  calendar.dateComponents([.year, .month, .day], from: date) == components,
                  let next = calendar.date(byAdding: .day, value: 1, to: date) else { throw invalid }
            return endOfDay ? next : date
        }
        do {
            return try SessionStart(parsing: text, defaultTimeZone: timeZone).date
        } catch {
            throw invalid
        }
    }
}
