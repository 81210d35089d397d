import Foundation
import TLSRPTTestSupport
import Testing

/// Cron, `watch` and an alias pipe can all open a database that does not exist yet at the same moment:
/// each process then races the others through the schema migrations. Every one must succeed, and the
/// database must come out whole. (Before the fix, about 3% of such processes failed with "UNIQUE
/// constraint failed: grdb_migrations.identifier" after re-running a migration another had just
/// committed.)
struct OpeningRaceTests {
    let dir = TemporaryDirectory()

    @Test func sixProcessesCreatingOneDatabaseAllSucceed() throws {
        let empty = dir.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        for round in 0..<25 {
            let db = dir.file("round-\(round).sqlite")
            var running: [(Process, String)] = []
            for index in 0..<6 {
                let log = dir.file("round-\(round)-\(index).stderr")
                FileManager.default.createFile(atPath: log, contents: nil)
                let process = Process()
                process.executableURL = TLSRPTProcess.executable
                process.arguments = ["ingest", "--db", db, empty]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle(forWritingAtPath: log)
                try process.run()
                running.append((process, log))
            }
            for (process, log) in running {
                process.waitUntilExit()
                let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                #expect(process.terminationStatus == 0, "round \(round): \(stderr)")
            }
            let check = try TLSRPTProcess.run(["check", "--db", db])
            #expect(check.status == 0, "round \(round): \(check.stdout) \(check.stderr)")
        }
    }
}
