// Writes a synthetic audit bundle of COUNT events (docs/benchmarks.md, "audit verify"), as
// `casebook audit export` would: the exporter's card, canonical event lines (about 300 bytes
// on average: record writes, amendments and handovers), a checkpoint over all of them signed
// with the exporter's key, sealed with age to the recipient. The last event is the bundle's own
// audit.exported. Also writes the event lines alone (EVENTS file), for `sha256sum`, and a
// checkpoint of the first half of the log (TRUSTED file), as compliance would hold one.
//
//   audit-bundle-generator COUNT IDENTITY_FILE RECIPIENT_CARD BUNDLE EVENTS TRUSTED
#if canImport(Glibc)
import Glibc
#endif
import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 7, let count = Int(arguments[1]), count >= 2 else {
    FileHandle.standardError.write(Data("usage: audit-bundle-generator COUNT IDENTITY_FILE RECIPIENT_CARD BUNDLE EVENTS TRUSTED\n".utf8))
    exit(2)
}
var identityBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
let identity = try IdentityFile.parse(SecureBytes(consuming: &identityBytes))
let recipientCard = try IdentityCard.parse(String(contentsOfFile: arguments[3], encoding: .utf8))
let created = "2026-12-31T23:59:59Z"
let card = try IdentityCard.make(name: "Dr Amira Example", role: "psychologist", created: created, identity: identity)
let origin = AuditOrigin.prefix + "5eed5eed5eed5eed5eed5eed5eed5eed"
let actor = identity.minisignPublicKey.keyIDHex

/// A fast deterministic generator (splitmix64): event i is a pure function of i.
func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

let hexDigits = Array("0123456789abcdef".utf8)
let idLetters = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

func hex(_ seed: UInt64, _ digits: Int) -> String {
    var out: [UInt8] = []
    var state = seed
    for index in 0..<digits {
        if index % 16 == 0 { state = mix(state &+ UInt64(index)) }
        out.append(hexDigits[Int(state & 15)])
        state >>= 4
    }
    return String(decoding: out, as: UTF8.self)
}

func recordID(_ seed: UInt64) -> String {
    var state = mix(seed)
    return String(decoding: (0..<10).map { _ in let c = idLetters[Int(state & 31)]; state >>= 5; return c }, as: UTF8.self)
}

/// RFC 3339 for 2026-01-01T00:00:00Z plus `seconds` (within 2026).
func timestamp(_ seconds: Int) -> String {
    let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    var day = seconds / 86_400
    var month = 0
    while month < 11 && day >= monthDays[month] { day -= monthDays[month]; month += 1 }
    let rest = seconds % 86_400
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "2026-\(two(month + 1))-\(two(day + 1))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
}

let kinds = ["ddp-session", "hii-session", "mentor-log", "theological-advice"]
let purposes = ["risk-management", "supervision"]
let supervisor = "FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2"

/// Event i's canonical bytes: keys in sorted order, exactly as JSONEncoder writes them.
func event(_ index: Int) -> [UInt8] {
    let seed = mix(UInt64(index))
    let time = index == count - 1 ? created : timestamp(index * 31_000_000 / count)
    let client = "C-\(String(format: "%04d", Int(seed % 500)))"
    let kind = kinds[Int(seed >> 20) % 4]
    let salt = hex(seed, 32)
    let line: String
    if index == count - 1 {
        line = #"{"action":"audit.exported","actor":"\#(actor)","contact":"Chris Example","count":\#(count),"recipients":["\#(recipientCard.fingerprint)"],"salt":"\#(salt)","sequence":\#(index),"time":"\#(time)","version":1}"#
    } else if index == 0 {
        line = #"{"action":"vault.created","actor":"\#(actor)","detail":"role=psychologist","salt":"\#(salt)","sequence":0,"time":"\#(time)","version":1}"#
    } else {
        switch seed % 20 {
        case 0..<5:
            let records = (0..<(1 + Int(seed >> 40) % 3)).map { "\"\(recordID(seed &+ UInt64($0)))\"" }.joined(separator: ",")
            line = #"{"action":"handover.sealed","actor":"\#(actor)","basis":["\#(recordID(seed ^ 7)) v1 sha256:\#(hex(seed ^ 1, 64))"],"clients":["\#(client)"],"count":1,"digest":"\#(hex(seed ^ 2, 64))","handover":"\#(hex(seed ^ 3, 32))","kinds":["\#(kind)"],"purpose":"\#(purposes[Int(seed >> 8) % 2])","recipients":["\#(supervisor)"],"records":[\#(records)],"salt":"\#(salt)","sequence":\#(index),"time":"\#(time)","version":1}"#
        case 5..<9:
            line = #"{"action":"record.amended","actor":"\#(actor)","client":"\#(client)","kinds":["\#(kind)"],"records":["\#(recordID(seed))"],"revision":\#(2 + Int(seed >> 12) % 4),"salt":"\#(salt)","sequence":\#(index),"time":"\#(time)","version":1}"#
        default:
            line = #"{"action":"record.created","actor":"\#(actor)","client":"\#(client)","kinds":["\#(kind)"],"records":["\#(recordID(seed))"],"revision":1,"salt":"\#(salt)","sequence":\#(index),"time":"\#(time)","version":1}"#
        }
    }
    return Array(line.utf8)
}

// Pass 1: the leaf hashes (and the events file); pass 2: the bundle, streamed.
let eventsFD = open(arguments[5], O_WRONLY | O_CREAT | O_EXCL, 0o600)
guard eventsFD >= 0 else { fatalError("cannot create \(arguments[5])") }
var eventsSink = FileDescriptorSink(fileDescriptor: eventsFD)
var leaves: [UInt8] = []
leaves.reserveCapacity(count * 32)
var pending: [UInt8] = []
var total = 0
for index in 0..<count {
    let line = event(index)
    total += line.count + 1
    MerkleTree.leafHash(line).withUnsafeBytes { leaves += $0 }
    pending += line
    pending.append(0x0A)
    if pending.count > 1 << 20 || index == count - 1 {
        try pending.withUnsafeBytes { try eventsSink.write($0) }
        pending.removeAll(keepingCapacity: true)
    }
}
close(eventsFD)
let root = try MerkleTree.rootHash(contiguousLeafHashes: leaves)
let half = try MerkleTree.rootHash(contiguousLeafHashes: Array(leaves.prefix(count / 2 * 32)))
try Data(try Checkpoint(origin: origin, size: UInt64(count / 2), rootHash: half).signed(privateKey: identity.signing).bytes)
    .write(to: URL(fileURLWithPath: arguments[6]))
let checkpoint = try Checkpoint(origin: origin, size: UInt64(count), rootHash: root).signed(privateKey: identity.signing)
let header = AuditBundleHeader(origin: origin, created: created, eventCount: UInt64(count), card: card)
var source = AuditBundleSource(header: header, checkpoint: checkpoint) { index in event(Int(index)) }
let bundleFD = open(arguments[4], O_WRONLY | O_CREAT | O_EXCL, 0o600)
guard bundleFD >= 0 else { fatalError("cannot create \(arguments[4])") }
var bundleSink = FileDescriptorSink(fileDescriptor: bundleFD)
try Age.encrypt(from: &source, to: &bundleSink, recipients: [try AgeX25519Recipient(encoded: recipientCard.ageRecipient)], armor: false)
close(bundleFD)
print("\(count) events, \(total) bytes of event lines (\(total / count) per line on average), root \(root.base64)")
