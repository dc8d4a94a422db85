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
