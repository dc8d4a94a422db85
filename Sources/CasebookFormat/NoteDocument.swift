/// A note document: a strict subset of YAML front matter followed by `##` Markdown sections.
///
/// This is the generic container behind Casebook's editable records; it knows nothing
/// about record kinds. Every document it accepts is read the same way by a YAML 1.2 parser
/// using the failsafe schema (all scalars are strings) and by a CommonMark renderer.
///
/// ## Layout
///
/// ```text
/// ---
/// # a comment
/// kind: hii-session
/// client: C-0042
/// labels: [family, "employment"]
/// topics:
///   - housing
///   - 'work'
/// ---
///
/// ## Focus
///
/// Free Markdown text, kept byte for byte.
/// ```
///
/// Line endings: `\r\n` is normalised to `\n` before anything else; a leading UTF-8 byte
/// order mark is ignored; a NUL character anywhere is an error. Line numbers in errors and in
/// ``FrontMatterEntry/line`` / ``NoteSection/line`` are 1-based over the whole document.
///
/// ## Front matter
///
/// - The first line is exactly `---`; the front matter runs to the next line that is exactly
///   `---` (no trailing spaces).
/// - Blank lines (spaces and tabs only) are ignored. A line whose first non-space character is
///   `#` is a comment. Comments must be on their own line: ` #` after a value is an error
///   (YAML would silently cut the value there).
/// - Every other line at column 0 is `key: value`. The key matches `[a-z][a-z0-9-]*`, is
///   followed directly by `:`, and then by a space, a tab or the end of the line. Keys are
///   unique.
/// - A value is one of:
///   - empty (`key:`), giving the scalar `""` — unless block list items follow;
///   - a plain scalar, trimmed of surrounding spaces and tabs. It must not start with a YAML
///     indicator (`? : , [ ] { } # & * ! | > ' " % @`, backquote, or `-` followed by a space
///     or nothing; `-5` is fine), must not contain a
///     tab, `: ` or ` #`, and must not end with `:`;
///   - a double-quoted scalar on one line, with the escapes `\"`, `\\`, `\/`, `\n`, `\t`, `\r`
///     and `\uXXXX` (not `\u0000`, not a surrogate);
///   - a single-quoted scalar on one line, where `''` stands for `'`;
///   - a flow list on one line: `[]`, or `[a, b, "c d"]` whose items are plain (additionally
///     without `, [ ] { }`) or quoted scalars; empty items and a trailing comma are errors
///     (rendering also quotes list items containing `?` or `:`, which YAML 1.1 parsers such as
///     PyYAML would split);
///   - a block list: `key:` with nothing after it, followed by lines `  - item` (any
///     indentation, including none, but the same for every item of the list). Blank and
///     comment lines may appear between items.
/// - Errors, each naming its line: a missing or unclosed `---`, a line that is not
///   `key: value`, a duplicate key, a tab used for indentation, any other indented line (nested
///   mappings, multi-line scalars), anchors `&`, aliases `*`, tags `!`, block scalars `|` and
///   `>`, flow mappings `{…}`, nested lists, text after a closing quote or `]`, an unterminated
///   quote or list, an unknown escape, and control characters other than tab.
///
/// ## Sections
///
/// - After the closing `---` come optional blank lines (and whole-line HTML comments), then
///   sections. Any other text before the first section heading is an error.
/// - A section starts at a line beginning with `## ` (or `##` and a tab) at column 0. Its title
///   is the rest of the line, trimmed; it must not be empty. Titles are unique, compared
///   case-insensitively.
/// - The body is every line up to the next section heading, with leading and trailing blank
///   lines removed. Everything else is kept byte for byte: other headings (`###`), lists,
///   quotes, code. Lines that consist of a single HTML comment, `<!-- … -->`, are dropped
///   (templates carry guidance in them).
/// - Fenced code blocks (`` ``` `` or `~~~`, at most three spaces of indentation) are opaque:
///   a `## ` line or an HTML comment inside one is body text. A fence that is never closed is
///   an error.
///
/// ``rendered()`` writes the canonical form: scalars plain when that reads back unchanged and
/// double-quoted otherwise, lists in flow form, one blank line before each heading and around
/// each non-empty body, and a final newline. Parsing a rendered document gives back the same
/// keys, values, titles and bodies (line numbers may differ) provided every body passes
/// ``validateSectionBody(_:)``; bodies produced by ``parse(_:)`` always do.
public struct NoteDocument: Equatable, Sendable {
    public var frontMatter: [FrontMatterEntry]
    public var sections: [NoteSection]

    public init(frontMatter: [FrontMatterEntry] = [], sections: [NoteSection] = []) {
        self.frontMatter = frontMatter
        self.sections = sections
    }

    /// The front-matter entry with this key, if any.
    public func entry(forKey key: String) -> FrontMatterEntry? {
        frontMatter.first { $0.key == key }
    }

    /// The section with this title, compared case-insensitively, if any.
    public func section(titled title: String) -> NoteSection? {
        let wanted = title.lowercased()
        return sections.first { $0.title.lowercased() == wanted }
    }

    /// Parses a note document; see the type's documentation for the exact format.
    public static func parse(_ text: String) throws(NoteDocumentError) -> NoteDocument {
        let lines = try NoteLines.split(text)
        var parser = NoteDocumentParser(lines: lines)
        return try parser.parse()
    }

    /// The canonical text of this document (see the type's documentation).
    ///
    /// Keys are written as they are; they are expected to match `[a-z][a-z0-9-]*`.
    public func rendered() -> String {
        var out = "---\n"
        for entry in frontMatter {
            out += entry.key
            out += ":"
            switch entry.value {
            case .scalar(let text):
                if !text.isEmpty {
                    out += " "
                    out += FrontMatterSyntax.renderScalar(text, inFlowList: false)
                }
            case .list(let items):
                out += " ["
                out += items.map { FrontMatterSyntax.renderScalar($0, inFlowList: true) }
                    .joined(separator: ", ")
                out += "]"
            }
            out += "\n"
        }
        out += "---\n"
        for section in sections {
            out += "\n## "
            out += section.title
            out += "\n"
            if !section.body.isEmpty {
                out += "\n"
                out += section.body
                out += "\n"
            }
        }
        return out
    }

    /// Checks that `body` can be written as a section body and read back unchanged.
    ///
    /// It must not contain NUL or `\r\n`, must not start or end with a blank line, and outside
    /// fenced code blocks must not contain a `## ` heading line or a whole-line HTML comment;
    /// every code fence must be closed. Line numbers in the error are relative to `body`.
    public static func validateSectionBody(_ body: String) throws(NoteDocumentError) {
        if body.isEmpty { return }
        // Fast path: without these bytes no line can be a heading, a comment, a fence or a
        // CRLF ending, so only the blank first and last lines remain to check.
        var copy = body
        let hasSpecial = copy.withUTF8 { buffer in
            for byte in buffer {
                switch byte {
                case UInt8(ascii: "#"), UInt8(ascii: "<"), UInt8(ascii: "`"), UInt8(ascii: "~"),
                     UInt8(ascii: "\r"), 0:
                    return true
                default:
                    continue
                }
            }
            return false
        }
        if !hasSpecial, let first = body.utf8.first, let last = body.utf8.last,
           first != NoteLines.space, first != NoteLines.tab, first != UInt8(ascii: "\n"),
           last != NoteLines.space, last != NoteLines.tab, last != UInt8(ascii: "\n") {
            return
        }
        let bytes = Array(body.utf8)
        if bytes.contains(0) {
            throw NoteDocumentError(line: nil, message: "the text contains a NUL character")
        }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if NoteLines.isBlank(lines[0]) {
            throw NoteDocumentError(line: 1, message: "the text starts with a blank line")
        }
        if NoteLines.isBlank(lines[lines.count - 1]) {
            throw NoteDocumentError(line: lines.count, message: "the text ends with a blank line")
        }
        var fence: NoteLines.Fence?
        var fenceLine = 0
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.last == UInt8(ascii: "\r") {
                throw NoteDocumentError(line: number, message: "the text contains a '\\r\\n' line ending")
            }
            if let open = fence {
                if NoteLines.closes(line, fence: open) { fence = nil }
                continue
            }
            if NoteLines.isHeading(line) {
                throw NoteDocumentError(
                    line: number,
                    message: "a line starting with '## ' would start a new section",
                    hint: "use '###' for a heading inside a section"
                )
            }
            if NoteLines.isHTMLComment(line) {
                throw NoteDocumentError(
                    line: number,
                    message: "a line holding only an HTML comment would be dropped"
                )
            }
            if let open = NoteLines.fenceOpening(line) {
                fence = open
                fenceLine = number
            }
        }
        if fence != nil {
            throw NoteDocumentError(line: fenceLine, message: "code block is never closed")
        }
    }
}

/// One `key: value` line (or a key with a block list) of the front matter.
public struct FrontMatterEntry: Equatable, Sendable {
    public var key: String
    public var value: FrontMatterValue
    /// 1-based line number of the key in the whole document.
    public var line: Int

    public init(key: String, value: FrontMatterValue, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// A front-matter value: every scalar is a string (YAML failsafe schema).
public enum FrontMatterValue: Equatable, Sendable {
    case scalar(String)
    case list([String])
}

/// A `## Title` section and its body.
public struct NoteSection: Equatable, Sendable {
    public var title: String
    /// The body without leading or trailing blank lines and without a final newline.
    public var body: String
    /// 1-based line number of the heading in the whole document.
    public var line: Int

    public init(title: String, body: String, line: Int) {
        self.title = title
        self.body = body
        self.line = line
    }
}

/// Why a note document was rejected. ``description`` reads `line N: message`.
public struct NoteDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number, when the problem has one.
    public var line: Int?
    /// What is wrong, without the line number.
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var hint: String?

    public init(line: Int?, message: String, hint: String? = nil) {
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}

// MARK: - Lines

/// Line splitting and the line-level Markdown rules shared by the parser and the body check.
enum NoteLines {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let hash = UInt8(ascii: "#")

    /// Splits into lines with `\r\n` normalised to `\n`; a final newline does not start a
    /// new line. Rejects NUL. Drops a leading byte order mark.
    static func split(_ text: String) throws(NoteDocumentError) -> [String] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                throw NoteDocumentError(line: lines.count + 1, message: "NUL character is not allowed")
            }
            if byte == UInt8(ascii: "\n") {
                var end = index
                if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count {
            lines.append(String(decoding: bytes[start...], as: UTF8.self))
        }
        return lines
    }

    typealias Bytes = ArraySlice<UInt8>

    static func isBlank(_ line: Bytes) -> Bool {
        line.allSatisfy { $0 == space || $0 == tab }
    }

    /// `##` followed by a space, a tab or the end of the line, at column 0.
    static func isHeading(_ line: Bytes) -> Bool {
        let start = line.startIndex
        guard line.count >= 2, line[start] == hash, line[start + 1] == hash else { return false }
        guard line.count > 2 else { return true }
        return line[start + 2] == space || line[start + 2] == tab
    }

    /// A line that holds exactly one HTML comment, `<!-- … -->`, and nothing else but spaces.
    static func isHTMLComment(_ line: Bytes) -> Bool {
        var lower = line.startIndex
        var upper = line.endIndex
        while lower < upper && (line[lower] == space || line[lower] == tab) { lower += 1 }
        while upper > lower && (line[upper - 1] == space || line[upper - 1] == tab) { upper -= 1 }
        guard upper - lower >= 7,
              line[lower] == UInt8(ascii: "<"), line[lower + 1] == UInt8(ascii: "!"),
              line[lower + 2] == UInt8(ascii: "-"), line[lower + 3] == UInt8(ascii: "-")
        else { return false }
        // The first "-->" after the opener must be the one that ends the line.
        var index = lower + 4
        while index + 3 <= upper {
            if line[index] == UInt8(ascii: "-") && line[index + 1] == UInt8(ascii: "-")
                && line[index + 2] == UInt8(ascii: ">") {
                return index + 3 == upper
            }
            index += 1
        }
        return false
    }

    struct Fence: Equatable {
        var character: UInt8
        var length: Int
    }

    /// A CommonMark code fence opener: up to three spaces, then three or more backquotes or
    /// tildes (a backquote fence's info string may not contain a backquote).
    static func fenceOpening(_ line: Bytes) -> Fence? {
        var index = line.startIndex
        while index < line.endIndex && index - line.startIndex < 4 && line[index] == space { index += 1 }
        guard index - line.startIndex <= 3, index < line.endIndex else { return nil }
        let character = line[index]
        guard character == UInt8(ascii: "`") || character == UInt8(ascii: "~") else { return nil }
        var length = 0
        while index < line.endIndex && line[index] == character {
            length += 1
            index += 1
        }
        guard length >= 3 else { return nil }
        if character == UInt8(ascii: "`") && line[index...].contains(character) { return nil }
        return Fence(character: character, length: length)
    }

    /// A closing fence for `fence`: up to three spaces, at least as many of the same
    /// character, then only spaces or tabs.
    static func closes(_ line: Bytes, fence: Fence) -> Bool {
        var index = line.startIndex
        while index < line.endIndex && index - line.startIndex < 4 && line[index] == space { index += 1 }
        guard index - line.startIndex <= 3 else { return false }
        var length = 0
        while index < line.endIndex && line[index] == fence.character {
            length += 1
            index += 1
        }
        guard length >= fence.length else { return false }
        return isBlank(line[index...])
    }
}

// MARK: - Parser

struct NoteDocumentParser {
    let lines: [String]

    init(lines: [String]) {
        self.lines = lines
    }

    mutating func parse() throws(NoteDocumentError) -> NoteDocument {
        guard let first = lines.first, first == "---" else {
            throw NoteDocumentError(
                line: 1,
                message: "expected '---' on the first line to open the front matter",
                hint: "a note starts with '---', then 'key: value' lines, then '---'"
            )
        }
        var closing: Int?
        for index in 1..<lines.count where lines[index] == "---" {
            closing = index
            break
        }
        guard let closing else {
            throw NoteDocumentError(
                line: 1,
                message: "the front matter opened here is never closed with a line '---'"
            )
        }
        let frontMatter = try parseFrontMatter(lines[1..<closing], firstLineNumber: 2)
        let sections = try parseSections(from: closing + 1)
        return NoteDocument(frontMatter: frontMatter, sections: sections)
    }

    private func parseFrontMatter(
        _ slice: ArraySlice<String>, firstLineNumber: Int
    ) throws(NoteDocumentError) -> [FrontMatterEntry] {
        var entries: [FrontMatterEntry] = []
        var keyLines: [String: Int] = [:]
        // The entry that may still receive block list items, and their indentation.
        var openList: Int?
        var listIndent: Int?

        for (offset, line) in slice.enumerated() {
            let number = firstLineNumber + offset
            let scalars = Array(line.unicodeScalars)
            if scalars.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if scalars[0] == "\t" {
                throw NoteDocumentError(
                    line: number, message: "tabs are not allowed for indentation; use spaces")
            }
            for scalar in scalars where FrontMatterSyntax.isForbiddenControl(scalar) {
                throw NoteDocumentError(
                    line: number,
                    message: "control character \(FrontMatterSyntax.codePoint(scalar)) is not allowed in the front matter"
                )
            }
            var indent = 0
            while scalars[indent] == " " { indent += 1 }
            let rest = scalars[indent...]
            if rest.first == "#" { continue }
            if rest.first == "\t" {
                throw NoteDocumentError(
                    line: number, message: "tabs are not allowed for indentation; use spaces")
            }
            let isItem = rest.first == "-" && (rest.count == 1 || rest[rest.startIndex + 1] == " ")
            if isItem {
                guard let listIndex = openList else {
                    throw NoteDocumentError(
                        line: number,
                        message: "list item without a key",
                        hint: "write 'key:' alone on the line before the first '  - item'"
                    )
                }
                if let expected = listIndent, expected != indent {
                    throw NoteDocumentError(
                        line: number,
                        message: "inconsistent indentation: the items of a list must line up (\(expected) spaces before '-')"
                    )
                }
                listIndent = indent
                let item = FrontMatterSyntax.trim(rest.dropFirst())
                let value = try FrontMatterSyntax.parseListItem(item, line: number)
                if case .list(let items) = entries[listIndex].value {
                    entries[listIndex].value = .list(items + [value])
                } else {
                    entries[listIndex].value = .list([value])
                }
                continue
            }
            if indent > 0 {
                throw NoteDocumentError(
                    line: number,
                    message: "unexpected indentation: nested mappings and multi-line values are not supported",
                    hint: "only list items ('  - item') may be indented; quote long values and use \\n for line breaks"
                )
            }
            let (key, valueText) = try FrontMatterSyntax.splitKeyValue(scalars, line: number)
            if let previous = keyLines[key] {
                throw NoteDocumentError(
                    line: number, message: "duplicate key '\(key)' (first on line \(previous))")
            }
            keyLines[key] = number
            let value = try FrontMatterSyntax.parseValue(valueText, line: number)
            entries.append(FrontMatterEntry(key: key, value: value, line: number))
            if valueText.isEmpty {
                openList = entries.count - 1
            } else {
                openList = nil
            }
            listIndent = nil
        }
        return entries
    }

    private func parseSections(from start: Int) throws(NoteDocumentError) -> [NoteSection] {
        var sections: [NoteSection] = []
        var titleLines: [String: Int] = [:]
        var current: (title: String, line: Int, body: [String])?
        var fence: NoteLines.Fence?
        var fenceLine = 0

        func finish(_ section: (title: String, line: Int, body: [String])) -> NoteSection {
            var body = section.body[...]
            while let first = body.first, NoteLines.isBlank(Array(first.utf8)[...]) { body = body.dropFirst() }
            while let last = body.last, NoteLines.isBlank(Array(last.utf8)[...]) { body = body.dropLast() }
            return NoteSection(title: section.title, body: body.joined(separator: "\n"), line: section.line)
        }

        var index = start
        while index < lines.count {
            let line = lines[index]
            let bytes = Array(line.utf8)[...]
            let number = index + 1
            index += 1
            if let open = fence {
                if NoteLines.closes(bytes, fence: open) { fence = nil }
                current?.body.append(line)
                continue
            }
            if NoteLines.isHeading(bytes) {
                let title = FrontMatterSyntax.string(
                    FrontMatterSyntax.trim(Array(line.unicodeScalars)[2...]))
                if title.isEmpty {
                    throw NoteDocumentError(line: number, message: "empty section title after '##'")
                }
                let folded = title.lowercased()
                if let previous = titleLines[folded] {
                    throw NoteDocumentError(
                        line: number,
                        message: "duplicate section '\(title)' (first on line \(previous))"
                    )
                }
                titleLines[folded] = number
                if let done = current { sections.append(finish(done)) }
                current = (title, number, [])
                continue
            }
            if NoteLines.isHTMLComment(bytes) { continue }
            guard current != nil else {
                if NoteLines.isBlank(bytes) { continue }
                throw NoteDocumentError(
                    line: number,
                    message: "text before the first section: write it under a '## Title' heading"
                )
            }
            if let open = NoteLines.fenceOpening(bytes) {
                fence = open
                fenceLine = number
            }
            current?.body.append(line)
        }
        if fence != nil {
            throw NoteDocumentError(
                line: fenceLine,
                message: "code block is never closed",
                hint: "close it with a line of the same fence characters"
            )
        }
        if let done = current { sections.append(finish(done)) }
        return sections
    }
}

// MARK: - Front-matter scalars

enum FrontMatterSyntax {
    typealias Scalars = ArraySlice<Unicode.Scalar>

    /// Characters that may not start a plain scalar.
    static let indicators: Set<Unicode.Scalar> = [
        "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`",
    ]

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    /// Control characters (other than tab) that may not appear raw in the front matter.
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func trim(_ scalars: Scalars) -> Scalars {
        var slice = scalars
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    static func string(_ scalars: Scalars) -> String {
        String(String.UnicodeScalarView(scalars))
    }

    /// Splits `key: value`, validating the key; the value comes back trimmed.
    static func splitKeyValue(
        _ scalars: [Unicode.Scalar], line: Int
    ) throws(NoteDocumentError) -> (String, Scalars) {
        guard let colon = scalars.firstIndex(of: ":") else {
            throw NoteDocumentError(line: line, message: "expected 'key: value'")
        }
        let keyScalars = scalars[..<colon]
        let key = String(String.UnicodeScalarView(keyScalars))
        guard isValidKey(keyScalars) else {
            if keyScalars.isEmpty || keyScalars.contains(where: isSpace) {
                throw NoteDocumentError(line: line, message: "expected 'key: value'")
            }
            throw NoteDocumentError(
                line: line,
                message: "invalid key '\(key)': keys are lowercase letters, digits and '-', starting with a letter"
            )
        }
        let afterColon = colon + 1
        if afterColon < scalars.count && scalars[afterColon] != " " {
            throw NoteDocumentError(
                line: line, message: "expected 'key: value' with a space after ':'")
        }
        return (key, trim(scalars[afterColon...]))
    }

    static func isValidKey(_ key: Scalars) -> Bool {
        guard let first = key.first, ("a"..."z").contains(first) else { return false }
        return key.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func parseValue(_ value: Scalars, line: Int) throws(NoteDocumentError) -> FrontMatterValue {
        guard let first = value.first else { return .scalar("") }
        switch first {
        case "\"", "'":
            let (text, end) = try parseQuoted(value, at: value.startIndex, line: line)
            try expectNothing(after: end, in: value, what: "the closing quote", line: line)
            return .scalar(text)
        case "[":
            return .list(try parseFlowList(value, line: line))
        default:
            return .scalar(try checkedPlain(value, inFlowList: false, line: line))
        }
    }

    /// A block list item (text after `- `, trimmed).
    static func parseListItem(_ item: Scalars, line: Int) throws(NoteDocumentError) -> String {
        guard let first = item.first else {
            throw NoteDocumentError(line: line, message: "empty list item")
        }
        switch first {
        case "\"", "'":
            let (text, end) = try parseQuoted(item, at: item.startIndex, line: line)
            try expectNothing(after: end, in: item, what: "the closing quote", line: line)
            return text
        case "[":
            throw NoteDocumentError(line: line, message: "nested lists are not supported")
        default:
            return try checkedPlain(item, inFlowList: false, line: line)
        }
    }

    private static func expectNothing(
        after end: Int, in value: Scalars, what: String, line: Int
    ) throws(NoteDocumentError) {
        let rest = trim(value[end...])
        if rest.first == "#" {
            throw NoteDocumentError(line: line, message: "comments must be on their own line")
        }
        if !rest.isEmpty {
            throw NoteDocumentError(line: line, message: "unexpected text after \(what)")
        }
    }

    /// Checks that `plain` (trimmed, not empty) is a plain scalar that YAML reads as itself.
    static func checkedPlain(
        _ plain: Scalars, inFlowList: Bool, line: Int
    ) throws(NoteDocumentError) -> String {
        let first = plain[plain.startIndex]
        switch first {
        case "&":
            throw NoteDocumentError(line: line, message: "anchors ('&') are not supported", hint: quoteHint)
        case "*":
            throw NoteDocumentError(line: line, message: "aliases ('*') are not supported", hint: quoteHint)
        case "!":
            throw NoteDocumentError(line: line, message: "tags ('!') are not supported", hint: quoteHint)
        case "|", ">":
            throw NoteDocumentError(
                line: line,
                message: "block scalars ('|' and '>') are not supported",
                hint: "write the value in double quotes, with \\n for line breaks"
            )
        case "{":
            throw NoteDocumentError(line: line, message: "nested mappings are not supported", hint: quoteHint)
        case "#":
            throw NoteDocumentError(line: line, message: "comments must be on their own line")
        case "-" where plain.count == 1 || isSpace(plain[plain.startIndex + 1]):
            throw NoteDocumentError(
                line: line,
                message: "a list must start on the line after its key",
                hint: "write 'key:' alone, then '  - item' lines, or use [a, b]"
            )
        case "-":
            break  // '-' followed by a non-space character starts a plain scalar, e.g. -5
        default:
            if indicators.contains(first) {
                throw NoteDocumentError(
                    line: line, message: "a value cannot start with '\(first)'", hint: quoteHint)
            }
        }
        var index = plain.startIndex
        while index < plain.endIndex {
            let scalar = plain[index]
            let next: Unicode.Scalar? = index + 1 < plain.endIndex ? plain[index + 1] : nil
            if scalar == ":" && (next == nil || isSpace(next!)) {
                throw NoteDocumentError(
                    line: line,
                    message: "nested mappings are not supported (': ' or a final ':' in a value)",
                    hint: quoteHint
                )
            }
            if scalar == "#" && isSpace(plain[index - 1]) {
                throw NoteDocumentError(
                    line: line,
                    message: "comments must be on their own line (' #' starts a comment)",
                    hint: quoteHint
                )
            }
            if scalar == "\t" {
                throw NoteDocumentError(
                    line: line, message: "a tab inside a value must be in double quotes (write \\t)")
            }
            if inFlowList && (scalar == "[" || scalar == "{" || scalar == "}") {
                throw NoteDocumentError(
                    line: line, message: "nested lists and mappings are not supported", hint: quoteHint)
            }
            index += 1
        }
        return String(String.UnicodeScalarView(plain))
    }

    static let quoteHint = "put the value in double quotes if these characters are part of it"

    /// Parses a single- or double-quoted scalar starting at `start`; returns the text and the
    /// index after the closing quote.
    static func parseQuoted(
        _ scalars: Scalars, at start: Int, line: Int
    ) throws(NoteDocumentError) -> (String, Int) {
        let quote = scalars[start]
        var out = String.UnicodeScalarView()
        var index = start + 1
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if quote == "'" {
                if scalar == "'" {
                    if index + 1 < scalars.endIndex && scalars[index + 1] == "'" {
                        out.append("'")
                        index += 2
                        continue
                    }
                    return (String(out), index + 1)
                }
                out.append(scalar)
                index += 1
                continue
            }
            if scalar == "\"" { return (String(out), index + 1) }
            if scalar != "\\" {
                out.append(scalar)
                index += 1
                continue
            }
            guard index + 1 < scalars.endIndex else { break }
            let escape = scalars[index + 1]
            index += 2
            switch escape {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "u":
                guard index + 4 <= scalars.endIndex else {
                    throw NoteDocumentError(line: line, message: "'\\u' needs four hexadecimal digits")
                }
                let hex = String(String.UnicodeScalarView(scalars[index..<index + 4]))
                guard hex.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit),
                      let value = UInt32(hex, radix: 16)
                else {
                    throw NoteDocumentError(line: line, message: "'\\u' needs four hexadecimal digits")
                }
                guard value != 0 else {
                    throw NoteDocumentError(line: line, message: "'\\u0000' (NUL) is not allowed")
                }
                guard let decoded = Unicode.Scalar(value) else {
                    throw NoteDocumentError(
                        line: line, message: "'\\u\(hex)' is a surrogate, not a character")
                }
                out.append(decoded)
                index += 4
            default:
                throw NoteDocumentError(
                    line: line,
                    message: "unsupported escape '\\\(escape)'",
                    hint: "use \\\" \\\\ \\/ \\n \\t \\r or \\uXXXX"
                )
            }
        }
        throw NoteDocumentError(
            line: line,
            message: quote == "'" ? "unterminated single-quoted value" : "unterminated double-quoted value",
            hint: "quoted values must close on the same line; use \\n for line breaks in double quotes"
        )
    }

    static func parseFlowList(_ value: Scalars, line: Int) throws(NoteDocumentError) -> [String] {
        var items: [String] = []
        var index = value.startIndex + 1
        func skipSpaces() {
            while index < value.endIndex && isSpace(value[index]) { index += 1 }
        }
        skipSpaces()
        if index < value.endIndex && value[index] == "]" {
            try expectNothing(after: index + 1, in: value, what: "']'", line: line)
            return []
        }
        while true {
            skipSpaces()
            guard index < value.endIndex else { break }
            let first = value[index]
            if first == "," || first == "]" {
                throw NoteDocumentError(
                    line: line,
                    message: items.isEmpty || first == "," ? "empty list item" : "trailing comma in list"
                )
            }
            if first == "\"" || first == "'" {
                let (text, end) = try parseQuoted(value, at: index, line: line)
                items.append(text)
                index = end
            } else if first == "[" {
                throw NoteDocumentError(line: line, message: "nested lists are not supported")
            } else {
                var end = index
                while end < value.endIndex && value[end] != "," && value[end] != "]" { end += 1 }
                let plain = trim(value[index..<end])
                items.append(try checkedPlain(plain, inFlowList: true, line: line))
                index = end
            }
            skipSpaces()
            guard index < value.endIndex else { break }
            if value[index] == "]" {
                try expectNothing(after: index + 1, in: value, what: "']'", line: line)
                return items
            }
            guard value[index] == "," else {
                throw NoteDocumentError(line: line, message: "expected ',' or ']' in list")
            }
            index += 1
            skipSpaces()
            if index < value.endIndex && value[index] == "]" {
                throw NoteDocumentError(line: line, message: "trailing comma in list")
            }
        }
        throw NoteDocumentError(
            line: line,
            message: "unterminated list: a '[' list must close with ']' on the same line",
            hint: "for a list over several lines write 'key:' then '  - item' lines"
        )
    }

    // MARK: Rendering

    /// `text` as a plain scalar when the parser reads that back unchanged, else double-quoted.
    static func renderScalar(_ text: String, inFlowList: Bool) -> String {
        needsQuotes(text, inFlowList: inFlowList) ? doubleQuoted(text) : text
    }

    static func needsQuotes(_ text: String, inFlowList: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return true }
        if isSpace(first) || isSpace(last) || indicators.contains(first) || last == ":" { return true }
        for (index, scalar) in scalars.enumerated() {
            if needsEscape(scalar) { return true }
            if scalar == ":" && index + 1 < scalars.count && isSpace(scalars[index + 1]) { return true }
            if scalar == "#" && index > 0 && isSpace(scalars[index - 1]) { return true }
            // In a flow list, YAML 1.1 parsers end a plain scalar at '?' and at some ':', so
            // those are quoted too.
            if inFlowList && ",[]{}?:".unicodeScalars.contains(scalar) {
                return true
            }
        }
        return false
    }

    /// Characters written as escapes inside double quotes: controls, and characters some
    /// YAML parsers treat as line breaks or byte order marks.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F, 0x85, 0x2028, 0x2029, 0xFEFF: return true
        default: return false
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }
}
