/// Line handling shared by the strict one-value-per-line text formats (minisign
/// keys and signatures, identity cards): every line ends in LF, no CR anywhere,
/// UTF-8 only, and comment-like values carry no control characters.
enum TextLines {
    /// Why a text could not be split into lines.
    enum Failure: Error, Equatable {
        /// The text is empty.
        case empty
        /// The last line has no terminating LF.
        case missingFinalNewline(line: Int)
        /// A CR appears on the line (Windows line endings or a stray CR).
        case carriageReturn(line: Int)
        /// The line is not valid UTF-8.
        case invalidUTF8(line: Int)
    }

    /// The LF-terminated lines of `bytes`, without their terminators, as strings.
    /// Every line, including the last, must end in LF.
    static func split(_ bytes: some Collection<UInt8>) -> Result<[String], Failure> {
        let all = Array(bytes)
        guard !all.isEmpty else { return .failure(.empty) }
        var lines: [String] = []
        var start = 0
        var number = 1
        while start < all.count {
            guard let end = all[start...].firstIndex(of: 10) else {
                return .failure(.missingFinalNewline(line: number))
            }
            let raw = all[start..<end]
            if raw.contains(13) { return .failure(.carriageReturn(line: number)) }
            guard let line = String(validating: raw, as: UTF8.self) else { return .failure(.invalidUTF8(line: number)) }
            lines.append(line)
            start = end + 1
            number += 1
        }
        return .success(lines)
    }

    /// A short reason why `text` is not acceptable as one line of free text, or nil
    /// when it is. Control characters (Unicode category Cc) are refused except a
    /// horizontal tab when `allowingTab` is set: minisign's default trusted comment
    /// separates its fields with tabs.
    static func problem(inLineText text: String, allowingTab: Bool) -> String? {
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            if allowingTab && scalar == "\t" { continue }
            return "contains the control character U+\(hex4(scalar.value))"
        }
        return nil
    }

    /// The rest of `line` after `prefix`, or nil when `line` does not start with it.
    /// Compared byte for byte: `String`'s own `hasPrefix` works on grapheme clusters
    /// and canonical equivalence, so a combining mark after the prefix would change
    /// the answer.
    static func value(of line: String, after prefix: String) -> String? {
        guard line.utf8.starts(with: prefix.utf8) else { return nil }
        return String(decoding: line.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    /// Byte-for-byte equality (not `==`, which is canonical equivalence: "\u{212A}" == "K").
    static func same(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Upper-case hex of a code point, at least four digits.
    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
