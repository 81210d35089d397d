import ArgumentParser

/// The `tlsrpt` command: collects SMTP TLS reports (RFC 8460) into SQLite and explains them.
@main
struct TLSRPT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlsrpt",
        abstract: "Collect and analyse SMTP TLS reports (TLS-RPT, RFC 8460).",
        discussion: """
            Reports arrive as .json / .json.gz files, as report mail (.eml, maildirs), or by HTTPS POST. \
            tlsrpt stores them once each in an SQLite database and summarises who fails to deliver to your MX \
            hosts over TLS, and why.

            The database is --db PATH, else $TLSRPT_DB, else $XDG_DATA_HOME/tlsrpt/tlsrpt.sqlite \
            (~/.local/share/tlsrpt/tlsrpt.sqlite); it is created on first use.

            Typical use:
              tlsrpt ingest ~/Maildir/.TLS-Reports      # store what arrived
              tlsrpt summary --since 7d                  # the weekly summary (cron)
            """,
        subcommands: [Ingest.self, Summary.self, Reports.self, Show.self, Rejects.self, Serve.self]
    )
}
