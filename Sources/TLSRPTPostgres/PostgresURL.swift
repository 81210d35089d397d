package import Foundation
import TLSRPTCore

/// A `postgresql://` (or `postgres://`) connection URL as libpq reads it, the subset a collector needs:
/// `postgresql://[user[:password]@][host][:port][/database][?sslmode=…]`.
///
/// The password is best kept off the command line (where `ps` shows it): when the URL has none it comes from
/// `PGPASSWORD`, else from the password file libpq reads (`PGPASSFILE`, else `~/.pgpass`), so an installation
/// that already works with `psql` works here.
package struct PostgresURL: Sendable, Equatable {
    /// How the connection is protected, libpq's `sslmode` values.
    package enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, else none (libpq's `allow` and `prefer`; `prefer` is libpq's default).
        case allow, prefer
        /// TLS, without checking the server's certificate.
        case require
        /// TLS with the certificate checked against the trusted CAs (`verify-ca`), and also the host name (`verify-full`).
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var user: String
    package var password: String?
    /// A host name or address; a path (starting with `/`) is a folder holding the server's Unix socket.
    package var host: String
    package var port: Int
    package var database: String
    package var sslMode: SSLMode
    /// Whether the URL itself held the password (rather than PGPASSWORD or the password file).
    package var passwordInURL = false

    /// The URL as messages show it: a password it held replaced by `***`.
    package var redacted: String {
        let credentials = user.isEmpty ? "" : "\(Self.escape(user))\(passwordInURL ? ":***" : "")@"
        let hostPart = host.hasPrefix("/") ? "" : (host.contains(":") ? "[\(host)]" : host)
        let query = host.hasPrefix("/") ? "?host=\(Self.escape(host))" : ""
        return "postgresql://\(credentials)\(hostPart):\(port)/\(Self.escape(database))\(query)"
    }

    /// Whether `text` is a PostgreSQL URL rather than an SQLite path.
    package static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Reads a URL, filling what it leaves out from libpq's environment variables (`PGUSER`, `PGHOST`,
    /// `PGPORT`, `PGDATABASE`, `PGPASSWORD`, `PGSSLMODE`) and the password file, as `psql` would.
    package init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresURLError) {
        guard let schemeEnd = text.range(of: "://"), Self.isURL(text) else {
            throw PostgresURLError("\(UntrustedText.sanitised(text, limit: 80)) is not a postgresql:// URL")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let key = Self.unescape(parts[0]), let value = Self.unescape(parts[1]) else {
                    throw PostgresURLError("the parameter \(UntrustedText.sanitised(String(pair), limit: 80)) of the database URL is not key=value")
                }
                parameters[key] = value
            }
            rest = rest[..<question]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo: Substring?
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var hostText = rest
        var portText: Substring?
        if hostText.hasPrefix("[") {
            guard let close = hostText.firstIndex(of: "]") else { throw PostgresURLError("the host of the database URL has an unclosed '['") }
            let after = hostText[hostText.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw PostgresURLError("unexpected text after the host of the database URL")
            }
            hostText = hostText[hostText.index(after: hostText.startIndex)..<close]
        } else if let colon = hostText.lastIndex(of: ":") {
            portText = hostText[hostText.index(after: colon)...]
            hostText = hostText[..<colon]
        }
        var user: String?
        var password: String?
        if let userInfo {
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            user = Self.unescape(parts[0])
            if parts.count == 2 { password = Self.unescape(parts[1]) }
            guard user != nil, parts.count == 1 || password != nil else { throw PostgresURLError("the user or password of the database URL is badly escaped") }
        }
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }

        let host = nonEmpty(Self.unescape(hostText)) ?? nonEmpty(parameters["host"]) ?? nonEmpty(environment["PGHOST"]) ?? "/var/run/postgresql"
        let portString = nonEmpty(portText.map(String.init)) ?? nonEmpty(parameters["port"]) ?? nonEmpty(environment["PGPORT"]) ?? "5432"
        guard let port = Int(portString), (1...65535).contains(port) else {
            throw PostgresURLError("the port \(UntrustedText.sanitised(portString, limit: 20)) of the database URL is not a number from 1 to 65535")
        }
        let resolvedUser =
            nonEmpty(user) ?? nonEmpty(parameters["user"]) ?? nonEmpty(environment["PGUSER"]) ?? nonEmpty(environment["USER"]) ?? "postgres"
        let database =
            nonEmpty(Self.unescape(path)) ?? nonEmpty(parameters["dbname"]) ?? nonEmpty(environment["PGDATABASE"]) ?? resolvedUser
        let modeText = nonEmpty(parameters["sslmode"]) ?? nonEmpty(environment["PGSSLMODE"]) ?? (host.hasPrefix("/") ? "disable" : "prefer")
        guard let mode = SSLMode(rawValue: modeText) else {
            throw PostgresURLError(
                "sslmode=\(UntrustedText.sanitised(modeText, limit: 20)) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let unknown = parameters.keys.filter { !["sslmode", "host", "port", "user", "dbname", "password", "application_name", "connect_timeout"].contains($0) }
        if let key = unknown.sorted().first {
            throw PostgresURLError("the database URL parameter \(UntrustedText.sanitised(key, limit: 40)) is not supported")
        }
        self.user = resolvedUser
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = mode
        self.passwordInURL = password != nil || nonEmpty(parameters["password"]) != nil
        self.password =
            password ?? nonEmpty(parameters["password"]) ?? environment["PGPASSWORD"]
            ?? PasswordFile.lookup(
                path: nonEmpty(environment["PGPASSFILE"]) ?? "\(environment["HOME"] ?? NSHomeDirectory())/.pgpass", host: host, port: port,
                database: database, user: resolvedUser)
    }

    private static func unescape(_ text: Substring) -> String? {
        String(text).removingPercentEncoding
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/?#[]"))) ?? text
    }
}

/// Why a database URL cannot be used.
package struct PostgresURLError: CodedError {
    package enum Code: Sendable, Equatable {
        /// The URL does not parse, or names a parameter or value this tool does not support.
        case malformed
    }

    package let code = Code.malformed
    package let message: String
    init(_ message: String) { self.message = message }
}

/// libpq's password file: lines `hostname:port:database:username:password`, `*` matching anything, `\:` and
/// `\\` escaping, the first matching line winning. Like libpq it is ignored when others may read it.
enum PasswordFile {
    static func lookup(path: String, host: String, port: Int, database: String, user: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 == 0, let data = FileManager.default.contents(atPath: path), data.count < 1 << 20 else {
            return nil
        }
        let wanted = [host.hasPrefix("/") ? "localhost" : host, String(port), database, user]
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits a line at unescaped colons, undoing the escapes.
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
