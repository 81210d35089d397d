import Foundation

/// Paths to the fixtures every test reads: the repository's `SampleReports/` and the shared corpus of
/// real reports beside the repository (`../shared/corpus/public`, where CI places it too).
public enum Fixtures {
    /// The repository root, found from this source file's location (Tests/Support/Fixtures.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var corpus: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/public")
    }

    public static var samples: URL { repositoryRoot.appendingPathComponent("SampleReports") }

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
