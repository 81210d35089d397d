package import NIOCore
import NIOPosix

/// A stub resolver over UDP on NIO: one question to one recursive resolver, with a deadline.
///
/// Why not `getaddrinfo`: the probe needs MX, TXT and TLSA records, the CNAME chain as the resolver returns
/// it, and the AD bit; and tests point it at a resolver on a high loopback port (`--resolver`).
/// A truncated answer (TC) is asked again over TCP (RFC 7766): with the DO bit, a signed zone's MX or TXT
/// answer and its signatures can pass 1232 bytes, and a truncated UDP answer usually holds no records.
package struct DNSClient: Sendable {
    package var server: SocketAddress
    package var timeout: TimeAmount
    package var group: any EventLoopGroup

    package init(server: SocketAddress, timeout: TimeAmount, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.server = server
        self.timeout = timeout
        self.group = group
    }

    /// The resolver's answer, or a sentence saying why there is none (timeout, SERVFAIL, malformed).
    package func query(_ name: String, _ type: DNSRecordType, overTCP: Bool = false) async -> Result<DNSMessage, DNSFailure> {
        let id = UInt16.random(in: 0...UInt16.max)
        let question = DNSMessage.query(id: id, name: name, type: type)
        let answer: DNSMessage?
        do {
            if overTCP {
                answer = try await exchangeTCP(question, id: id)
            } else {
                let udp = try await exchangeUDP(question, id: id)
                answer = udp?.truncated == true ? (try? await exchangeTCP(question, id: id)) ?? udp : udp
            }
        } catch {
            return .failure(DNSFailure("DNS query for \(name) \(type) to \(server) failed: \(error)"))
        }
        guard let answer else { return .failure(DNSFailure("no answer from \(server) within \(seconds(timeout)) s for \(name) \(type)")) }
        switch answer.responseCode {
        case 0, 3: return .success(answer)
        case 2: return .failure(DNSFailure("the resolver answered SERVFAIL for \(name) \(type) (a DNSSEC failure looks like this)"))
        default: return .failure(DNSFailure("the resolver answered RCODE \(answer.responseCode) for \(name) \(type)"))
        }
    }

    /// One datagram out, the first answer with our id back; nil at the deadline.
    private func exchangeUDP(_ question: [UInt8], id: UInt16) async throws -> DNSMessage? {
        let bind = server.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group).bind(host: bind, port: 0) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
            }
        }
        // Closing the channel at the deadline ends the wait for an answer, whatever the resolver does.
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: question)))
            for try await envelope in inbound {
                if let message = DNSMessage.parse(Array(envelope.data.readableBytesView)), message.id == id { return message }
            }
            return nil
        }
    }

    /// The question with its two-byte length over TCP, the answer read up to its length; nil at the deadline.
    private func exchangeTCP(_ question: [UInt8], id: UInt16) async throws -> DNSMessage? {
        let channel = try await ClientBootstrap(group: group).connectTimeout(timeout).connect(to: server) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            var framed = ByteBuffer()
            framed.writeInteger(UInt16(question.count))
            framed.writeBytes(question)
            try await outbound.write(framed)
            var received: [UInt8] = []
            for try await chunk in inbound {
                received += chunk.readableBytesView
                guard received.count >= 2 else { continue }
                let length = Int(received[0]) << 8 | Int(received[1])
                guard received.count >= 2 + length else { continue }
                guard let message = DNSMessage.parse(Array(received[2..<(2 + length)])), message.id == id else { return nil }
                return message
            }
            return nil
        }
    }

    private func seconds(_ amount: TimeAmount) -> String {
        let value = Double(amount.nanoseconds) / 1e9
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Why a DNS question got no usable answer.
package struct DNSFailure: Error, Sendable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
