//! Pagination: `limit` and the opaque `cursor` of every list.
//!
//! A cursor is the hex form of where the previous page stopped (a revision id, a title, an
//! offset), behind a letter that says which kind, so a cursor of one list is refused by
//! another instead of being misread.

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
            Some(n) => Err(ApiError::BadRequest(format!(
                "limit must be between 1 and {MAX_LIMIT} (got {n})"
            ))),
        }
    }
}

/// What a cursor points after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A revision id (revision lists, newest first).
    Revision,
    /// A title (page lists, backlinks).
    Title,
    /// A position (search hits, links).
    Offset,
}

impl Kind {
    fn tag(self) -> char {
        match self {
            Self::Revision => 'r',
            Self::Title => 't',
            Self::Offset => 'o',
        }
    }
}

/// The cursor for a list that stopped at `value`.
pub(crate) fn encode(kind: Kind, value: &str) -> String {
    let mut cursor = String::with_capacity(1 + 2 * value.len());
    cursor.push(kind.tag());
    for byte in value.bytes() {
        cursor.push_str(&format!("{byte:02x}"));
    }
    cursor
}

/// The value behind `cursor`, if it is a cursor of this kind of list.
pub(crate) fn decode(kind: Kind, cursor: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::BadRequest(format!("{cursor:?} is not a cursor of this list"));
    let hex = cursor.strip_prefix(kind.tag()).ok_or_else(invalid)?;
    if hex.len() % 2 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| invalid())?;
    String::from_utf8(bytes).map_err(|_| invalid())
}

/// A numeric cursor (a revision id or an offset).
pub(crate) fn decode_number(kind: Kind, cursor: &str) -> Result<i64, ApiError> {
    decode(kind, cursor)?
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("{cursor:?} is not a cursor of this list")))
}

/// Cuts `items` (fetched with one extra) to `limit`, with the cursor for the rest, if any.
pub(crate) fn page<T>(
    mut items: Vec<T>,
    limit: usize,
    kind: Kind,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    if items.len() > limit {
        items.truncate(limit);
        let next = items.last().map(|last| encode(kind, &key(last)));
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
        let cursor = encode(Kind::Title, "Ada Lovelace/é");
        assert_eq!(decode(Kind::Title, &cursor).unwrap(), "Ada Lovelace/é");
        assert!(decode(Kind::Revision, &cursor).is_err());
        assert!(decode(Kind::Title, "t4").is_err());
        assert!(decode(Kind::Title, "tzz").is_err());
        assert_eq!(
            decode_number(Kind::Revision, &encode(Kind::Revision, "42")).unwrap(),
            42
        );
    }

    #[test]
    fn a_page_has_a_cursor_only_when_more_follow() {
        let (items, next) = page(vec![1, 2, 3], 2, Kind::Offset, |n| n.to_string());
        assert_eq!(items, [1, 2]);
        assert_eq!(next.as_deref(), Some("o32"));
        let (items, next) = page(vec![1, 2], 2, Kind::Offset, |n| n.to_string());
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
