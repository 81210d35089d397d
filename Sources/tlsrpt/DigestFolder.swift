import Foundation
import TLSRPTAnalysis
import TLSRPTCore

/// The folder `summary --per-domain` writes into: one file per domain, each renamed into place once
/// complete, so a mail script that runs while it is written never sends half a digest.
struct DigestFolder {
    var path: String

    /// Why a digest folder could not be written; the message names the path.
    struct Failure: CodedError {
        enum Code: Sendable, Equatable {
            case cannotCreate, cannotWrite
        }

        var code: Code
        var message: String

        static func cannotCreate(_ path: String, _ why: String) -> Failure {
            Failure(code: .cannotCreate, message: "cannot create the digest folder \(path): \(why)")
        }

        static func cannotWrite(_ path: String, _ why: String) -> Failure {
            Failure(code: .cannotWrite, message: "cannot write the digest \(path): \(why)")
        }
    }

    func write(_ digests: [(domain: String, report: PeriodReport)], format: SummaryFormat, display: DisplayLimit, quietIfClean: Bool) throws {
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure.cannotCreate(path, (error as NSError).localizedDescription)
        }
        var used = Set<String>()
        for (domain, report) in digests {
            if quietIfClean && report.summary.isClean { continue }
            guard let name = DigestFileName.name(domain: domain, format: format) else {
                Console.error("skipping the digest of a policy domain with no usable file name: \(UntrustedText.sanitised(domain))")
                continue
            }
            guard used.insert(name).inserted else {
                Console.error("skipping the digest of \(UntrustedText.sanitised(domain)): \(name) is already the digest of another domain")
                continue
            }
            var report = report
            report.display = display
            let target = (path as NSString).appendingPathComponent(name)
            let temporary = (path as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
            do {
                try Data(format.render(report).utf8).write(to: URL(fileURLWithPath: temporary))
                guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                try? files.removeItem(atPath: temporary)
                throw Failure.cannotWrite(target, (error as NSError).localizedDescription)
            }
        }
    }
}
