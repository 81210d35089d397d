#!/usr/bin/env python3
"""Loopback servers for the probe's integration tests: STARTTLS SMTP servers and an HTTPS policy server.

Usage: loopback_servers.py CONFIG.json
CONFIG: {"smtp": [{"address": "127.0.0.2", "cert": PEM, "key": PEM, "starttls": true}, ...],
         "https": {"address": "127.0.0.4", "cert": PEM, "key": PEM, "status": 200, "content_type": "text/plain",
                   "location": null, "body": "..."}}
Every SMTP server listens on the same port (one per loopback address), as MX hosts all listen on 25.
With "dnsmasq": [PATH, ARGS...] it also runs dnsmasq on a free loopback port (`--port=` is added) and kills it
when it stops: dnsmasq closes every inherited descriptor, which the test runner's process bookkeeping takes
for an exit (and then waits on it), so the tests never start dnsmasq themselves.
Prints {"smtp_port": P, "https_port": Q, "dns_port": D} on one line, then serves until standard input closes.
"""
import http.server
import json
import socket
import ssl
import subprocess
import sys
import threading
import time


def tls_context(entry):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(entry["cert"], entry["key"])
    return context


def serve_smtp(listener, entry):
    context = tls_context(entry) if entry.get("starttls", True) else None
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=smtp_session, args=(connection, context), daemon=True).start()


def smtp_session(connection, context):
    connection.settimeout(10)
    stream = connection
    try:
        stream.sendall(b"220 loopback.test ESMTP\r\n")
        buffer = b""
        while True:
            while b"\n" not in buffer:
                data = stream.recv(4096)
                if not data:
                    return
                buffer += data
            line, buffer = buffer.split(b"\n", 1)
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                stream.sendall(b"250-loopback.test\r\n" + (b"250-STARTTLS\r\n" if context and stream is connection else b"") + b"250 8BITMIME\r\n")
            elif verb == b"STARTTLS" and context and stream is connection:
                stream.sendall(b"220 2.0.0 ready to start TLS\r\n")
                stream = context.wrap_socket(connection, server_side=True)
                buffer = b""
            elif verb == b"QUIT":
                stream.sendall(b"221 2.0.0 bye\r\n")
                return
            else:
                stream.sendall(b"502 5.5.1 not in this test\r\n")
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            stream.close()
        except OSError:
            pass


def https_server(entry):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = entry.get("body", "").encode()
            self.send_response(entry.get("status", 200))
            if entry.get("content_type"):
                self.send_header("Content-Type", entry["content_type"])
            if entry.get("location"):
                self.send_header("Location", entry["location"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((entry["address"], 0), Handler)
    server.socket = tls_context(entry).wrap_socket(server.socket, server_side=True)
    return server


def main():
    with open(sys.argv[1]) as file:
        config = json.load(file)
    port = 0
    for entry in config.get("smtp", []):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((entry["address"], port))
        listener.listen(16)
        port = listener.getsockname()[1]
        threading.Thread(target=serve_smtp, args=(listener, entry), daemon=True).start()
    https_port = 0
    if config.get("https"):
        server = https_server(config["https"])
        https_port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    dns, dns_port = start_dnsmasq(config.get("dnsmasq"))
    print(json.dumps({"smtp_port": port, "https_port": https_port, "dns_port": dns_port}), flush=True)
    try:
        sys.stdin.read()
    finally:
        if dns:
            dns.kill()
            dns.wait()


def start_dnsmasq(command):
    if not command:
        return None, 0
    for _ in range(5):
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        process = subprocess.Popen(command + ["--port=%d" % port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        if process.poll() is None:
            return process, port
    raise SystemExit("dnsmasq did not start")


if __name__ == "__main__":
    main()
