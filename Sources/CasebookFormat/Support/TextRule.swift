/// The two rules for text that arrives from someone else and is shown to people
/// (docs/formats.md §2.1): the **name rule** (identity-card names, contact names, the
/// recipients and authors a handover names, an override's requester) and the **one-line
/// rule** (a handover's or export's reason, an override's citation, justification and
/// reason). Both refuse every code point that could drive a terminal, break the line,
/// reorder or hide what is shown: the one place this is decided.
public enum TextRule {
    /// A name is 1–100 characters (extended grapheme clusters) …
    public static let maximumNameLength = 100
    /// … and at most 1000 bytes of UTF-8: 100 characters could otherwise hide any number
    /// of combining marks.
    public static let maximumNameByteCount = 1000
    /// A one-line text of at most `limit` characters is at most `limit` × this many bytes.
    public static let maximumBytesPerCharacter = 10

    /// U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: the bidirectional formatting
    /// characters (all of category Cf), named as such in refusals because they can make
    /// shown text read differently from its bytes.
    public static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    /// Why `name` breaks the name rule, or nil when it keeps it: 1–100 characters, at most
    /// 1000 bytes, no forbidden code point (`forbiddenScalar`), no leading or trailing white
    /// space (so a name of white space only is refused too).
    public static func nameProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "is empty" }
        guard name.count <= maximumNameLength else {
            return "is \(name.count) characters long; at most \(maximumNameLength) are allowed"
        }
        guard name.utf8.count <= maximumNameByteCount else {
            return "is \(name.utf8.count) bytes long in UTF-8; at most \(maximumNameByteCount) are allowed"
        }
        return contentProblem(name)
    }

    /// Why `text` breaks the one-line rule for texts of at most `limit` characters, or nil:
    /// 1…`limit` characters, at most `limit` × 10 bytes, no forbidden code point, no
    /// leading or trailing white space.
    public static func lineProblem(_ text: String, limit: Int) -> String? {
        guard !text.isEmpty else { return "is empty" }
        guard text.count <= limit else { return "is \(text.count) characters long; at most \(limit) are allowed" }
        let bytes = limit * maximumBytesPerCharacter
        guard text.utf8.count <= bytes else { return "is \(text.utf8.count) bytes long in UTF-8; at most \(bytes) are allowed" }
        return contentProblem(text)
    }

    /// The checks both rules share, after their lengths.
    private static func contentProblem(_ text: String) -> String? {
        for scalar in text.unicodeScalars {
            if let problem = scalarProblem(scalar) { return problem }
        }
        if text.unicodeScalars.first!.properties.isWhitespace || text.unicodeScalars.last!.properties.isWhitespace {
            return "has leading or trailing white space"
        }
        return nil
    }

    /// Whether neither rule lets `scalar` appear: control characters (Cc: C0, DEL, C1),
    /// format characters (Cf: bidirectional controls, soft hyphen, zero-width space, joiner
    /// and non-joiner, byte-order mark, …), line and paragraph separators (Zl, Zp), other
    /// default-ignorable code points (Hangul fillers, variation selectors, …, which display as
    /// nothing), surrogates, private-use and unassigned code points. `DisplayText` escapes
    /// exactly these.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: true
        default: scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// What is wrong with `scalar` in a name or one-line text, or nil when it may appear.
    static func scalarProblem(_ scalar: Unicode.Scalar) -> String? {
        guard isForbidden(scalar) else { return nil }
        let code = "U+" + TextLines.hex4(scalar.value)
        if scalar == "\n" || scalar == "\r" || scalar.value == 0x85 { return "contains a line break (\(code))" }
        switch scalar.properties.generalCategory {
        case .lineSeparator, .paragraphSeparator: return "contains a line break (\(code))"
        case .control: return "contains the control character \(code)"
        case .format where bidiControls.contains(scalar.value): return "contains the bidirectional formatting character \(code)"
        case .format: return "contains the invisible formatting character \(code)"
        case .privateUse: return "contains the private-use character \(code)"
        case .unassigned: return "contains the unassigned code point \(code)"
        case .surrogate: return "contains the surrogate code point \(code)"
        default: return "contains the invisible (default-ignorable) character \(code)"
        }
    }
}
