import TLSRPTCore

/// SQL that adds session counts the way ``CountSum`` does: exactly up to 2^53, saturated beyond, never an
/// error and never a REAL.
///
/// SQLite's `SUM()` fails the whole query with "integer overflow" once a sum passes 64 bits, and `a + b`
/// on INTEGERs silently becomes a REAL (which a rollup column then keeps, and Swift's Int64 cannot read).
/// One report's counts add up to at most 2^53 (the decoder sees to that), but sums across reports do not.
enum CountSQL {
    /// An aggregate over a group: the saturated sum of `column`. `TOTAL()` adds in floating point, which is
    /// exact for integer sums up to 2^53, the ceiling; a larger total (or a REAL an older version left in
    /// a rollup) reads as the ceiling.
    static func sum(_ column: String) -> String {
        "CAST(MIN(TOTAL(\(column)), \(CountSum.ceiling)) AS INTEGER)"
    }

    /// The text of ``CountSum/ceiling`` as the upserts spell it: their SQL is a `StaticString` (see
    /// ``InsertCache``), so the number is written out there, `MIN(a + excluded.a, 9007199254740992)`, and a
    /// test checks it against ``CountSum/ceiling``. Both terms are at most the ceiling, so the addition stays
    /// inside 64 bits and the column stays INTEGER.
    static let ceilingLiteral = "9007199254740992"
}
