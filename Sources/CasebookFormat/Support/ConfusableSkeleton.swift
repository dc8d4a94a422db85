#if canImport(_FoundationICU)
// The ICU inside swift-corelibs-foundation on Linux, with its confusables data. Its C entry
// points are renamed with a `swift_` prefix (ICU's U_ICU_ENTRY_POINT_RENAME); Package.swift
// links `_FoundationICU` explicitly, since importing the module does not.
import _FoundationICU
#endif

/// Confusable names, by Unicode Technical Standard #39 §4: two strings are confusable when
/// their *skeletons* are equal. A skeleton maps every character to a prototype it can be
/// mistaken for (`р` Cyrillic er → `p`, `rn` → `m`, `0` → `O`, …) after normalisation, so
/// `Dr Sam Examрle` and `Dr Sam Example` have one skeleton. Casebook uses it to warn when a
/// new contact's name looks like an existing contact's (docs/formats.md §2).
///
/// The skeletons are ICU's (`uspoof_getSkeletonUTF8`, the confusables data of the ICU that
/// ships with the Swift toolchain's Foundation, so no copy of Unicode's confusables.txt is
/// kept here). Where that ICU is not there (macOS: Apple's Foundation exposes no ICU module)
/// `skeleton` is nil and no pair is found confusable.
public enum ConfusableSkeleton {
    /// Whether this build can compute skeletons.
    public static var isAvailable: Bool {
        #if canImport(_FoundationICU)
        true
        #else
        false
        #endif
    }

    /// The TS #39 skeleton of `text`, or nil when it cannot be computed here.
    public static func skeleton(_ text: String) -> String? {
        #if canImport(_FoundationICU)
        var status = U_ZERO_ERROR
        guard let checker = swift_uspoof_open(&status), status.rawValue <= U_ZERO_ERROR.rawValue else { return nil }
        defer { swift_uspoof_close(checker) }
        let input = Array(text.utf8CString)
        var capacity = max(64, input.count * 4)
        while true {
            var output = [CChar](repeating: 0, count: capacity)
            status = U_ZERO_ERROR
            let length = swift_uspoof_getSkeletonUTF8(checker, 0, input, Int32(input.count - 1), &output, Int32(capacity), &status)
            if status == U_BUFFER_OVERFLOW_ERROR, Int(length) >= capacity {
                capacity = Int(length) + 1
                continue
            }
            guard status.rawValue <= U_ZERO_ERROR.rawValue, length >= 0, Int(length) < capacity else { return nil }
            return String(decoding: output.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        #else
        return nil
        #endif
    }

    /// Whether `a` and `b` can be mistaken for each other (equal skeletons). False when
    /// skeletons cannot be computed here.
    public static func areConfusable(_ a: String, _ b: String) -> Bool {
        guard let first = skeleton(a), let second = skeleton(b) else { return false }
        return first.utf8.elementsEqual(second.utf8)
    }
}
