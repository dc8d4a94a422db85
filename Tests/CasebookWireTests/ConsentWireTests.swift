import Foundation
import Testing
import CasebookCrypto
import CasebookFormat

/// Consent JSON with Format only: the v1 vault's consents, as `consent list --json` printed
/// them, rebuilt in canonical form give exactly the hashes that listing printed.
@Suite struct ConsentWireTests {
    /// Each listed consent's canonical bytes (without the listing's own `canonical-hash` and
    /// `status`) and the hash the old binary printed.
    private func listed() throws -> [(bytes: [UInt8], hash: String)] {
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(WireFixtures.bytes("amira-consents.json"))) as? [[String: Any]])
        return try objects.map { object in
            let hash = try #require(object["canonical-hash"] as? String)
            var stripped = object
            stripped["canonical-hash"] = nil
            stripped["status"] = nil
            let loose = try JSONSerialization.data(withJSONObject: stripped)
            let wire = try JSONDecoder().decode(ConsentJSON.self, from: loose)
            return (wire.canonicalBytes(), hash)
        }
    }

    @Test func canonicalBytesHashToWhatTheListingPrinted() throws {
        let consents = try listed()
        #expect(consents.count >= 2)
        for consent in consents {
            #expect(Hex.encode(SHA256.hash(consent.bytes)) == consent.hash)
            let decoded = try ConsentJSON.decode(consent.bytes)
            #expect(decoded.canonicalBytes() == consent.bytes)
            #expect(decoded.format == ConsentJSON.formatName)
        }
    }

    @Test func garbageTruncatedAndNonCanonicalJSONIsRefused() throws {
        let text = String(decoding: try #require(try listed().first).bytes, as: UTF8.self)
        let variants = ["", "null", "{}", "[]", String(text.dropLast()), " " + text, text + "\n",
                        text.replacingOccurrences(of: "{\"client\"", with: "{\"extra\":1,\"client\""),
                        text.replacingOccurrences(of: ",\"id\"", with: ", \"id\"")]
        for variant in variants {
            let error = #expect(throws: WireFormatError.self) { _ = try ConsentJSON.decode(Array(variant.utf8)) }
            #expect(error?.kind == .invalid)
        }
        let newer = #expect(throws: WireFormatError.self) {
            _ = try ConsentJSON.decode(Array(text.replacingOccurrences(of: "casebook-consent/v1", with: "casebook-consent/v2").utf8))
        }
        #expect(newer?.kind == .unsupportedVersion)
    }
}
