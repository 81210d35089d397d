import ArgumentParser
import NIOCore
import TLSRPTProbeNetwork

/// The probe's network settings as `probe` takes them and `--probe-on-alert` does with a `--probe-` prefix:
/// one place that checks them and turns them into ``ProbeSettings``.
struct ProbeNetworkSettings {
    var resolver: String?
    var smtpPort: Int
    var httpsPort: Int
    var caFile: String?
    var timeout: Double
    /// How the options are spelled: `--` for `probe`, `--probe-` for the alerting commands.
    var prefix: String

    func validate() throws {
        for (name, port) in [("smtp-port", smtpPort), ("https-port", httpsPort)] where !(1...65535).contains(port) {
            throw ValidationError("\(prefix)\(name) must be a port from 1 to 65535, not \(port).")
        }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("\(prefix)timeout must be a number of seconds above 0 and at most 600.") }
    }

    /// The settings, or a ``ProbeError`` naming an unusable resolver or CA file.
    func settings() throws -> ProbeSettings {
        ProbeSettings(
            resolver: try resolver.map(ProbeSettings.resolverAddress) ?? ProbeSettings.systemResolver(), smtpPort: smtpPort,
            httpsPort: httpsPort, caFile: caFile, timeout: .nanoseconds(Int64(timeout * 1e9)), ehloName: TLSRPT.Probe.ehloName)
    }
}
