import Foundation
public import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real, throw-away PostgreSQL server for the tests of the PostgreSQL store: a mock would agree with our
/// SQL whatever PostgreSQL makes of it. One server per test process, started the first time a test asks
/// (about a second: `initdb`, then `postgres` on a free loopback port), trusting loopback so no password is
/// involved; every test gets an empty database of its own in it, and the server and its folder are gone
/// when the process exits. `TLSRPT_TEST_POSTGRES_URL` names an existing server to use instead.
///
/// Tests are enabled only where a server can be had, and say why otherwise:
/// `@Test(.enabled(if: PostgresTestServer.unavailableReason == nil, PostgresTestServer.unavailable))`, then
/// `let url = try PostgresTestServer.shared.makeDatabase()`. CI sets `TLSRPT_REQUIRE_POSTGRES=1`, which
/// enables them everywhere, so a server that cannot start fails the run instead of skipping quietly.
public final class PostgresTestServer: @unchecked Sendable {
    /// The process-wide server; nothing starts until a database or ``unavailableReason`` is asked for.
    public static let shared = PostgresTestServer()

    /// Nil when the PostgreSQL tests can run: a server started (or `TLSRPT_TEST_POSTGRES_URL` answered), or
    /// `TLSRPT_REQUIRE_POSTGRES=1` is set and ``makeDatabase()`` is to fail instead. Otherwise why not, in one
    /// line. Asking starts the server, so ask in a trait's condition, which Swift Testing evaluates only for
    /// the tests it runs, not in its comment, which it builds for every test it lists (see ``unavailable``).
    public static var unavailableReason: String? {
        if isRequired { return nil }
        if case .failure(let error) = shared.backend() { return error.reason }
        return nil
    }

    /// The comment for the trait that skips: why, when that is known without starting a server (PostgreSQL
    /// is not installed, say); otherwise a start failed, whose reason is printed on standard error then.
    public static var unavailable: Comment {
        if case .failure(let error) = plan { return Comment(rawValue: error.reason) }
        return "PostgreSQL did not start here (its reason is printed on standard error)"
    }

    /// A new, empty database of its own (`t_<pid>_<counter>_<random>`), as a URL a client connects with:
    /// `postgresql://tlsrpt@127.0.0.1:PORT/NAME` on our own server. Throws why if there is no server.
    public func makeDatabase() throws -> String {
        let backend = try backend().get()
        let name = lock.withLock {
            made += 1
            let random = String((0..<6).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
            return "t_\(getpid())_\(made)_\(random)"
        }
        _ = try backend.psql(backend.adminURL, "CREATE DATABASE \(name)")
        lock.withLock { created.append(name) }
        return backend.url(of: name)
    }

    /// Runs `sql` in the database at `url` with `psql` and returns what it printed (unaligned, tuples only:
    /// one row a line, columns split by `|`), for tests that check what was stored with SQL of their own,
    /// independent of the code under test. Throws psql's message when the statement fails.
    public func query(_ url: String, _ sql: String) throws -> String {
        try backend().get().psql(url, sql)
    }

    private let lock = NSLock()
    private var state: Result<Backend, PostgresTestServerError>?
    private var made = 0
    /// Databases made in an existing server (`TLSRPT_TEST_POSTGRES_URL`), dropped at exit.
    private var created: [String] = []

    static var isRequired: Bool { ProcessInfo.processInfo.environment["TLSRPT_REQUIRE_POSTGRES"] == "1" }

    /// Starts the server on first use (once: a failure is remembered and reported again, not retried).
    private func backend() -> Result<Backend, PostgresTestServerError> {
        lock.withLock {
            if let state { return state }
            let result = Result { () throws(PostgresTestServerError) -> Backend in try Self.startBackend() }
            state = result
            switch result {
            case .success:
                atexit { PostgresTestServer.shared.shutDown() }
            case .failure(let error):
                // The trait's comment says why only when the plan failed, not the start.
                if !Self.isRequired, case .success = Self.plan {
                    FileHandle.standardError.write(Data("PostgresTestServer: the PostgreSQL tests are skipped: \(error.reason)\n".utf8))
                }
            }
            return result
        }
    }

    /// At exit: our own server is stopped and its folder removed; databases made in an existing server are dropped.
    private func shutDown() {
        lock.withLock {
            guard case .success(let backend) = state else { return }
            state = .failure(PostgresTestServerError("the PostgreSQL test server was shut down at exit"))
            if let server = backend.server {
                server.stop()
            } else if !created.isEmpty {
                _ = try? ProcessRunner.run(
                    URL(fileURLWithPath: backend.psqlPath),
                    ["-X", "-w", "-q", "-d", backend.adminURL] + created.flatMap { ["-c", "DROP DATABASE IF EXISTS \($0) WITH (FORCE)"] },
                    environment: Backend.clientEnvironment)
            }
        }
    }

    // MARK: What can be started

    /// What the tests would run, found without starting anything: an existing server, or the binaries
    /// and, as root, the user to run them as. PostgreSQL refuses to run as root.
    enum Plan {
        case existing(url: String, psql: String)
        case own(bin: String, runAs: RunAs?)
    }

    /// `setpriv` (which execs, so the server's process is the postmaster itself) or `runuser` in front of a
    /// command, to run it as the `postgres` system user Debian's package creates.
    struct RunAs {
        var uid: uid_t
        var gid: gid_t
        var prefix: [String]
    }

    static let plan: Result<Plan, PostgresTestServerError> = Result { () throws(PostgresTestServerError) -> Plan in
        let bin = binDirectory()
        if let url = ProcessInfo.processInfo.environment["TLSRPT_TEST_POSTGRES_URL"], !url.isEmpty {
            guard let psql = bin.map({ "\($0)/psql" }).flatMap(executable) ?? onPath("psql") else {
                throw PostgresTestServerError("TLSRPT_TEST_POSTGRES_URL is set, but psql is not installed (apt-get install postgresql-client)")
            }
            return .existing(url: url, psql: psql)
        }
        guard let bin else { throw PostgresTestServerError("PostgreSQL's initdb is not installed (apt-get install postgresql)") }
        for tool in ["initdb", "postgres", "pg_ctl", "psql"] where executable("\(bin)/\(tool)") == nil {
            throw PostgresTestServerError("PostgreSQL's \(tool) is not in \(bin) (apt-get install postgresql)")
        }
        guard geteuid() == 0 else { return .own(bin: bin, runAs: nil) }
        guard let user = getpwnam("postgres") else {
            throw PostgresTestServerError(
                "the tests run as root, which PostgreSQL refuses, and there is no postgres user to run it as (apt-get install postgresql makes one)")
        }
        let (uid, gid) = (user.pointee.pw_uid, user.pointee.pw_gid)
        if let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].lazy.compactMap(executable).first {
            return .own(bin: bin, runAs: RunAs(uid: uid, gid: gid, prefix: [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--init-groups"]))
        }
        if let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].lazy.compactMap(executable).first {
            return .own(bin: bin, runAs: RunAs(uid: uid, gid: gid, prefix: [runuser, "-u", "postgres", "--"]))
        }
        throw PostgresTestServerError(
            "the tests run as root, which PostgreSQL refuses, and neither setpriv nor runuser is installed to run it as postgres")
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout), else `pg_config --bindir`.
    static func binDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { executable("\(root)/\($0)/bin/initdb") != nil }
            .map { ($0, $0.split(separator: ".").map { Int($0) ?? 0 }) }
        if let newest = versions.max(by: { $0.1.lexicographicallyPrecedes($1.1) }) { return "\(root)/\(newest.0)/bin" }
        guard let pgConfig = onPath("pg_config"), let output = try? ProcessRunner.run(URL(fileURLWithPath: pgConfig), ["--bindir"]),
            output.status == 0
        else { return nil }
        let bin = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return executable("\(bin)/initdb") != nil ? bin : nil
    }

    static func executable(_ path: String) -> String? { FileManager.default.isExecutableFile(atPath: path) ? path : nil }

    static func onPath(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").lazy.compactMap { executable("\($0)/\(name)") }.first
    }

    // MARK: Starting

    private static func startBackend() throws(PostgresTestServerError) -> Backend {
        switch plan {
        case .failure(let error):
            throw error
        case .success(.existing(let url, let psql)):
            let backend = Backend(adminURL: url, psqlPath: psql, server: nil)
            do {
                _ = try backend.psql(url, "SELECT 1")
            } catch {
                throw PostgresTestServerError("TLSRPT_TEST_POSTGRES_URL does not answer: \(error.reason)")
            }
            return backend
        case .success(.own(let bin, let runAs)):
            let server = try OwnServer.start(bin: bin, runAs: runAs)
            return Backend(adminURL: "postgresql://\(OwnServer.user)@127.0.0.1:\(server.port)/postgres", psqlPath: "\(bin)/psql", server: server)
        }
    }

    /// Where databases are made, and how to reach them.
    struct Backend {
        var adminURL: String
        var psqlPath: String
        var server: OwnServer?

        /// No client waits long for a server that does not answer.
        static let clientEnvironment = ["PGCONNECT_TIMEOUT": "10"]

        /// The admin URL with the database name swapped: user, host, port and any parameters stay.
        func url(of database: String) -> String {
            guard var components = URLComponents(string: adminURL) else { return adminURL }
            components.path = "/\(database)"
            return components.string ?? adminURL
        }

        func psql(_ url: String, _ sql: String) throws(PostgresTestServerError) -> String {
            let output: ProcessRunner.Output
            do {
                output = try ProcessRunner.run(
                    URL(fileURLWithPath: psqlPath), ["-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                    environment: Self.clientEnvironment)
            } catch {
                throw PostgresTestServerError("could not run \(psqlPath): \(error)")
            }
            guard output.status == 0 else {
                throw PostgresTestServerError("psql \(sql.prefix(60)): \(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return output.stdout.trimmingCharacters(in: .newlines)
        }
    }
}

/// Why there is no PostgreSQL server for the tests, or why a statement failed in it.
public struct PostgresTestServerError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }

    /// On one line: psql's and PostgreSQL's messages run over several.
    init(_ reason: String) {
        self.reason = reason.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}

/// Our own server: a folder holding the cluster (`data`), its socket, logs and nothing else, owned by the
/// user the server runs as; the postmaster, started detached from the test's standard streams (its log goes
/// to `server.log`) so that SwiftPM, waiting for the test's output to end, does not wait for PostgreSQL too;
/// and a watchdog that stops it if the test process dies without running its exit handlers (a crash).
final class OwnServer: @unchecked Sendable {
    static let user = "tlsrpt"

    let directory: String
    let bin: String
    let runAs: PostgresTestServer.RunAs?
    private(set) var port = 0
    private var process: Process?
    private var postmaster: pid_t = 0
    private var watchdog: Process?
    /// The watchdog's standard input: never written, closed by the kernel when this process ends however it ends.
    private var watchdogPipe: Int32 = -1

    var data: String { "\(directory)/data" }
    var log: String { "\(directory)/server.log" }

    private init(directory: String, bin: String, runAs: PostgresTestServer.RunAs?) {
        self.directory = directory
        self.bin = bin
        self.runAs = runAs
    }

    static func start(bin: String, runAs: PostgresTestServer.RunAs?) throws(PostgresTestServerError) -> OwnServer {
        let server = OwnServer(directory: try makeDirectory(runAs: runAs), bin: bin, runAs: runAs)
        do throws(PostgresTestServerError) {
            try server.initdb()
            for attempt in 1...5 {
                // Another process may take the free port before the postmaster binds it: then another port.
                if try server.launch(port: try freePort()) { break }
                if attempt == 5 { throw PostgresTestServerError("PostgreSQL found its port taken five times: \(server.logTail())") }
            }
            server.startWatchdog()
            return server
        } catch {
            server.stop()
            throw error
        }
    }

    /// A fresh folder, `0700`, owned by the user the server runs as. As root the folder must be reachable by
    /// that user, so it goes to `/tmp` when the temporary folder (`$TMPDIR`) is private to root.
    private static func makeDirectory(runAs: PostgresTestServer.RunAs?) throws(PostgresTestServerError) -> String {
        var base = FileManager.default.temporaryDirectory.standardizedFileURL.path
        if runAs != nil, !othersCanEnter(base) { base = "/tmp" }
        for _ in 0..<10 {
            let suffix = String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
            // Short: the socket's path must fit in 107 bytes.
            let path = "\(base)/tlsrpt-pg-\(suffix)"
            guard mkdir(path, 0o700) == 0 else {
                if errno == EEXIST { continue }
                throw PostgresTestServerError("could not make \(path): \(String(cString: strerror(errno)))")
            }
            if let runAs, chown(path, runAs.uid, runAs.gid) != 0 {
                let reason = String(cString: strerror(errno))
                rmdir(path)
                throw PostgresTestServerError("could not give \(path) to the postgres user: \(reason)")
            }
            return path
        }
        throw PostgresTestServerError("could not make a folder for PostgreSQL in \(base)")
    }

    private static func othersCanEnter(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path)
        while true {
            var info = stat()
            guard stat(url.path, &info) == 0, info.st_mode & 0o001 != 0 else { return false }
            if url.path == "/" { return true }
            url.deleteLastPathComponent()
        }
    }

    /// A port nothing listens on now: the kernel picks one for a socket bound to port 0.
    private static func freePort() throws(PostgresTestServerError) -> Int {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw PostgresTestServerError("could not open a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresTestServerError("could not find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `initdb`, trusting every local connection, with `tlsrpt` as the superuser. C.UTF-8 sorts and cases
    /// text the same on every machine; where that locale is missing, `--no-locale` (C) does the same.
    private func initdb() throws(PostgresTestServerError) {
        let base = ["\(bin)/initdb", "-D", data, "--auth=trust", "-U", Self.user, "--encoding=UTF8", "--no-sync"]
        var output = try run(base + ["--locale=C.UTF-8"])
        if output.status != 0 {
            try? FileManager.default.removeItem(atPath: data)
            output = try run(base + ["--no-locale"])
        }
        guard output.status == 0 else {
            throw PostgresTestServerError("initdb failed: \(Self.tail(output.stderr + output.stdout))")
        }
    }

    /// Starts the postmaster on `port` and waits until it answers (true), or finds the port taken (false).
    /// Durability is off: the cluster is thrown away, and fsync would only slow the tests down.
    private func launch(port: Int) throws(PostgresTestServerError) -> Bool {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let logHandle = FileHandle(forWritingAtPath: log) else { throw PostgresTestServerError("could not write \(log)") }
        defer { try? logHandle.close() }
        let command =
            (runAs?.prefix ?? []) + [
                "\(bin)/postgres", "-D", data, "-k", directory, "-h", "127.0.0.1", "-p", "\(port)",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=100",
            ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessRunner.testEnvironment([:])
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle
        do {
            try process.run()
        } catch {
            throw PostgresTestServerError("could not run \(command[0]): \(error)")
        }
        self.process = process
        self.port = port
        self.postmaster = process.processIdentifier

        // A short connect timeout: something else that took the port may accept and never answer.
        let probe = PostgresTestServer.Backend(
            adminURL: "postgresql://\(Self.user)@127.0.0.1:\(port)/postgres?connect_timeout=2", psqlPath: "\(bin)/psql", server: nil)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if !process.isRunning {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains("Address already in use") || text.contains("could not create any TCP/IP sockets") { return false }
                throw PostgresTestServerError("PostgreSQL exited while starting: \(logTail())")
            }
            // Our server, not another that took the port: it names our data folder.
            if let answer = try? probe.psql(probe.adminURL, "SHOW data_directory"), answer.hasSuffix(URL(fileURLWithPath: data).lastPathComponent),
                answer.contains(URL(fileURLWithPath: directory).lastPathComponent)
            {
                if let pidFile = try? String(contentsOfFile: "\(data)/postmaster.pid", encoding: .utf8),
                    let pid = pidFile.split(separator: "\n").first.flatMap({ pid_t($0) })
                {
                    postmaster = pid
                }
                return true
            }
            usleep(50_000)
        }
        throw PostgresTestServerError("PostgreSQL did not accept connections within 30 s: \(logTail())")
    }

    /// A shell that waits for end of file on a pipe only this process holds open. The kernel closes it
    /// when the process ends, also in a crash, which runs no exit handler: then the shell stops the server
    /// (SIGQUIT, immediate shutdown, then SIGKILL) and removes the folder. The postmaster, orphaned, is a
    /// zombie once it has exited until init reaps it, which `kill -0` cannot tell from alive, hence /proc.
    /// It ignores the terminal's signals, in case a Control-C reaches it.
    private func startWatchdog() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let script = """
            trap '' HUP INT QUIT TERM PIPE
            read _
            kill -QUIT "$1" 2>/dev/null
            i=0
            while [ $i -lt 50 ] && kill -0 "$1" 2>/dev/null; do
                case $(cat /proc/"$1"/stat 2>/dev/null) in *") Z "*) break ;; esac
                sleep 0.1; i=$((i + 1))
            done
            [ $i -lt 50 ] || kill -KILL "$1" 2>/dev/null
            rm -rf "$2"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "tlsrpt-postgres-watchdog", "\(postmaster)", directory]
        process.standardInput = FileHandle(fileDescriptor: fds[0], closeOnDealloc: false)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) != nil {
            watchdog = process
            watchdogPipe = fds[1]
        } else {
            close(fds[1])
        }
        close(fds[0])
    }

    /// Stops the server and removes the folder. Not with SIGTERM: the test runner's children inherit a
    /// signal mask that blocks it. `pg_ctl stop -m immediate` sends SIGQUIT; SIGKILL if that does not do
    /// (only while our child still runs, so that the pid cannot be another process's by then).
    func stop() {
        if let watchdog, watchdog.isRunning { kill(watchdog.processIdentifier, SIGKILL) }
        if let process {
            let stopped = (try? run(["\(bin)/pg_ctl", "stop", "-m", "immediate", "-D", data, "-t", "10"]))?.status == 0
            if !stopped, process.isRunning {
                kill(postmaster, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
            }
            for _ in 0..<100 where process.isRunning { usleep(20_000) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a PostgreSQL program to completion, as the server's user.
    private func run(_ command: [String]) throws(PostgresTestServerError) -> ProcessRunner.Output {
        let command = (runAs?.prefix ?? []) + command
        do {
            return try ProcessRunner.run(URL(fileURLWithPath: command[0]), Array(command.dropFirst()))
        } catch {
            throw PostgresTestServerError("could not run \(command[0]): \(error)")
        }
    }

    private func logTail() -> String { Self.tail((try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)") }

    /// The last lines of a log, on one line.
    static func tail(_ text: String) -> String {
        text.split(separator: "\n").suffix(8).joined(separator: " | ")
    }
}
