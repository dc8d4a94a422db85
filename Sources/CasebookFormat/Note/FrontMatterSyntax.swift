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
}
