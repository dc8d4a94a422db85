import CasebookFormat
import CasebookCore
import Foundation
import Testing

enum Zones {
    static let utc = TimeZone(identifier: "UTC")!
    static let london = TimeZone(identifier: "Europe/London")!
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let kolkata = TimeZone(identifier: "Asia/Kolkata")!
}

/// Runs `body` and returns the RecordInputError it throws, or nil.
func recordError<T>(_ body: () throws -> T) -> RecordInputError? {
    do {
        _ = try body()
        return nil
    } catch let error as RecordInputError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

enum Fixtures {
    static func client(_ text: String = "C-0042") -> ClientReference {
        try! ClientReference(text)
    }

    static func start(_ text: String = "2026-11-24T10:00:00+01:00") -> SessionStart {
        try! SessionStart(parsing: text, defaultTimeZone: Zones.utc)
    }

    /// A rich multi-line section body: sub-headings, lists, code with a `##` line, quotes.
    static func richText(_ title: String) -> String {
        """
        About \(title): first line with “quotes”, ä and 😀.

        ### A sub-heading

        - item one
        - item two
          - nested item
        1. numbered

        ```text
        ## inside a code block
        <!-- kept inside code -->
        ```

        > A quotation: with a colon # and a hash
        Last line.
        """
    }

    /// A complete, valid record of `kind` with every section filled.
    static func content(_ kind: RecordKind) -> RecordContent {
        var sections: [String: String] = [:]
        for field in kind.fields {
            switch field.type {
            case .text: sections[field.key] = richText(field.title)
            case .positiveInteger: sections[field.key] = "3"
            case .yesNo: sections[field.key] = "no"
            case .choice(let options): sections[field.key] = options.last!
            }
        }
        return RecordContent(
            header: RecordHeader(
                kind: kind, client: client(), start: start(), durationMinutes: 50,
                modality: .inPerson, attendance: .attended, labels: ["family", "employment"],
                sharingSummary: "Engaged well: discussed housing #2 and \"work\"."
            ),
            sections: sections
        )
    }

    /// A valid record of `kind` with only the required sections.
    static func minimal(_ kind: RecordKind) -> RecordContent {
        var content = content(kind)
        content.sections = content.sections.filter { key, _ in kind.field(forKey: key)!.required }
        content.header.durationMinutes = nil
        content.header.labels = kind.defaultLabels
        content.header.sharingSummary = ""
        return content
    }
}
