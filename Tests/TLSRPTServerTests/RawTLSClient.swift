import Foundation
import TLSRPTTestSupport

/// A misbehaving HTTPS client, as the findings describe them, written with python3's `ssl` over a raw
/// socket (curl and openssl cannot keep writing after a response, nor trickle a request head). It prints
/// one JSON object: the status line it read, the bytes it got written, whether the server closed the
/// connection, and when (seconds from the answer).
enum RawTLSClient {
    struct Outcome: Decodable {
        var status: String
        var sent: Int
        var closed: Bool
        var secondsAfterAnswer: Double?
    }

    enum Mode: String {
        /// `Content-Length: 100000000000`, then body bytes as fast as the server takes them (for up to 20 s).
        case hugeDeclaredLength = "huge"
        /// A POST declared as text/html with a 100-byte body: read the 415, send the body, then trickle the
        /// next request head one byte every half second (for up to 15 s).
        case answeredEarlyThenDawdle = "early"
        /// A complete `GET /healthz`, then the next head trickled one byte every half second (up to 15 s).
        case keepAliveThenDawdle = "keepalive"
        /// A POST whose head and first body bytes arrive, the rest never (for `holdSeconds`): holds a slot.
        case holdUpload = "hold"
    }

    static let script = #"""
        import json, select, socket, ssl, sys, time
        port, mode, hold = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        s = context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
        sent, closed, response, answered = 0, False, b"", None
        def status():
            return response.split(b"\r\n", 1)[0].decode("latin-1") if b"\r\n" in response else ""
        def finish():
            print(json.dumps({"status": status(), "sent": sent, "closed": closed,
                              "secondsAfterAnswer": None if answered is None or not closed else time.monotonic() - answered}))
            sys.exit(0)
        def read_some(timeout):
            global response, closed, answered
            s.settimeout(timeout)
            try:
                data = s.recv(65536)
            except (socket.timeout, ssl.SSLWantReadError):
                return
            except OSError:
                closed = True
                return
            if not data:
                closed = True
                return
            response += data
            if answered is None and b"\r\n\r\n" in response:
                answered = time.monotonic()
        def trickle(text, seconds):
            global closed
            deadline = time.monotonic() + seconds
            for byte in text:
                if closed or time.monotonic() > deadline:
                    return
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    return
                read_some(0.5)
            while not closed and time.monotonic() < deadline:
                read_some(0.5)
        if mode == "huge":
            s.sendall(b"POST /tlsrpt HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/tlsrpt+json\r\n"
                      b"Content-Length: 100000000000\r\n\r\n")
            s.setblocking(False)
            chunk, start = b" " * 65536, time.monotonic()
            while not closed and time.monotonic() - start < 20:
                readable, writable, _ = select.select([s], [s], [], 1)
                if readable or s.pending():
                    try:
                        data = s.recv(65536)
                        if not data:
                            closed = True
                        else:
                            response += data
                            if answered is None and b"\r\n\r\n" in response:
                                answered = time.monotonic()
                    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                        pass
                    except OSError:
                        closed = True
                if writable and not closed:
                    try:
                        sent += s.send(chunk)
                    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                        pass
                    except OSError:
                        closed = True
            finish()
        elif mode == "early":
            s.sendall(b"POST /tlsrpt HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n")
            while answered is None and not closed:
                read_some(5)
            try:
                s.sendall(b"x" * 100)
                sent = 100
            except OSError:
                closed = True
            trickle(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 15)
            finish()
        elif mode == "keepalive":
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            while b"ok\n" not in response and not closed:
                read_some(5)
            answered = time.monotonic()
            trickle(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 15)
            finish()
        elif mode == "hold":
            s.sendall(b"POST /tlsrpt HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/tlsrpt+json\r\n"
                      b"Content-Length: 1000\r\n\r\n{")
            sent = 1
            time.sleep(hold)
            finish()
        """#

    static func run(port: Int, _ mode: Mode, holdSeconds: Double = 0) async throws -> Outcome {
        let output = try await ProcessRunner.run("/usr/bin/python3", ["-c", script, String(port), mode.rawValue, String(holdSeconds)])
        guard output.status == 0, let line = output.stdout.split(separator: "\n").last else {
            throw ClientFailure(description: "python3 client failed (\(output.status)): \(output.stderr)")
        }
        return try JSONDecoder().decode(Outcome.self, from: Data(line.utf8))
    }

    struct ClientFailure: Error, CustomStringConvertible {
        var description: String
    }
}
