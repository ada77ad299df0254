//! Pagination: `limit` and the opaque `cursor` of every list.
//!
//! A cursor says where the previous page stopped, behind a letter that says which kind of list
//! it belongs to, so a cursor of one list is refused by another instead of being misread:
//! `r` + a revision id in hex, `o` + an offset in hex (search only: a best-effort position),
//! `l` + a log entry's id in hex, `t` + a title's UTF-8 bytes in hex, and for keysets of
//! several values (people, timelines, recent changes) a list letter + the values' UTF-8 bytes
//! in hex, separated by `1f`.
//! Every string of that form is a valid cursor (the OpenAPI document gives the patterns).
//!
//! Lists in a fixed order page by keyset: a cursor holds the sort key of the last item shown,
//! and the next page starts right after it, so an item added or removed before it neither
//! repeats nor skips one. An old offset cursor (`o…`) given to such a list is a 400.

use serde::Deserialize;

use super::error::ApiError;

/// Items per page unless `limit` says otherwise.
pub(crate) const DEFAULT_LIMIT: usize = 50;
/// The most items per page.
pub(crate) const MAX_LIMIT: usize = 500;

/// `?limit=&cursor=`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
}

impl ListQuery {
    /// The page size: 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
    pub(crate) fn limit(&self) -> Result<usize, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(n) => Err(ApiError::BadParameter(format!(
                "limit must be between 1 and {MAX_LIMIT} (got {n})"
            ))),
        }
    }
}

/// What a numeric cursor points after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A revision id (revision lists, newest first).
    Revision,
    /// A position (search hits, links).
    Offset,
    /// A log entry's id (logs, newest first).
    Log,
}

impl Kind {
    fn tag(self) -> char {
        match self {
            Self::Revision => 'r',
            Self::Offset => 'o',
            Self::Log => 'l',
        }
    }
}

/// The cursor after the title `title`.
pub(crate) fn after_title(title: &str) -> String {
    hex_cursor('t', title.as_bytes())
}

/// `tag` and then `bytes` in hex.
fn hex_cursor(tag: char, bytes: &[u8]) -> String {
    let mut cursor = String::with_capacity(1 + 2 * bytes.len());
    cursor.push(tag);
    for byte in bytes {
        cursor.push_str(&format!("{byte:02x}"));
    }
    cursor
}

/// The bytes behind a cursor made by [`hex_cursor`] with `tag`.
fn hex_bytes(tag: char, cursor: &str) -> Result<Vec<u8>, ApiError> {
    let hex = cursor.strip_prefix(tag).ok_or_else(|| invalid(cursor))?;
    if hex.is_empty() || hex.len() % 2 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(cursor));
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| invalid(cursor))
}

/// The separator of a keyset's values (a control character: no title, date or sort key has it).
const UNIT: u8 = 0x1f;

/// A keyset cursor of the list tagged `tag`: the sort key of the last item shown.
pub(crate) fn after_key(tag: char, values: &[&str]) -> String {
    hex_cursor(tag, values.join("\u{1f}").as_bytes())
}

/// The `N` values of a keyset cursor of the list tagged `tag`.
pub(crate) fn key<const N: usize>(tag: char, cursor: &str) -> Result<[String; N], ApiError> {
    let bytes = hex_bytes(tag, cursor)?;
    let values: Vec<String> = bytes
        .split(|&b| b == UNIT)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    values.try_into().map_err(|_| invalid(cursor))
}

/// The cursor after the number `n` (a revision id or an offset).
pub(crate) fn after_number(kind: Kind, n: u64) -> String {
    format!("{}{n:x}", kind.tag())
}

/// 400: `cursor` is not one of this list's.
pub(crate) fn invalid(cursor: &str) -> ApiError {
    ApiError::BadParameter(format!("{cursor:?} is not a cursor of this list"))
}

/// The title behind a title cursor (bytes that are not UTF-8 become U+FFFD: any such cursor
/// still names a place in title order).
pub(crate) fn title(cursor: &str) -> Result<String, ApiError> {
    Ok(String::from_utf8_lossy(&hex_bytes('t', cursor)?).into_owned())
}

/// The number behind a revision or offset cursor.
pub(crate) fn number(kind: Kind, cursor: &str) -> Result<u64, ApiError> {
    let hex = cursor
        .strip_prefix(kind.tag())
        .ok_or_else(|| invalid(cursor))?;
    if hex.is_empty() || hex.len() > 15 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(cursor));
    }
    u64::from_str_radix(hex, 16).map_err(|_| invalid(cursor))
}

/// The tag of a search cursor: a hit's place in the ranking.
const HIT_TAG: char = 's';

/// The search cursor after the hit ranked `rank` in index row `row`: the rank's bits (16 hex
/// digits), then the row in hex.
pub(crate) fn after_hit(rank: f64, row: i64) -> String {
    format!("{HIT_TAG}{:016x}{:x}", rank.to_bits(), row.max(0))
}

/// The rank and row behind a search cursor. Every string of the documented form is one: a
/// rank that is not a number names the end of the ranking.
pub(crate) fn hit(cursor: &str) -> Result<(f64, i64), ApiError> {
    let hex = cursor
        .strip_prefix(HIT_TAG)
        .ok_or_else(|| invalid(cursor))?;
    if !(17..=31).contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid(cursor));
    }
    let (bits, row) = hex.split_at(16);
    let bits = u64::from_str_radix(bits, 16).map_err(|_| invalid(cursor))?;
    let row = u64::from_str_radix(row, 16).map_err(|_| invalid(cursor))?;
    let rank = f64::from_bits(bits);
    let rank = if rank.is_nan() { f64::INFINITY } else { rank };
    Ok((rank, i64::try_from(row).unwrap_or(i64::MAX)))
}

/// Cuts `items` (fetched with one extra) to `limit`, with the cursor for the rest, if any.
pub(crate) fn page<T>(
    mut items: Vec<T>,
    limit: usize,
    cursor: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    if items.len() > limit {
        items.truncate(limit);
        let next = items.last().map(cursor);
        (items, next)
    } else {
        (items, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_keep_to_their_kind() {
        let cursor = after_title("Ada Lovelace/é");
        assert_eq!(title(&cursor).unwrap(), "Ada Lovelace/é");
        assert!(number(Kind::Revision, &cursor).is_err());
        assert!(title("t4").is_err());
        assert!(title("tzz").is_err());
        assert!(title("t").is_err());
        assert_eq!(title("tff").unwrap(), "\u{fffd}");
        let revision = after_number(Kind::Revision, 42);
        assert_eq!(revision, "r2a");
        assert_eq!(number(Kind::Revision, &revision).unwrap(), 42);
        assert!(number(Kind::Offset, &revision).is_err());
        assert!(number(Kind::Revision, "r").is_err());
        assert!(number(Kind::Revision, "rfffffffffffffffff").is_err());
        assert_eq!(
            number(Kind::Revision, "rfffffffffffffff").unwrap(),
            0xfff_ffff_ffff_ffff
        );
    }

    #[test]
    fn search_cursors_round_trip_and_every_one_names_a_place() {
        let cursor = after_hit(-3.25, 1_000_017);
        assert_eq!(hit(&cursor).unwrap(), (-3.25, 1_000_017));
        assert_eq!(hit(&after_hit(0.0, 0)).unwrap(), (0.0, 0));
        assert_eq!(hit("sfff8000000000000ff").unwrap(), (f64::INFINITY, 255));
        assert_eq!(
            hit("s0000000000000000fffffffffffffff").unwrap().1,
            0xfff_ffff_ffff_ffff
        );
        assert!(hit("s0000000000000000").is_err());
        assert!(hit("o2").is_err());
        assert!(hit("s00000000000000001g").is_err());
    }

    #[test]
    fn keyset_cursors_round_trip_and_keep_to_their_list() {
        let cursor = after_key('p', &["1", "", "Lovelace, Ada", "Ada Lovelace"]);
        let values: [String; 4] = key('p', &cursor).unwrap();
        assert_eq!(values, ["1", "", "Lovelace, Ada", "Ada Lovelace"]);
        assert!(key::<4>('e', &cursor).is_err());
        assert!(key::<3>('p', &cursor).is_err());
        assert!(key::<2>('p', "o2").is_err());
    }

    #[test]
    fn a_page_has_a_cursor_only_when_more_follow() {
        let cursor = |n: &u64| after_number(Kind::Offset, *n);
        let (items, next) = page(vec![1, 2, 3], 2, cursor);
        assert_eq!(items, [1, 2]);
        assert_eq!(next.as_deref(), Some("o2"));
        let (items, next) = page(vec![1, 2], 2, cursor);
        assert_eq!(items, [1, 2]);
        assert_eq!(next, None);
    }

    #[test]
    fn limits_are_bounded() {
        let query = |limit| ListQuery {
            limit,
            cursor: None,
        };
        assert_eq!(query(None).limit().unwrap(), DEFAULT_LIMIT);
        assert_eq!(query(Some(500)).limit().unwrap(), 500);
        assert!(query(Some(0)).limit().is_err());
        assert!(query(Some(501)).limit().is_err());
    }
}
