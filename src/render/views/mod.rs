//! Whole pages: the layout and the views the web handlers fill. Pure functions returning
//! `Markup`; everything from users is escaped by maud.

pub mod account;
pub mod authors;
pub mod contributions;
pub mod diff;
pub mod edit;
pub mod errors;
pub mod feed;
pub mod files;
pub mod history;
pub mod info;
pub mod jobs;
mod layout;
pub mod lists;
pub mod moderation;
pub mod mw_diff;
pub mod own_account;
pub mod page_actions;
pub mod people;
pub mod read;
pub mod rest;
pub mod rsd;
pub mod source;
pub mod summary;
pub mod talk;
pub mod timeline;
pub mod users_admin;
pub mod view_source;
pub mod watchlist;
pub mod welcome;
pub mod when;

pub use layout::{Layout, PageTabs, SignedIn, layout};

/// The stylesheet, served at `/static/style.css`.
pub const STYLESHEET: &str = include_str!("../../../static/style.css");

/// Where pages link the stylesheet: its URL with a version named by its content (the first 12
/// hex digits of its SHA-256), so a build with another stylesheet is fetched anew however long
/// caches keep the old one.
pub fn stylesheet_url() -> &'static str {
    static URL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(STYLESHEET.as_bytes());
        let version: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        format!("/static/style.css?v={version}")
    });
    &URL
}
