/// Text from a file someone sent, made safe to quote in one error line.
public enum WireText {
    /// At most 100 scalars; control, format and other invisible scalars shown as `\u{…}`.
    public static func displayed(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(100) {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                shown.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 100 ? shown + "…" : shown
    }
}
