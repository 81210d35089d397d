import Foundation
import TLSRPTTestSupport
import Testing

@testable import TLSRPTPostgres

/// Reading `--db postgresql://…` as libpq would, and keeping the password out of messages.
struct PostgresURLTests {
    let dir = TemporaryDirectory()

    /// An environment with none of libpq's variables and a HOME without a password file.
    var bare: [String: String] { ["HOME": dir.path, "USER": "collector"] }

    @Test func aFullURLIsReadPartByPart() throws {
        let url = try PostgresURL("postgresql://writer:p%40ss%3Aword@db.example.net:6432/tlsrpt_prod?sslmode=verify-full", environment: bare)
        #expect(url.user == "writer" && url.password == "p@ss:word")
        #expect(url.host == "db.example.net" && url.port == 6432 && url.database == "tlsrpt_prod")
        #expect(url.sslMode == .verifyFull)
        #expect(url.redacted == "postgresql://writer:***@db.example.net:6432/tlsrpt_prod")
    }

    @Test func whatTheURLLeavesOutComesFromLibpqsVariablesThenDefaults() throws {
        let defaults = try PostgresURL("postgres://", environment: bare)
        // No host: the local server's socket folder, where Debian's PostgreSQL listens; no TLS over a socket.
        #expect(defaults.host == "/var/run/postgresql" && defaults.port == 5432)
        #expect(defaults.user == "collector" && defaults.database == "collector" && defaults.sslMode == .disable && defaults.password == nil)
        #expect(defaults.redacted == "postgresql://collector@:5432/collector?host=%2Fvar%2Frun%2Fpostgresql")

        var environment = bare
        environment.merge(["PGHOST": "10.0.0.5", "PGPORT": "5433", "PGUSER": "u", "PGDATABASE": "d", "PGSSLMODE": "require", "PGPASSWORD": "pw"]) { $1 }
        let filled = try PostgresURL("postgresql:///", environment: environment)
        #expect([filled.host, "\(filled.port)", filled.user, filled.database, filled.password ?? ""] == ["10.0.0.5", "5433", "u", "d", "pw"])
        #expect(filled.sslMode == .require)
        // A password from the environment is not the URL's: messages show the URL as given.
        #expect(filled.redacted == "postgresql://u@10.0.0.5:5433/d")
        // The URL's own parts win over the environment; TCP defaults to `prefer`.
        let own = try PostgresURL("postgresql://me:mine@127.0.0.1/mine", environment: ["HOME": dir.path])
        #expect(own.user == "me" && own.password == "mine" && own.database == "mine" && own.sslMode == .prefer)
    }

    @Test func anIPv6HostAndASocketFolderAsAParameter() throws {
        let v6 = try PostgresURL("postgresql://u@[::1]:5555/db", environment: bare)
        #expect(v6.host == "::1" && v6.port == 5555)
        #expect(v6.redacted == "postgresql://u@[::1]:5555/db")
        let socket = try PostgresURL("postgresql://u@/db?host=%2Frun%2Fpg", environment: bare)
        #expect(socket.host == "/run/pg")
    }

    @Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
        let file = try dir.write(
            ".pgpass",
            """
            # comments and lines for other servers first
            other.example:5432:*:writer:not-this-one
            db.example.net:5432:tlsrpt:reader:readers-password
            db.example.net:*:tlsrpt:writer:w\\:ith\\\\colon
            *:*:*:writer:fallback

            """)
        chmod(file, 0o600)
        let writer = try PostgresURL("postgresql://writer@db.example.net/tlsrpt", environment: bare)
        #expect(writer.password == "w:ith\\colon")
        #expect(try PostgresURL("postgresql://writer@elsewhere/x", environment: bare).password == "fallback")
        #expect(try PostgresURL("postgresql://reader@db.example.net/tlsrpt", environment: bare).password == "readers-password")
        #expect(try PostgresURL("postgresql://nobody@db.example.net/tlsrpt", environment: bare).password == nil)
        // PGPASSWORD comes before the file, the URL before both; PGPASSFILE names another file.
        #expect(try PostgresURL("postgresql://writer@db.example.net/tlsrpt", environment: bare.merging(["PGPASSWORD": "env"]) { $1 }).password == "env")
        let other = try dir.write("elsewhere.pgpass", "*:*:*:*:from-pgpassfile\n")
        chmod(other, 0o600)
        #expect(try PostgresURL("postgresql://x@h/d", environment: bare.merging(["PGPASSFILE": other]) { $1 }).password == "from-pgpassfile")
        // A file others may read is ignored, as libpq ignores it.
        chmod(file, 0o644)
        #expect(try PostgresURL("postgresql://writer@db.example.net/tlsrpt", environment: bare).password == nil)
    }

    @Test(arguments: [
        ("postgresql://u@h:0/d", "the port 0 of the database URL is not a number from 1 to 65535"),
        ("postgresql://u@h:http/d", "the port http of the database URL is not a number from 1 to 65535"),
        ("postgresql://u@h/d?sslmode=maybe", "sslmode=maybe is not one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("postgresql://u@h/d?options=-c%20x", "the database URL parameter options is not supported"),
        ("postgresql://u@h/d?sslmode", "the parameter sslmode of the database URL is not key=value"),
        ("postgresql://u@[::1/d", "the host of the database URL has an unclosed '['"),
        ("postgresql://u%zz@h/d", "the user or password of the database URL is badly escaped"),
    ])
    func aMalformedURLSaysWhichPartIsWrong(text: String, message: String) {
        #expect(throws: PostgresURLError.self) { try PostgresURL(text, environment: bare) }
        do {
            _ = try PostgresURL(text, environment: bare)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func onlyPostgreSQLSchemesAreURLs() {
        #expect(PostgresURL.isURL("postgresql://h/d") && PostgresURL.isURL("postgres://h/d"))
        #expect(!PostgresURL.isURL("/var/lib/tlsrpt/tlsrpt.sqlite") && !PostgresURL.isURL("postgresql:/x") && !PostgresURL.isURL("reports:2026.sqlite"))
    }
}
