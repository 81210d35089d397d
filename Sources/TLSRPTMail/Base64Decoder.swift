/// A forgiving base64 decoder for MIME bodies (RFC 2045 §6.8).
///
/// Real mail wraps base64 at 76 columns, at 72, or not at all, ends lines with CRLF or LF,
/// leaves trailing spaces, drops the final padding, and some mailers encode line by line so
/// that `=` padding appears in the middle of a body. RFC 2045 tells decoders to ignore
/// characters outside the alphabet, so this decoder skips them; `=` ends the current
/// 4-character group, and decoding continues after it. It runs in one pass over the input.
package enum Base64Decoder {
    /// Decodes base64 text, skipping whitespace and any other byte outside the alphabet.
    package static func decode(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var pending = 0
        text.withUnsafeBufferPointer { input in
            table.withUnsafeBufferPointer { table in
                for byte in input {
                    let value = table[Int(byte)]
                    if value < 64 {
                        accumulator = accumulator << 6 | UInt32(value)
                        pending += 1
                        if pending == 4 {
                            output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                            output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                            output.append(UInt8(truncatingIfNeeded: accumulator))
                            accumulator = 0
                            pending = 0
                        }
                    } else if value == padding {
                        flush(accumulator, pending, into: &output)
                        accumulator = 0
                        pending = 0
                    }
                }
            }
        }
        flush(accumulator, pending, into: &output)
        return output
    }

    package static func decode(_ text: [UInt8]) -> [UInt8] {
        decode(text[...])
    }

    /// Emits the bytes of an incomplete group: 2 characters carry 1 byte, 3 carry 2; a lone
    /// character carries no whole byte and is dropped.
    private static func flush(_ accumulator: UInt32, _ pending: Int, into output: inout [UInt8]) {
        switch pending {
        case 2:
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default:
            break
        }
    }

    private static let padding: UInt8 = 0xFE
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        table[Int(ASCII.equals)] = padding
        return table
    }()
}
