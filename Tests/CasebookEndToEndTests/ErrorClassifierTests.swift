import Foundation
import Testing
@testable import casebook
import CasebookCore
import CasebookFormat

/// The command line's one classification of failures, and the README's exit-status table
/// that documents it.
@Suite struct ErrorClassifierTests {
    @Test func theReadmeTableIsTheClassifiersTable() throws {
        let readme = try String(contentsOf: KeysExampleTests.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Exit statuses").dropFirst().first)
        let rows = section.split(separator: "\n").prefix { !$0.hasPrefix("## ") }.map(String.init)
            .filter { $0.hasPrefix("| ") && $0.first(where: \.isNumber) != nil && $0.dropFirst(2).first?.isNumber == true }
        #expect(rows == casebook.ExitStatus.readmeRows)
    }

    @Test func everyLibraryCategoryHasItsStatus() {
        let expected: [CasebookError.Code: casebook.ExitStatus] = [
            .internalError: .internalError, .invalidArgument: .usage, .invalidInput: .invalidInput, .notFound: .notFound,
            .wrongPassphrase: .wrongPassphrase, .integrity: .integrity, .alreadyExists: .alreadyExists, .refused: .refused,
            .environment: .environment,
        ]
        for code in CasebookError.Code.allCases {
            #expect(ErrorClassifier.classify(CasebookError(code, "x")).status == expected[code], "\(code)")
        }
    }

    @Test func ageFailuresAreClassifiedByCategory() {
        #expect(ErrorClassifier.classify(AgeError.header("x")).status == .invalidInput)
        #expect(ErrorClassifier.classify(AgeError.armor("x")).status == .invalidInput)
        #expect(ErrorClassifier.classify(AgeError.noMatch).status == .invalidInput)
        #expect(ErrorClassifier.classify(AgeError.armorTruncated).status == .integrity)
        #expect(ErrorClassifier.classify(AgeError.headerMAC).status == .integrity)
        #expect(ErrorClassifier.classify(AgeError.payload("x")).status == .integrity)
        #expect(ErrorClassifier.classify(AgeError.io("x")).status == .environment)
    }

    @Test func wireFormatFailuresAreInvalidInputUnlessAltered() {
        #expect(ErrorClassifier.classify(WireFormatError(.invalid, "x")).status == .invalidInput)
        #expect(ErrorClassifier.classify(WireFormatError(.unsupportedVersion, "x")).status == .invalidInput)
        #expect(ErrorClassifier.classify(WireFormatError(.integrity, "x", hint: "h")) == .init(status: .integrity, message: "x", hint: "h"))
    }

    /// The library names no command or option; the command line adds them.
    @Test func remediesAndArgumentsAreSpelledOutHere() {
        let failure = ErrorClassifier.classify(CasebookError(.notFound, "no record X", remedy: .listRecords(client: "C-0042")))
        #expect(failure == .init(status: .notFound, message: "no record X", hint: "'casebook note list --client C-0042' shows them"))
        let argument = ErrorClassifier.classify(CasebookError(.invalidArgument, "'soon' is not a date", argument: .expires))
        #expect(argument.message == "--expires 'soon' is not a date" && argument.status == .usage)
        let plain = ErrorClassifier.classify(CasebookError(.integrity, "bad", hint: "restore it from a backup"))
        #expect(plain.hint == "restore it from a backup")
        struct Unknown: Error {}
        #expect(ErrorClassifier.classify(Unknown()) == .init(status: .internalError, message: "unexpected failure: Unknown", hint: nil))
    }

    /// No library error text names a command: hints that need one are remedies.
    @Test func theLibrariesNameNoCommand() throws {
        let sources = KeysExampleTests.repository.appendingPathComponent("Sources")
        for target in ["CasebookCore", "CasebookStore"] {
            let folder = sources.appendingPathComponent(target)
            let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                    #expect(!line.contains("'casebook "), "\(target)/\(file): \(line)")
                }
            }
        }
    }
}
