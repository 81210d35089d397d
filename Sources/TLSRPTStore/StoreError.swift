import TLSRPTCore

/// Why the database could not be used. Messages name the database file.
package struct StoreError: CodedError {
    package enum Code: Sendable, Equatable {
        /// The file or its folder could not be created or opened.
        case cannotOpen
        /// Another process holds the write lock for longer than the busy timeout, or the database server
        /// cannot be reached now.
        case busy
        /// The database server broke a deadlock or a serialisation conflict with another writer by failing
        /// this batch, which wrote nothing: running it again succeeds.
        case contention
        /// The disk is full, the file is read-only, or another I/O error.
        case cannotWrite
        /// The schema is newer than this program knows, or otherwise unusable.
        case incompatible
        case other
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
