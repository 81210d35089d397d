public import Foundation
public import Testing

/// Paths to the fixtures tests read: the repository's own (`Tests/Fixtures/`, `SampleReports/`) and, as
/// extra coverage, the shared corpus of real reports beside the repository (`../shared/corpus/public`,
/// where CI places it; absent in a standalone clone).
public enum Fixtures {
    /// The repository root, found from this source file's location (Tests/Support/Fixtures.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reports we wrote in the shapes of real senders (see `Tests/Fixtures/README.md`).
    public static var own: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures") }

    public static var corpus: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/public")
    }

    /// Whether the shared corpus is beside the repository. Tests that read it are enabled only then:
    /// `@Test(.enabled(if: Fixtures.hasSharedCorpus, Fixtures.sharedCorpusAbsent))`.
    public static let hasSharedCorpus = FileManager.default.fileExists(atPath: corpus.path)

    /// Why a test of the shared corpus was skipped.
    public static let sharedCorpusAbsent: Comment =
        "reads the real reports of ../shared/corpus/public, which is not beside this clone"

    public static var samples: URL { repositoryRoot.appendingPathComponent("SampleReports") }

    /// The bytes of one of our fixtures, e.g. `bytes("google.json")`.
    public static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: own.appendingPathComponent(name)))
    }

    /// The bytes of a corpus file, e.g. `corpusBytes("parsedmarc/mail.ru.json")`.
    public static func corpusBytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: corpus.appendingPathComponent(relativePath)))
    }

    public static func sampleBytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: samples.appendingPathComponent(relativePath)))
    }
}
/// A fresh folder per test, removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = "tlsrpt-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder.
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` (creating folders) and returns the path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: target)
        return target.path
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }
}
