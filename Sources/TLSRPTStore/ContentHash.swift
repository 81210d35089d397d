import Crypto

/// SHA-256, the one hash the store uses: for report content (canonical JSON) and for whole inputs.
package enum ContentHash {
    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
