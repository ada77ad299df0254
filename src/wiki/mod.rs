//! The rules of the wiki: titles, saving edits, the pages a new wiki starts with.
//!
//! Web handlers and the CLI call these functions; this module decides, `store` keeps.

mod read;
pub mod samples;
pub mod title;

pub use read::{PageView, read_page};
pub use title::{Title, TitleError};

use crate::store::StoreError;

/// The title of the page shown at `/`.
pub const MAIN_PAGE: &str = "Main Page";

/// What can go wrong when applying the wiki's rules.
#[derive(Debug, thiserror::Error)]
pub enum WikiError {
    /// The title is not acceptable.
    #[error(transparent)]
    Title(#[from] TitleError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The current time as stored in revisions: RFC 3339 in UTC, second precision.
pub(crate) fn now_timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.format(&format)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}
