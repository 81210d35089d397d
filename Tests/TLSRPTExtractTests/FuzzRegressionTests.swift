import Foundation
import TLSRPTCore
import TLSRPTExtract
import TLSRPTTestSupport
import Testing

/// Replays every input in `FuzzRegressions/` through the pure pipeline (extract, then decode), as the
/// fuzz targets in `Fuzz/` do: none may crash, and each must end in a report or a typed error.
///
/// Add each crash a fuzz run (`Scripts/fuzz`) finds here once it is fixed. The inputs so far are
/// hand-made edge shapes at the seams the fuzzers explore (a lone surrogate escape, gzip headers with no
/// data, an empty boundary, base64 that is only padding, a quoted-printable escape cut short, dates at
/// the ends of the calendar); the fuzz runs found no crash (docs/ROBUSTNESS.md).
struct FuzzRegressionTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("Tests/TLSRPTExtractTests/FuzzRegressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test(arguments: inputs)
    func replays(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let extractor = PayloadExtractor(limits: ExtractionLimits(maxDecompressedBytes: 1 << 20))
        guard let payloads = try? extractor.extract(bytes) else { return }
        for payload in payloads {
            if let decoded = try? ReportDecoder().decode(payload.json) {
                #expect(throws: Never.self) { try ReportDecoder().decode(decoded.canonicalJSON) }
            }
        }
    }

    @Test func theFolderIsNotEmpty() {
        #expect(Self.inputs.count >= 5)
    }
}
