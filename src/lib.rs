//! Plutarch: a self-hosted wiki-style knowledge base of biographies.
//!
//! Layers (imports point one way): `doc` <- `markup`, `render`, `bio`; `markup` + `bio` + `store` <- `wiki`
//! <- `web`; `cli` drives them all. See `DESIGN.md` in the shared folder for the map.
#![warn(missing_docs)]

pub mod auth;
pub mod bio;
pub mod cli;
pub mod doc;
pub mod markup;
pub mod media;
pub mod render;
pub mod store;
pub mod web;
pub mod wiki;

pub use web::{AppState, app};
