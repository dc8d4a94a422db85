import CasebookCrypto
import Foundation
import Testing
@testable import CasebookFormat

/// Helpers to build archives by hand, including malformed ones.
enum TarFixtures {
    static let limits = UstarArchive.Limits(maximumEntryCount: 16, maximumTotalByteCount: 1 << 20)

    static let handover = [
        UstarArchive.Entry(name: "handover.json", contents: Array("{\"handover\":\"example\",\"records\":[]}\n".utf8), modificationTime: 1_795_500_000),
        UstarArchive.Entry(name: "handover.json.minisig", contents: Array("untrusted comment: x\n".utf8), modificationTime: 1_795_500_000),
    ]

    /// A header for `entry` with `change` applied, then its checksum recomputed.
    static func header(_ entry: UstarArchive.Entry, _ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var block = UstarArchive.header(for: entry)
        change(&block)
        resum(&block)
        return block
    }

    static func resum(_ block: inout [UInt8]) {
        let sum = UstarArchive.checksum(block)
        block.replaceSubrange(148..<156, with: UstarArchive.octal(UInt64(sum), digits: 6) + [0, 0x20])
    }

    static func set(_ block: inout [UInt8], _ range: Range<Int>, _ text: String) {
        var bytes = Array(text.utf8)
        bytes += [UInt8](repeating: 0, count: range.count - bytes.count)
        block.replaceSubrange(range, with: bytes)
    }

    /// One entry with the given header, its contents and padding, and the end blocks.
    static func archive(header: [UInt8], contents: [UInt8]) -> [UInt8] {
        header + contents + [UInt8](repeating: 0, count: UstarArchive.paddingCount(contents.count)) + [UInt8](repeating: 0, count: 1024)
    }
}

@Suite struct TarArchiveTests {
    @Test func writesTheDocumentedLayout() throws {
        let archive = try UstarArchive.write(TarFixtures.handover)
        #expect(archive.count == 10240)
        let header = Array(archive[0..<512])
        #expect(Array(header[0..<14]) == Array("handover.json\0".utf8))
        #expect(Array(header[100..<108]) == Array("0000644\0".utf8))
        #expect(Array(header[108..<124]) == Array("0000000\00000000\0".utf8))
        #expect(Array(header[124..<136]) == Array("00000000044\0".utf8))  // 36 bytes
        #expect(Array(header[136..<148]) == Array((String(1_795_500_000, radix: 8) + "\0").utf8))
        #expect(header[154] == 0 && header[155] == 0x20)
        #expect(header[156] == UInt8(ascii: "0"))
        #expect(Array(header[257..<265]) == Array("ustar\000".utf8))
        // The checksum, recomputed independently: header bytes with the field as spaces.
        let sum = header.enumerated().reduce(0) { $0 + ((148..<156).contains($1.offset) ? 32 : Int($1.element)) }
        #expect(String(decoding: header[148..<154], as: UTF8.self) == String(format: "%06o", sum))
        #expect(try UstarArchive.read(archive, limits: TarFixtures.limits) == TarFixtures.handover)
    }

    @Test func roundTripsSizesAroundBlockBoundaries() throws {
        var generator = FuzzGenerator(seed: 0x7A5)
        for size in [0, 1, 511, 512, 513, 1024, 10239, 10240, 20000] {
            let entries = [UstarArchive.Entry(name: "f-\(size).bin", contents: generator.bytes(size), modificationTime: UInt64(size)),
                           UstarArchive.Entry(name: "after", contents: [1, 2, 3], modificationTime: 0)]
            let archive = try UstarArchive.write(entries)
            #expect(archive.count % 10240 == 0)
            #expect(try UstarArchive.read(archive, limits: TarFixtures.limits) == entries)
        }
        let empty = try UstarArchive.write([])
        #expect(empty == [UInt8](repeating: 0, count: 10240))
        #expect(try UstarArchive.read(empty, limits: TarFixtures.limits).isEmpty)
    }

    @Test func writerRefusesBadNames() {
        for name in ["", "a/b", "..", ".", "a..b", "-rf", "caf\u{E9}", "sp ace", String(repeating: "n", count: 101), "a\0b"] {
            let error = #expect(throws: UstarError.self) { _ = try UstarArchive.write([.init(name: name, contents: [], modificationTime: 0)]) }
            #expect(error?.code == .invalidName, "\(name): \(String(describing: error))")
        }
        #expect(throws: Never.self) { _ = try UstarArchive.write([.init(name: String(repeating: "n", count: 100), contents: [], modificationTime: 0)]) }
        let duplicate = #expect(throws: UstarError.self) { _ = try UstarArchive.write(TarFixtures.handover + [TarFixtures.handover[0]]) }
        #expect(duplicate?.code == .duplicateName)
    }

    @Test func readerRefusesMalformedArchives() throws {
        let entry = UstarArchive.Entry(name: "handover.json", contents: Array("{}\n".utf8), modificationTime: 1_795_500_000)
        let good = TarFixtures.archive(header: UstarArchive.header(for: entry), contents: entry.contents)
        #expect(try UstarArchive.read(good, limits: TarFixtures.limits) == [entry])
        func variant(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
            TarFixtures.archive(header: TarFixtures.header(entry, change), contents: entry.contents)
        }
        var badSum = good
        badSum[0] ^= 1
        var shortSum = good
        shortSum.replaceSubrange(148..<156, with: Array(" 12345\0 ".utf8))
        var dataPadding = good
        dataPadding[512 + 3] = 1
        var zeroPaddingBeyond = good + [UInt8](repeating: 0, count: 512 * 7)
        zeroPaddingBeyond += []
        var garbage = good + [UInt8](repeating: 0, count: 512)
        garbage[garbage.count - 1] = 0x41
        let second = UstarArchive.Entry(name: "handover.json", contents: [], modificationTime: 0)
        let duplicate = Array(good.dropLast(1024)) + TarFixtures.archive(header: UstarArchive.header(for: second), contents: [])
        let cases: [([UInt8], UstarError.Code, String)] = [
            (Array(good.dropLast(100)), .malformed, "not a whole number of 512-byte blocks"),
            (Array(good.dropLast(1024)), .malformed, "without its two zero end-of-archive blocks"),
            (Array(good.dropLast(512)), .malformed, "single zero block"),
            (Array(good[0..<512]), .malformed, "past the end of the archive"),
            (badSum, .malformed, "checksum does not match"),
            (shortSum, .malformed, "checksum field is not 6 octal digits"),
            (variant { TarFixtures.set(&$0, 257..<265, "ustar  ") }, .malformed, "GNU-format header"),
            (variant { TarFixtures.set(&$0, 257..<263, "USTAR") }, .malformed, "not POSIX ustar"),
            (variant { TarFixtures.set(&$0, 263..<265, "01") }, .malformed, "not POSIX ustar"),
            (variant { $0[156] = 0 }, .unsupportedEntry, "old-style (V7)"),
            (variant { $0[156] = UInt8(ascii: "1") }, .unsupportedEntry, "hard link"),
            (variant { $0[156] = UInt8(ascii: "2") }, .unsupportedEntry, "symbolic link"),
            (variant { $0[156] = UInt8(ascii: "5") }, .unsupportedEntry, "directory"),
            (variant { $0[156] = UInt8(ascii: "x") }, .unsupportedEntry, "pax extended header"),
            (variant { $0[156] = UInt8(ascii: "g") }, .unsupportedEntry, "pax extended header"),
            (variant { $0[156] = UInt8(ascii: "L") }, .unsupportedEntry, "GNU long-name"),
            (variant { $0[156] = UInt8(ascii: "7") }, .unsupportedEntry, "unknown type"),
            (variant { TarFixtures.set(&$0, 0..<100, "dir/handover.json") }, .invalidName, "contains '/'"),
            (variant { TarFixtures.set(&$0, 0..<100, "..") }, .invalidName, "contains '..'"),
            (variant { TarFixtures.set(&$0, 0..<100, "x..y") }, .invalidName, "contains '..'"),
            (variant { TarFixtures.set(&$0, 0..<100, ".") }, .invalidName, "is '.'"),
            (variant { TarFixtures.set(&$0, 0..<100, "") }, .invalidName, "is empty"),
            (variant { TarFixtures.set(&$0, 0..<100, "-x") }, .invalidName, "starts with '-'"),
            (variant { TarFixtures.set(&$0, 0..<100, "a b") }, .invalidName, "byte 0x20"),
            (variant { TarFixtures.set(&$0, 0..<100, "caf\u{E9}") }, .invalidName, "byte 0xc3"),
            (variant { $0[50] = 0x41 }, .invalidName, "after its terminating NUL"),
            (duplicate, .duplicateName, "appears twice"),
            (variant { TarFixtures.set(&$0, 124..<136, "3\0") }, .malformed, "size is not 11 octal digits"),
            (variant { TarFixtures.set(&$0, 124..<136, "        3 \0") }, .malformed, "size is not 11 octal digits"),
            (variant { TarFixtures.set(&$0, 124..<136, "000000000039") }, .malformed, "size is not 11 octal digits"),
            (variant { TarFixtures.set(&$0, 124..<136, "00000000008\0") }, .malformed, "size is not 11 octal digits"),
            (variant { TarFixtures.set(&$0, 124..<136, "00000010000\0") }, .malformed, "past the end"),
            (variant { TarFixtures.set(&$0, 124..<136, "77777777777\0") }, .limitExceeded, "exceed the limit"),
            (variant { TarFixtures.set(&$0, 136..<148, "1234 \0") }, .malformed, "modification time"),
            (variant { TarFixtures.set(&$0, 100..<108, "0004755\0") }, .malformed, "set-user-ID"),
            (variant { TarFixtures.set(&$0, 100..<108, "644\0") }, .malformed, "mode is not 7 octal digits"),
            (variant { TarFixtures.set(&$0, 108..<116, "0001750\0") }, .malformed, "owner and group must be 0"),
            (variant { TarFixtures.set(&$0, 116..<124, "000000 \0") }, .malformed, "owner and group must be 0"),
            (variant { TarFixtures.set(&$0, 157..<257, "target") }, .malformed, "link name"),
            (variant { TarFixtures.set(&$0, 265..<297, "root") }, .malformed, "owner name must be empty or 'casebook'"),
            (variant { TarFixtures.set(&$0, 297..<329, "casebooks") }, .malformed, "group name must be empty or 'casebook'"),
            (variant { TarFixtures.set(&$0, 329..<337, "0000001\0") }, .malformed, "device numbers"),
            (variant { TarFixtures.set(&$0, 345..<500, "sub") }, .malformed, "prefix"),
            (variant { $0[511] = 1 }, .malformed, "padding must be empty"),
            (dataPadding, .malformed, "padding after the contents is not zero"),
            (garbage, .malformed, "non-zero data after the end"),
        ]
        for (archive, code, fragment) in cases {
            do {
                _ = try UstarArchive.read(archive, limits: TarFixtures.limits)
                Issue.record("accepted a malformed archive (\(fragment))")
            } catch {
                #expect(error.code == code, "\(error) — expected \(code) '\(fragment)'")
                #expect(error.message.contains(fragment), "\(error.message) — expected '\(fragment)'")
            }
        }
        // Tolerated canonical variants.
        #expect(try UstarArchive.read(zeroPaddingBeyond, limits: TarFixtures.limits) == [entry])
        #expect(try UstarArchive.read(variant { TarFixtures.set(&$0, 265..<297, "casebook"); TarFixtures.set(&$0, 297..<329, "casebook") }, limits: TarFixtures.limits) == [entry])
        #expect(try UstarArchive.read(variant { TarFixtures.set(&$0, 329..<345, "") }, limits: TarFixtures.limits) == [entry])
        #expect(try UstarArchive.read(variant { TarFixtures.set(&$0, 100..<108, "0000600\0") }, limits: TarFixtures.limits) == [entry])
    }

    @Test func readerEnforcesLimits() throws {
        let many = (0..<17).map { UstarArchive.Entry(name: "f\($0)", contents: [UInt8($0)], modificationTime: 0) }
        let archive = try UstarArchive.write(many)
        let count = #expect(throws: UstarError.self) { _ = try UstarArchive.read(archive, limits: TarFixtures.limits) }
        #expect(count?.code == .limitExceeded)
        #expect(count?.message.contains("more than 16 entries") == true)
        #expect(try UstarArchive.read(archive, limits: .init(maximumEntryCount: 17, maximumTotalByteCount: 17)).count == 17)
        let size = #expect(throws: UstarError.self) { _ = try UstarArchive.read(archive, limits: .init(maximumEntryCount: 17, maximumTotalByteCount: 16)) }
        #expect(size?.code == .limitExceeded)
        #expect(size?.message.contains("entry 17") == true)
    }
}

/// Interop with GNU tar (/usr/bin/tar).
@Suite struct TarInteropTests {
    static let tar = "/usr/bin/tar"

    @Test func gnuTarExtractsWhatWeWriteByteIdentically() throws {
        guard ToolRun.available(Self.tar) else {
            print("NOTE: \(Self.tar) is missing; extraction by GNU tar NOT checked")
            return
        }
        var generator = FuzzGenerator(seed: 0x7A7)
        let entries = TarFixtures.handover + [
            UstarArchive.Entry(name: "exactly-512.bin", contents: generator.bytes(512), modificationTime: 1_700_000_000),
            UstarArchive.Entry(name: "empty", contents: [], modificationTime: 1_700_000_000),
            UstarArchive.Entry(name: String(repeating: "n", count: 99) + "x", contents: generator.bytes(70_001), modificationTime: 1),
        ]
        let scratch = try ScratchDirectory()
        _ = try scratch.write("payload.tar", UstarArchive.write(entries))
        let out = scratch.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        let run = try ToolRun.run(Self.tar, ["-xf", "../payload.tar"], in: out)
        #expect(run.status == 0, "tar -x failed: \(run.output)")
        #expect(run.output.isEmpty, "tar -x warned: \(run.output)")
        let extracted = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(extracted == entries.map(\.name).sorted())
        for entry in entries {
            #expect(Array(try Data(contentsOf: out.appendingPathComponent(entry.name))) == entry.contents, "\(entry.name) differs")
        }
        let listing = try ToolRun.run(Self.tar, ["--numeric-owner", "-tvf", "payload.tar"], in: scratch.url)
        #expect(listing.status == 0)
        #expect(listing.output.split(separator: "\n").allSatisfy { $0.hasPrefix("-rw-r--r-- 0/0") }, "\(listing.output)")
        print("tar interop: GNU tar extracted \(entries.count) files from our archive byte-identically")
    }

    @Test func weReadWhatGnuTarWritesAsUstar() throws {
        guard ToolRun.available(Self.tar) else {
            print("NOTE: \(Self.tar) is missing; reading GNU tar's archives NOT checked")
            return
        }
        let scratch = try ScratchDirectory()
        var generator = FuzzGenerator(seed: 0x7A8)
        let json = Array("{\"handover\":\"from gnu tar\"}\n".utf8)
        let signature = generator.bytes(1300)
        _ = try scratch.write("handover.json", json)
        _ = try scratch.write("handover.json.minisig", signature)
        let normalised = ["--format=ustar", "--owner=0", "--group=0", "--numeric-owner"]
        for mode in ["0644", "0600"] {
            let run = try ToolRun.run(Self.tar, normalised + ["--mode=\(mode)", "-cf", "gnu.tar", "handover.json", "handover.json.minisig"], in: scratch.url)
            try #require(run.status == 0, "tar -c failed: \(run.output)")
            let entries = try UstarArchive.read(scratch.read("gnu.tar"), limits: TarFixtures.limits)
            #expect(entries.map(\.name) == ["handover.json", "handover.json.minisig"])
            #expect(entries.map(\.contents) == [json, signature])
        }
        print("tar interop: our reader read GNU tar's --format=ustar archive (modes 0644 and 0600)")

        // What we refuse from GNU tar, with the reason.
        let refusals: [([String], String)] = [
            (["--format=ustar"], "owner name must be empty or 'casebook'"),       // uname/gname "root" and real ids
            (["--format=gnu"] + normalised.dropFirst(), "GNU-format header"),
            (["--format=pax"] + normalised.dropFirst(), "pax extended header"),
        ]
        for (options, fragment) in refusals {
            let run = try ToolRun.run(Self.tar, options + ["-cf", "other.tar", "handover.json"], in: scratch.url)
            try #require(run.status == 0, "tar -c failed: \(run.output)")
            let error = #expect(throws: UstarError.self) { _ = try UstarArchive.read(scratch.read("other.tar"), limits: TarFixtures.limits) }
            #expect(error?.message.contains(fragment) == true || (fragment.contains("owner") && error?.message.contains("owner and group must be 0") == true),
                    "\(options): \(String(describing: error))")
        }
        // A directory entry is refused.
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("dir"), withIntermediateDirectories: false)
        let run = try ToolRun.run(Self.tar, normalised + ["-cf", "dir.tar", "dir"], in: scratch.url)
        try #require(run.status == 0)
        let error = #expect(throws: UstarError.self) { _ = try UstarArchive.read(scratch.read("dir.tar"), limits: TarFixtures.limits) }
        #expect(error?.code == .unsupportedEntry)
    }
}
