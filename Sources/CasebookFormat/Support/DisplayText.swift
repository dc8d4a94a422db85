/// Untrusted text (names, reasons, values read from a file) made safe to show in one
/// line of an error message or listing: the one place this is decided.
public enum DisplayText {
    /// The code points no name or one-line text may hold (`TextRule.isForbidden`: control,
    /// format (bidirectional controls among them), line- and paragraph-separator,
    /// default-ignorable, surrogate, unassigned and private-use) become `\u{XXXX}`, so hostile
    /// text cannot drive the terminal, break the line, reorder or hide what is shown; text
    /// longer than `limit` characters is cut and ends in `…`.
    public static func escaped(_ text: some StringProtocol, limit: Int = 40) -> String {
        var output = ""
        for (count, character) in text.enumerated() {
            if count == limit { return output + "…" }
            for scalar in character.unicodeScalars {
                if isUnsafe(scalar) {
                    output += "\\u{\(TextLines.hex4(scalar.value))}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// `text` escaped as `escaped` does, but whole: what the command line prints of text that
    /// came from a file, a card or another vault (every such text is bounded by its rule).
    public static func line(_ text: some StringProtocol) -> String {
        escaped(text, limit: .max)
    }

    /// Whether `scalar` is shown escaped.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        TextRule.isForbidden(scalar)
    }
}
