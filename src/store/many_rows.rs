//! Many rows inserted with few statements: an import batch writes thousands of facts and
//! events, and one statement per row costs SQLite a statement's start, bindings and reset per
//! row (issue 13: the single writer bounds an import's time). Rows go [`ROWS_PER_STATEMENT`] to
//! a multi-row `VALUES`, the rest one by one, so each table needs two cached statements.

use rusqlite::{Connection, ToSql};

use super::StoreError;

/// Rows per multi-row `INSERT` (13 columns of facts: 416 parameters, far below SQLite's limit).
const ROWS_PER_STATEMENT: usize = 32;

/// Inserts `rows` in order, as `{insert} VALUES (…)` would one by one; `insert` is
/// `INSERT [OR IGNORE] INTO table (columns)`, with `N` columns.
pub(crate) fn insert<const N: usize>(
    conn: &Connection,
    insert: &str,
    rows: &[[&dyn ToSql; N]],
) -> Result<(), StoreError> {
    let mut chunks = rows.chunks_exact(ROWS_PER_STATEMENT);
    if rows.len() >= ROWS_PER_STATEMENT {
        let mut many = conn.prepare_cached(&values(insert, N, ROWS_PER_STATEMENT))?;
        for chunk in &mut chunks {
            for (i, value) in chunk.iter().flatten().enumerate() {
                many.raw_bind_parameter(i + 1, value)?;
            }
            many.raw_execute()?;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut one = conn.prepare_cached(&values(insert, N, 1))?;
        for row in rest {
            for (i, value) in row.iter().enumerate() {
                one.raw_bind_parameter(i + 1, value)?;
            }
            one.raw_execute()?;
        }
    }
    Ok(())
}

/// `insert` with `rows` groups of `columns` parameters.
fn values(insert: &str, columns: usize, rows: usize) -> String {
    let group = format!("({})", vec!["?"; columns].join(", "));
    format!("{insert} VALUES {}", vec![group; rows].join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_in_order_whatever_their_number() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
            .expect("table");
        for count in [0, 1, 31, 32, 33, 70] {
            conn.execute("DELETE FROM t", []).expect("delete");
            let texts: Vec<String> = (0..count).map(|i| format!("row {i}")).collect();
            let numbers: Vec<i64> = (0..count).collect();
            let rows: Vec<[&dyn ToSql; 2]> = numbers
                .iter()
                .zip(&texts)
                .map(|(a, b)| [a as &dyn ToSql, b as &dyn ToSql])
                .collect();
            insert(&conn, "INSERT INTO t (a, b)", &rows).expect("insert");
            let stored: Vec<(i64, String)> = conn
                .prepare("SELECT a, b FROM t ORDER BY a")
                .expect("select")
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("read");
            let wanted: Vec<(i64, String)> = numbers.into_iter().zip(texts).collect();
            assert_eq!(stored, wanted, "{count} rows");
        }
    }
}
