import TLSRPTCore

/// Why `tlsrpt watch` cannot watch: the kernel refused an inotify call, or a path is not a folder.
/// Messages name the path and say what to do; `==` compares only the code, so tests assert the kind.
package struct WatchError: CodedError {
    package enum Code: Sendable, Equatable {
        /// `inotify_init1` failed (too many inotify instances: `fs.inotify.max_user_instances`).
        case cannotInitialise
        /// `inotify_add_watch` failed (no permission, or `fs.inotify.max_user_watches` reached).
        case cannotWatch
        /// A path to watch does not exist or is not a folder.
        case notADirectory
        /// Reading the inotify descriptor or waiting on it failed.
        case cannotRead
        /// The database refused a batch (locked for longer than the busy timeout, disk full): the inputs stay
        /// where they are and the next start reads them.
        case cannotStore
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
