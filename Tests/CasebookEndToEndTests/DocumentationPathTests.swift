import Foundation
import Testing

/// The documents name source files for a second implementer and a newcomer to read; every
/// one they name must exist, so moving code cannot leave the map pointing nowhere.
@Suite struct DocumentationPathTests {
    @Test func everySourceFileTheDocumentsNameExists() throws {
        let root = KeysExampleTests.repository
        let documents = ["README.md"] + (try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path))
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        let pattern = try NSRegularExpression(pattern: #"Sources/[A-Za-z0-9_+/]+\.swift"#)
        var checked = 0
        for document in documents {
            let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let path = String(text[Range(match.range, in: text)!])
                #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(document) names \(path)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
