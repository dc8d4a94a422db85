import Foundation

extension AuditReport {
    /// The CSV columns, in order.
    public static let csvColumns = ["sequence", "time", "action", "outcome", "actor", "recipients", "clients", "kinds", "fields",
                                    "withheld", "excluded", "purpose", "basis", "digest", "detail", "flagged"]

    /// RFC 4180 CSV (CRLF line ends, a header record): first a `verification` row — outcome
    /// `verified` or `FAILED`, `time` the export time, `actor` the log owner's fingerprint,
    /// `digest` the tree root, `detail` the result in words — then one row per disclosure or
    /// refusal. Lists are joined with "; "; `fields` is `all` when every section was asked for.
    /// Cells that a spreadsheet would run as a formula are defused.
    public func csv() -> String {
        var records: [[String]] = [Self.csvColumns]
        let check = verification
        records.append(["", check.exported ?? "", "verification", check.result, check.fingerprint, "", "", "", "", "", "", "", "",
                        check.root, "\(check.message); log of \(check.owner), origin \(check.origin)", ""])
        records += rows.map { $0.cells() }
        return records.map { $0.map(Self.csvCell).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One cell: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` before it (OWASP's
    /// defence against formula injection), then the cell is quoted (doubling `"`) if it holds
    /// a comma, a quote, CR or LF.
    static func csvCell(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            cell = "'" + cell
        }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
