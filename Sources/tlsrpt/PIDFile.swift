import Foundation
import TLSRPTCore

/// `serve --pid-file PATH`: the server's process id, so a renewal hook can signal this one process
/// (`kill -HUP "$(cat PATH)"`) instead of every process named tlsrpt — `pkill -HUP -x tlsrpt` also hits
/// `ingest -` pipes from the MTA and `watch`, and SIGHUP's default action ends an `ingest` mid-delivery.
struct PIDFile {
    let path: String

    /// Writes the current process id (through a temporary file and a rename, so a reader never sees a
    /// half-written number).
    static func write(to path: String) throws -> PIDFile {
        let temporary = path + ".\(getpid()).tmp"
        do {
            try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary)
            throw PIDFileError(path: path, underlying: error)
        }
        return PIDFile(path: path)
    }

    /// Removes the file if it still names this process (a newer server may have replaced it).
    func remove() {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) == getpid()
        else { return }
        unlink(path)
    }
}

struct PIDFileError: CodedError {
    enum Code: Equatable { case cannotWrite }

    let code = Code.cannotWrite
    let path: String
    let reason: String

    init(path: String, underlying: any Error) {
        self.path = path
        reason = underlying.localizedDescription
    }

    var message: String { "cannot write the pid file \(path): \(reason)" }
}
