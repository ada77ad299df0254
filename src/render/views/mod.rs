//! Whole pages: the layout and the views the web handlers fill. Pure functions returning
//! `Markup`; everything from users is escaped by maud.

pub mod account;
pub mod errors;
mod layout;
pub mod read;

pub use layout::{Layout, SignedIn, layout};

/// The stylesheet, served at `/static/style.css`.
pub const STYLESHEET: &str = include_str!("../../../static/style.css");
