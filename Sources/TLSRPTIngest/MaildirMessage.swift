import Foundation
/// A message file in a maildir (`new/` or `cur/`), and the maildir file-name convention
/// (`unique:2,FLAGS`, flags sorted ASCII) needed to move it correctly.
package struct MaildirMessage: Sendable, Equatable {
    /// The maildir's root folder (holding `cur/ new/ tmp/`).
    package var maildir: String
    /// `new` or `cur`.
    package var folder: String
    /// The file name inside that folder.
    package var name: String

    package init(maildir: String, folder: String, name: String) {
        self.maildir = maildir
        self.folder = folder
        self.name = name
    }

    package var path: String { "\(maildir)/\(folder)/\(name)" }

    /// The unique part of the name, without the `:2,` info.
    package var unique: String {
        guard let range = name.range(of: ":2,") else { return name }
        return String(name[..<range.lowerBound])
    }

    /// The flags of the `:2,` info (empty in `new/`).
    package var flags: String {
        guard let range = name.range(of: ":2,") else { return "" }
        return String(name[range.upperBound...])
    }

    /// The name with `flag` added to the info, flags kept sorted and unique as the convention asks.
    package func name(adding flag: Character) -> String {
        var set = Set(flags)
        set.insert(flag)
        return unique + ":2," + String(set.sorted())
    }

    /// Where the message goes once its report is committed: `cur/` with the Seen flag.
    package var acceptedPath: String { "\(maildir)/cur/\(name(adding: "S"))" }

    /// Where a rejected message is kept: the Maildir++ folder `.Rejected`, unread so that a mail client shows it.
    package var rejectedPath: String { "\(maildir)/.Rejected/cur/\(unique):2,\(flags.filter { $0 != "S" })" }
}
