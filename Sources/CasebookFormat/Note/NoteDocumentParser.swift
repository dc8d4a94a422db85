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
