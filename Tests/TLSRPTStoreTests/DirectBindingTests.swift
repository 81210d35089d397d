import Foundation
import GRDB
import TLSRPTTestSupport
import Testing

@testable import TLSRPTStore

/// The insert binds its parameters through SQLite's C interface: values must arrive exactly as GRDB would
/// have stored them, and SQLite's errors must still surface as errors.
struct DirectBindingTests {
    let dir = TemporaryDirectory()

    func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: dir.file("bind.sqlite"))
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (s TEXT, i INTEGER CHECK (i IS NULL OR i >= 0), b BLOB)")
        }
        return queue
    }

    @Test func valuesNullsAndEmptiesRoundTrip() throws {
        let queue = try database()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?)")
            for (text, number, blob) in [("héllo", Int64(42), [UInt8]([0, 1, 255])), ("", 0, [])] as [(String, Int64, [UInt8])] {
                var row = DirectBinding(insert, db)
                row.bind(text)
                row.bind(number)
                row.bind(blob: blob)
                try row.execute()
            }
            var nulls = DirectBinding(insert, db)
            nulls.bind(nil as String?)
            nulls.bind(nil as Int64?)
            nulls.bind(blob: nil)
            try nulls.execute()
        }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT s, typeof(s), i, typeof(i), b, typeof(b) FROM t ORDER BY rowid")
        }
        #expect(rows.count == 3)
        #expect(rows[0][0] == "héllo" && rows[0][2] == 42 && rows[0][4] == Data([0, 1, 255]))
        // The empty string and the empty blob are values, not NULL.
        #expect(rows[1][1] == "text" && rows[1][0] == "")
        #expect(rows[1][5] == "blob")
        #expect(rows[2][1] == "null" && rows[2][3] == "null" && rows[2][5] == "null")
    }

    @Test func aStatementIsReboundFromScratchEachTime() throws {
        let queue = try database()
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?)")
            var first = DirectBinding(insert, db)
            first.bind("a")
            first.bind(Int64(1))
            first.bind(blob: [1])
            try first.execute()
            // Only the first parameter this time: the others must be NULL, not left over from before.
            var second = DirectBinding(insert, db)
            second.bind("b")
            try second.execute()
        }
        let second = try queue.read { db in try Row.fetchOne(db, sql: "SELECT i, b FROM t WHERE s = 'b'") }
        #expect(second?[0] == nil as Int64?)
        #expect(second?[1] == nil as Data?)
    }

    @Test func queriesReadRowsAndConstraintViolationsThrow() throws {
        let queue = try database()
        try queue.write { db in
            try db.execute(sql: "INSERT INTO t VALUES ('x', 7, x'0a0b')")
            var lookup = DirectBinding(try db.cachedStatement(sql: "SELECT i, b FROM t WHERE s = ?"), db)
            lookup.bind("x")
            var seen: [(Int64, [UInt8])] = []
            try lookup.forEachRow { seen.append(($0.int64(0), $0.blob(1))) }
            #expect(seen.count == 1 && seen[0].0 == 7 && seen[0].1 == [0x0A, 0x0B])

            var bad = DirectBinding(try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?)"), db)
            bad.bind("negative")
            bad.bind(Int64(-1))
            bad.bind(blob: nil)
            let error = #expect(throws: DatabaseError.self) { try bad.execute() }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            #expect(error?.message?.contains("CHECK constraint failed") == true)
        }
    }
}
