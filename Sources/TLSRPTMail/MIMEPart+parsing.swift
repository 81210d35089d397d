extension MIMEPart {
    /// Parses an RFC 5322 message into its MIME tree.
    ///
    /// Works without recursion: parts waiting to be parsed sit on an explicit stack, and the
    /// tree is assembled from the bottom up at the end, so neither a deep tree nor a hostile
    /// one can overflow the call stack. `limits` bound depth, part count and header size.
    package init(parsing bytes: [UInt8], limits: MailLimits = .default) throws(MailError) {
        try self.init(parsing: bytes[...], limits: limits)
    }

    package init(parsing bytes: ArraySlice<UInt8>, limits: MailLimits = .default) throws(MailError) {
        struct Pending {
            var bytes: ArraySlice<UInt8>
            var depth: Int
            var parent: Int?
            var defaultType: MediaType
        }
        // Parsed parts in the order they were reached; taken out again as the tree is built.
        var nodes: [MIMEPart?] = []
        var childIndices: [[Int]] = []
        var stack = [Pending(bytes: bytes, depth: 0, parent: nil, defaultType: .textPlain)]

        while let pending = stack.popLast() {
            let (headers, body) = try MIMEHeaders.parse(
                pending.bytes, maxBytes: limits.maxHeaderBytes, allowMboxFromLine: pending.parent == nil)
            let mediaType = headers.field("Content-Type").flatMap { MediaType(parsing: $0.unfoldedBytes[...]) } ?? pending.defaultType
            var part = MIMEPart(
                headers: headers, mediaType: mediaType,
                transferEncoding: ContentTransferEncoding(headerValue: headers["Content-Transfer-Encoding"]), rawBody: body)
            let index = nodes.count
            if let parent = pending.parent { childIndices[parent].append(index) }

            var children: [Pending] = []
            if mediaType.isMultipart {
                if let boundary = mediaType.boundary {
                    let split = try MultipartBody(
                        splitting: body, boundary: boundary, maxParts: limits.maxParts - nodes.count - stack.count - 1,
                        limitForMessage: limits.maxParts)
                    if !split.foundDelimiter {
                        part.defect = "\(mediaType.essence) boundary \"\(boundary)\" never appears in its body"
                    }
                    let defaultType = mediaType.subtype == "digest" ? MediaType.messageRFC822 : .textPlain
                    children = split.parts.map { Pending(bytes: $0, depth: pending.depth + 1, parent: index, defaultType: defaultType) }
                } else {
                    part.defect = "\(mediaType.essence) has no boundary parameter, so its parts cannot be found"
                }
            } else if mediaType.isEncapsulatedMessage {
                // Forwarded reports are normally 7bit/8bit; some clients base64 them anyway.
                let inner: ArraySlice<UInt8>
                switch part.transferEncoding {
                case .base64, .quotedPrintable: inner = part.decodedBody[...]
                default: inner = body
                }
                if !inner.isAllWhitespace {
                    children = [Pending(bytes: inner, depth: pending.depth + 1, parent: index, defaultType: .textPlain)]
                }
            }
            if !children.isEmpty && pending.depth + 1 > limits.maxDepth { throw MailError.tooDeep(limit: limits.maxDepth) }
            if nodes.count + stack.count + children.count + 1 > limits.maxParts { throw MailError.tooManyParts(limit: limits.maxParts) }

            nodes.append(part)
            childIndices.append([])
            // Reversed, so the first child is parsed next and children keep document order.
            stack.append(contentsOf: children.reversed())
        }

        // Children always come after their parent, so building from the end finds every
        // child complete before its parent needs it.
        for index in stride(from: nodes.count - 1, through: 0, by: -1) {
            var node = nodes[index]!
            node.children = childIndices[index].map { child in
                defer { nodes[child] = nil }
                return nodes[child]!
            }
            nodes[index] = node
        }
        self = nodes[0]!
    }
}
