import Testing
@testable import CasebookFormat

/// Unicode TS #39 skeletons through the toolchain's ICU.
@Suite struct ConfusableSkeletonTests {
    @Test func lookAlikesShareASkeletonAndOtherNamesDoNot() throws {
        #if os(Linux)
        #expect(ConfusableSkeleton.isAvailable)
        #endif
        guard ConfusableSkeleton.isAvailable else { return }
        let pairs: [(String, String)] = [
            ("Dr Sam Exam\u{440}le", "Dr Sam Example"),      // Cyrillic er
            ("Dr S\u{430}m Ex\u{430}mple", "Dr Sam Example"), // Cyrillic a
            ("Dr Sam Exarnple", "Dr Sam Example"),          // rn for m
            ("Dr Sam Examp1e", "Dr Sam Example"),           // digit one for l
            ("\u{391}mira", "Amira"),                         // Greek capital alpha
        ]
        for (a, b) in pairs {
            #expect(ConfusableSkeleton.areConfusable(a, b), "\(DisplayText.escaped(a)) / \(b)")
            #expect(ConfusableSkeleton.skeleton(a) == ConfusableSkeleton.skeleton(b))
        }
        for (a, b) in [("Dr Sam Example", "Dr Sam Exampel"), ("Amira", "Amina"), ("Ben Example", "Ben Examples")] {
            #expect(!ConfusableSkeleton.areConfusable(a, b), "\(a) / \(b)")
        }
        #expect(ConfusableSkeleton.skeleton("")?.isEmpty == true)
        // A name whose skeleton is ten times its length (past the first buffer) gets it whole.
        let long = String(repeating: "\u{FDFA}", count: 100)
        #expect((ConfusableSkeleton.skeleton(long)?.utf8.count ?? 0) > 1000)
    }
}
