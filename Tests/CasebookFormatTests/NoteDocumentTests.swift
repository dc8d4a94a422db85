import CasebookFormat
import Testing

/// Parses `text`, returning the error or nil.
private func parseError(_ text: String) -> NoteDocumentError? {
    do throws(NoteDocumentError) {
        _ = try NoteDocument.parse(text)
        return nil
    } catch {
        return error
    }
}

/// The document with every line number set to 0, to compare content only.
private func withoutLines(_ document: NoteDocument) -> NoteDocument {
    NoteDocument(
        frontMatter: document.frontMatter.map { FrontMatterEntry(key: $0.key, value: $0.value, line: 0) },
        sections: document.sections.map { NoteSection(title: $0.title, body: $0.body, line: 0) }
    )
}

@Suite("NoteDocument parsing")
struct NoteDocumentParsingTests {
    static let example = """
        ---
        # A comment line.
        kind: hii-session
          # An indented comment.

        client: C-0042
        summary: "Said \\"no\\" twice:\\n\\tthen left \\\\ quietly"
        single: 'it''s # fine: really'
        empty:
        flow: [family, "two words", 'x, y', plain words]
        none: []
        block:
          - first
          # between items
          - "second: quoted"

          - third
        zero:
        - a
        - b
        url: https://example.org/a#b
        negative: -5
        ---

        <!-- guidance before the first section is dropped -->

        ## Focus

        <!-- Guidance: what this section is for. -->
        Line one.

        ### A sub-heading

        - a list item
          - nested
        <!-- a comment --> followed by text stays

        ## Code ##
        ```swift
        ## not a heading
        <!-- not dropped inside code -->
        ```
        ~~~~
        ## still code
        ~~~~
        ##\tTabbed
        ## Empty

        """

    @Test func parsesFrontMatterValuesAndLines() throws {
        let document = try NoteDocument.parse(Self.example)
        let entries = document.frontMatter
        #expect(entries.map(\.key) == [
            "kind", "client", "summary", "single", "empty", "flow", "none", "block", "zero", "url", "negative",
        ])
        #expect(entries.map(\.line) == [3, 6, 7, 8, 9, 10, 11, 12, 18, 21, 22])
        #expect(entries[0].value == .scalar("hii-session"))
        #expect(entries[2].value == .scalar("Said \"no\" twice:\n\tthen left \\ quietly"))
        #expect(entries[3].value == .scalar("it's # fine: really"))
        #expect(entries[4].value == .scalar(""))
        #expect(entries[5].value == .list(["family", "two words", "x, y", "plain words"]))
        #expect(entries[6].value == .list([]))
        #expect(entries[7].value == .list(["first", "second: quoted", "third"]))
        #expect(entries[8].value == .list(["a", "b"]))
        #expect(entries[9].value == .scalar("https://example.org/a#b"))
        #expect(entries[10].value == .scalar("-5"))
        #expect(document.entry(forKey: "client")?.value == .scalar("C-0042"))
        #expect(document.entry(forKey: "missing") == nil)
    }

    @Test func parsesSectionsKeepingBodies() throws {
        let document = try NoteDocument.parse(Self.example)
        #expect(document.sections.map(\.title) == ["Focus", "Code ##", "Tabbed", "Empty"])
        #expect(document.sections.map(\.line) == [27, 38, 46, 47])
        #expect(document.sections[0].body == """
            Line one.

            ### A sub-heading

            - a list item
              - nested
            <!-- a comment --> followed by text stays
            """)
        #expect(document.sections[1].body == """
            ```swift
            ## not a heading
            <!-- not dropped inside code -->
            ```
            ~~~~
            ## still code
            ~~~~
            """)
        #expect(document.sections[2].body == "")
        #expect(document.sections[3].body == "")
        #expect(document.section(titled: "focus")?.line == 27)
        #expect(document.section(titled: "nope") == nil)
    }

    @Test func crlfLineEndingsAreNormalised() throws {
        let lf = try NoteDocument.parse(Self.example)
        let crlf = try NoteDocument.parse(Self.example.replacingLFWithCRLF())
        #expect(crlf == lf)
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let document = try NoteDocument.parse("\u{FEFF}---\nkey: v\n---\n")
        #expect(document.frontMatter == [FrontMatterEntry(key: "key", value: .scalar("v"), line: 2)])
    }

    @Test func minimalDocuments() throws {
        #expect(try NoteDocument.parse("---\n---") == NoteDocument())
        #expect(try NoteDocument.parse("---\n---\n\n\n") == NoteDocument())
        let noNewline = try NoteDocument.parse("---\na: b\n---\n## T\nbody")
        #expect(noNewline.sections == [NoteSection(title: "T", body: "body", line: 4)])
    }

    @Test func htmlCommentsAreDroppedOnlyAsWholeLines() throws {
        let document = try NoteDocument.parse("""
            ---
            ---
            ## A
              <!-- indented comment -->
            <!-- two --> <!-- comments -->
            <!-- not closed
            text <!-- x -->
            """)
        #expect(document.sections[0].body == "<!-- two --> <!-- comments -->\n<!-- not closed\ntext <!-- x -->")
    }

    @Test func leadingAndTrailingBlankLinesAreTrimmedButInternalOnesKept() throws {
        let document = try NoteDocument.parse(
            "---\n---\n## A\n\n  \n    indented code\n\n\n  trailing spaces  \n\t\n\n## B\n")
        #expect(document.sections[0].body == "    indented code\n\n\n  trailing spaces  ")
    }
}

@Suite("NoteDocument errors")
struct NoteDocumentErrorTests {
    static let cases: [(text: String, line: Int?, message: String)] = [
        ("", 1, "expected '---' on the first line"),
        ("--- \nkey: v\n---\n", 1, "expected '---' on the first line"),
        ("key: value\n", 1, "expected '---' on the first line"),
        ("---\nkind: x\n", 1, "never closed"),
        ("---\nkind x\n---\n", 2, "expected 'key: value'"),
        ("---\n: x\n---\n", 2, "expected 'key: value'"),
        ("---\nmy key: x\n---\n", 2, "expected 'key: value'"),
        ("---\nKind: x\n---\n", 2, "invalid key 'Kind'"),
        ("---\n1st: x\n---\n", 2, "invalid key '1st'"),
        ("---\nkey_x: x\n---\n", 2, "invalid key 'key_x'"),
        ("---\nkind:x\n---\n", 2, "with a space after ':'"),
        ("---\nkind:\tx\n---\n", 2, "with a space after ':'"),
        ("---\nkey: a\tb\n---\n", 2, "a tab inside a value must be in double quotes"),
        ("---\nkey: [a\tb]\n---\n", 2, "a tab inside a value must be in double quotes"),
        ("---\nkey:\n  -\tx\n---\n", 3, "unexpected indentation"),
        ("---\na: 1\nb: 2\na: 3\n---\n", 4, "duplicate key 'a' (first on line 2)"),
        ("---\n\tkey: x\n---\n", 2, "tabs are not allowed for indentation"),
        ("---\nkey:\n\t- x\n---\n", 3, "tabs are not allowed for indentation"),
        ("---\nkey:\n  \t- x\n---\n", 3, "tabs are not allowed for indentation"),
        ("---\nkey: &anchor x\n---\n", 2, "anchors"),
        ("---\nkey: *alias\n---\n", 2, "aliases"),
        ("---\nkey: !tag x\n---\n", 2, "tags"),
        ("---\nkey: |\n  text\n---\n", 2, "block scalars"),
        ("---\nkey: >-\n---\n", 2, "block scalars"),
        ("---\nkey:\n  nested: value\n---\n", 3, "unexpected indentation"),
        ("---\nkey: x\n  continued\n---\n", 3, "unexpected indentation"),
        ("---\nkey: a: b\n---\n", 2, "nested mappings"),
        ("---\nkey: ends:\n---\n", 2, "nested mappings"),
        ("---\nkey: {a: b}\n---\n", 2, "nested mappings"),
        ("---\nkey: value # comment\n---\n", 2, "comments must be on their own line"),
        ("---\nkey: value\t# comment\n---\n", 2, "a tab inside a value"),
        ("---\nkey: \"v\" # comment\n---\n", 2, "comments must be on their own line"),
        ("---\nkey: # comment\n---\n", 2, "comments must be on their own line"),
        ("---\nkey: @at\n---\n", 2, "cannot start with '@'"),
        ("---\nkey: `tick\n---\n", 2, "cannot start with '`'"),
        ("---\nkey: ,x\n---\n", 2, "cannot start with ','"),
        ("---\nkey: %x\n---\n", 2, "cannot start with '%'"),
        ("---\nkey: ? x\n---\n", 2, "cannot start with '?'"),
        ("---\nkey: - a\n---\n", 2, "a list must start on the line after its key"),
        ("---\nkey: -\n---\n", 2, "a list must start on the line after its key"),
        ("---\nkey: [-, a]\n---\n", 2, "a list must start on the line after its key"),
        ("---\nkey: \"abc\n---\n", 2, "unterminated double-quoted value"),
        ("---\nkey: \"abc\\\"\n---\n", 2, "unterminated double-quoted value"),
        ("---\nkey: 'abc\n---\n", 2, "unterminated single-quoted value"),
        ("---\nkey: \"a\" b\n---\n", 2, "unexpected text after the closing quote"),
        ("---\nkey: \"a\\x\"\n---\n", 2, "unsupported escape '\\x'"),
        ("---\nkey: \"\\u12\"\n---\n", 2, "four hexadecimal digits"),
        ("---\nkey: \"\\u12G4\"\n---\n", 2, "four hexadecimal digits"),
        ("---\nkey: \"\\u0000\"\n---\n", 2, "NUL"),
        ("---\nkey: \"\\uD800\"\n---\n", 2, "surrogate"),
        ("---\nkey: [a, b\n---\n", 2, "unterminated list"),
        ("---\nkey: [\n---\n", 2, "unterminated list"),
        ("---\nkey: [a, , b]\n---\n", 2, "empty list item"),
        ("---\nkey: [, a]\n---\n", 2, "empty list item"),
        ("---\nkey: [a, b,]\n---\n", 2, "trailing comma"),
        ("---\nkey: [a, [b]]\n---\n", 2, "nested lists"),
        ("---\nkey: [a{b}]\n---\n", 2, "nested lists and mappings"),
        ("---\nkey: [a] x\n---\n", 2, "unexpected text after ']'"),
        ("---\nkey: [] x\n---\n", 2, "unexpected text after ']'"),
        ("---\nkey: [\"a\" \"b\"]\n---\n", 2, "expected ',' or ']'"),
        ("---\n- a\n---\n", 2, "list item without a key"),
        ("---\nkey: v\n  - a\n---\n", 3, "list item without a key"),
        ("---\nkey:\n  - a\n    - b\n---\n", 4, "inconsistent indentation"),
        ("---\nkey:\n  -\n---\n", 3, "empty list item"),
        ("---\nkey:\n  - a: b\n---\n", 3, "nested mappings"),
        ("---\nkey:\n  - [a]\n---\n", 3, "nested lists"),
        ("---\nkey:\n  - \"a\" x\n---\n", 3, "unexpected text after the closing quote"),
        ("---\nkey: a\u{7}\n---\n", 2, "control character U+0007"),
        ("---\nkey: a\rb\n---\n", 2, "control character U+000D"),
        ("---\nkey: a\0\n---\n", 2, "NUL character"),
        ("---\n---\n## A\nbody\0\n", 4, "NUL character"),
        ("---\n---\nintro text\n## A\n", 3, "text before the first section"),
        ("---\n---\n```\n## A\n```\n", 3, "text before the first section"),
        ("---\n---\n## A\n## a\n", 4, "duplicate section 'a' (first on line 3)"),
        ("---\n---\n## Focus\n\n## FOCUS \n", 5, "duplicate section 'FOCUS' (first on line 3)"),
        ("---\n---\n##\n", 3, "empty section title"),
        ("---\n---\n##   \n", 3, "empty section title"),
        ("---\n---\n## A\n```\ncode\n## B\n", 4, "code block is never closed"),
        ("---\n---\n## A\n~~~~\ncode\n~~~\n", 4, "code block is never closed"),
    ]

    @Test(arguments: cases.indices)
    func rejects(_ index: Int) {
        let (text, line, message) = Self.cases[index]
        let error = parseError(text)
        #expect(error != nil, "accepted: \(text.debugDescription)")
        #expect(error?.line == line, "\(text.debugDescription) → \(String(describing: error))")
        #expect(
            error?.message.contains(message) == true,
            "\(text.debugDescription) → \(String(describing: error))")
    }

    @Test func crlfKeepsLineNumbers() {
        let error = parseError("---\r\nkey: 1\r\nkey: 2\r\n---\r\n")
        #expect(error?.line == 3)
    }

    @Test func descriptionNamesTheLine() {
        let error = parseError("---\nkind x\n---\n")
        #expect(error?.description == "line 2: expected 'key: value'")
        #expect(NoteDocumentError(line: nil, message: "m").description == "m")
    }
}

@Suite("NoteDocument rendering")
struct NoteDocumentRenderingTests {
    @Test func rendersCanonicalText() {
        let document = NoteDocument(
            frontMatter: [
                FrontMatterEntry(key: "kind", value: .scalar("hii-session"), line: 0),
                FrontMatterEntry(key: "empty", value: .scalar(""), line: 0),
                FrontMatterEntry(key: "labels", value: .list(["a", "b c", "d, e"]), line: 0),
                FrontMatterEntry(key: "none", value: .list([]), line: 0),
                FrontMatterEntry(key: "quoted", value: .scalar("a: b"), line: 0),
            ],
            sections: [
                NoteSection(title: "Focus", body: "Text\n\n- item", line: 0),
                NoteSection(title: "Empty", body: "", line: 0),
            ]
        )
        #expect(document.rendered() == """
            ---
            kind: hii-session
            empty:
            labels: [a, b c, "d, e"]
            none: []
            quoted: "a: b"
            ---

            ## Focus

            Text

            - item

            ## Empty

            """)
    }

    static let trickyValues = [
        "plain", "", " leading", "trailing ", "a: b", "a:", "a #b", "a\t#b", "#x", "- x", "-x", "-", "[x", "]x",
        "{x", "}x", ",x", "&x", "*x", "!x", "|x", ">x", "'x", "\"x", "%x", "@x", "`x", "?x", ":x",
        "multi\nline", "tab\tinside", "quote\"s", "back\\slash", "bell\u{7}", "del\u{7F}", "nel\u{85}",
        "ls\u{2028}", "bom\u{FEFF}", "cr\r", "ümlaut – “quotes”", "a,b", "a[b]", "x{y}", "10:00", "C#", "a'b",
        "https://example.org/x?y=1#z", "a?b", "x:y", "yes", "null", "~", "123", "---", "...",
    ]

    @Test func scalarsAndListItemsRoundTrip() throws {
        for value in Self.trickyValues {
            let document = NoteDocument(
                frontMatter: [
                    FrontMatterEntry(key: "value", value: .scalar(value), line: 2),
                    FrontMatterEntry(key: "list", value: .list([value, value + "2"]), line: 3),
                ],
                sections: []
            )
            let reparsed = try NoteDocument.parse(document.rendered())
            #expect(reparsed == document, "value \(value.debugDescription) rendered as \(document.rendered())")
        }
    }

    @Test func parseRenderParseIsStable() throws {
        let first = try NoteDocument.parse(NoteDocumentParsingTests.example)
        let rendered = first.rendered()
        let second = try NoteDocument.parse(rendered)
        #expect(withoutLines(second) == withoutLines(first))
        #expect(second.rendered() == rendered)
    }

    @Test func validateSectionBodyAcceptsWhatRoundTrips() throws {
        let good = [
            "", "text", "### heading\n\n- list\n  - nested", "```\n## code\n<!-- kept -->\n```",
            "a <!-- inline --> b", "##no-space", "####### deep", "    ## indented",
        ]
        for body in good {
            try NoteDocument.validateSectionBody(body)
            let document = NoteDocument(
                frontMatter: [], sections: [NoteSection(title: "T", body: body, line: 4)])
            #expect(try NoteDocument.parse(document.rendered()) == document)
        }
    }

    @Test func validateSectionBodyRejectsWhatWouldNotRoundTrip() {
        let bad: [(String, Int?, String)] = [
            ("a\n## b", 2, "would start a new section"),
            ("a\n##", 2, "would start a new section"),
            ("<!-- x -->\na", 1, "HTML comment"),
            ("a\n  <!-- x -->", 2, "HTML comment"),
            ("```\ncode", 1, "never closed"),
            ("\na", 1, "starts with a blank line"),
            ("a\n  ", 2, "ends with a blank line"),
            ("a\r\nb", 1, "line ending"),
            ("a\0", nil, "NUL"),
        ]
        for (body, line, message) in bad {
            do throws(NoteDocumentError) {
                try NoteDocument.validateSectionBody(body)
                Issue.record("accepted \(body.debugDescription)")
            } catch {
                #expect(error.line == line, "\(body.debugDescription)")
                #expect(error.message.contains(message), "\(body.debugDescription): \(error.message)")
            }
        }
    }
}

extension String {
    /// This text with every `\n` turned into `\r\n`.
    func replacingLFWithCRLF() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\n" { out += "\r\n" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
