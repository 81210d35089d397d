import GRDB

/// What one commit's transaction learns as it inserts report after report: its prepared statements, by
/// the SQL literal, and the ids of the policy texts and evidence groups it looked up or created.
///
/// GRDB's statement cache is keyed by the SQL text, so every look-up hashed a few hundred bytes; a dozen
/// look-ups per report were 8% of the single writer's time. The literal's address is a cheaper key. The
/// cache lives only as long as the transaction, so an id never outlives a rollback.
struct InsertCache {
    var policies: [ExactText: Int64] = [:]
    var groups: [[ExactText]: Int64] = [:]
    private var statements: [UnsafeRawPointer: Statement] = [:]

    /// Drops the ids learnt so far, after a savepoint that may have created them was rolled back.
    mutating func forgetIDs() {
        policies = [:]
        groups = [:]
    }

    mutating func statement(_ sql: StaticString, _ db: Database) throws -> Statement {
        let key = UnsafeRawPointer(sql.utf8Start)
        if let known = statements[key] { return known }
        let statement = try db.cachedStatement(sql: sql.description)
        statements[key] = statement
        return statement
    }
}
