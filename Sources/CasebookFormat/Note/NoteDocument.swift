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
