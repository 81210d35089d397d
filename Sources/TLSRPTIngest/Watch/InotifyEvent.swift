/// The bits of an inotify mask, with the kernel's values (`<sys/inotify.h>`; they are Linux ABI and never
/// change). Declared here because the C header composes some of them from `O_*` enums that Swift does not
/// import as constants.
package struct InotifyMask: OptionSet, Sendable, Hashable, CustomStringConvertible {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let closeWrite = InotifyMask(rawValue: 0x0000_0008)
    package static let movedFrom = InotifyMask(rawValue: 0x0000_0040)
    package static let movedTo = InotifyMask(rawValue: 0x0000_0080)
    package static let create = InotifyMask(rawValue: 0x0000_0100)
    package static let delete = InotifyMask(rawValue: 0x0000_0200)
    package static let deleteSelf = InotifyMask(rawValue: 0x0000_0400)
    package static let moveSelf = InotifyMask(rawValue: 0x0000_0800)
    /// The filesystem holding the watched folder was unmounted.
    package static let unmount = InotifyMask(rawValue: 0x0000_2000)
    /// The kernel dropped events because nobody read them in time: only a rescan recovers.
    package static let queueOverflow = InotifyMask(rawValue: 0x0000_4000)
    /// The watch is gone (its folder was deleted or unmounted, or it was removed).
    package static let ignored = InotifyMask(rawValue: 0x0000_8000)
    /// Refuse to watch anything but a folder.
    package static let onlyDirectory = InotifyMask(rawValue: 0x0100_0000)
    /// Add to the mask of an existing watch of the same folder instead of replacing it.
    package static let maskAdd = InotifyMask(rawValue: 0x2000_0000)
    /// The event is about a folder.
    package static let isDirectory = InotifyMask(rawValue: 0x4000_0000)

    package var description: String {
        let names: [(InotifyMask, String)] = [
            (.closeWrite, "CLOSE_WRITE"), (.movedFrom, "MOVED_FROM"), (.movedTo, "MOVED_TO"), (.create, "CREATE"),
            (.delete, "DELETE"), (.deleteSelf, "DELETE_SELF"), (.moveSelf, "MOVE_SELF"), (.unmount, "UNMOUNT"),
            (.queueOverflow, "Q_OVERFLOW"), (.ignored, "IGNORED"), (.isDirectory, "ISDIR"),
        ]
        let parts = names.filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? String(rawValue, radix: 16) : parts.joined(separator: "|")
    }
}

/// One event read from an inotify descriptor: which watch (`wd`), what happened, and the name of the
/// entry inside the watched folder (nil for events about the folder itself and for a queue overflow).
package struct InotifyEvent: Sendable, Equatable {
    package var watch: Int32
    package var mask: InotifyMask
    package var cookie: UInt32
    package var name: String?

    package init(watch: Int32, mask: InotifyMask, cookie: UInt32 = 0, name: String? = nil) {
        self.watch = watch
        self.mask = mask
        self.cookie = cookie
        self.name = name
    }

    /// The size of `struct inotify_event` before its name.
    static let headerSize = 16

    /// Parses the events packed in what one `read(2)` returned. Each is a 16-byte header
    /// (`wd`, `mask`, `cookie`, `len`) followed by `len` bytes of NUL-padded name.
    package static func parse(_ buffer: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + headerSize <= buffer.count {
            let watch = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameStart + length <= buffer.count else { break }
            var name: String?
            if length > 0 {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<(nameStart + length)])
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                name = String(decoding: bytes[..<end], as: UTF8.self)
            }
            events.append(InotifyEvent(watch: watch, mask: InotifyMask(rawValue: mask), cookie: cookie, name: name))
            offset = nameStart + length
        }
        return events
    }
}
