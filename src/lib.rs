//! Plutarch: a self-hosted wiki-style knowledge base of biographies.
//!
//! Layers (imports point one way): `doc` <- `markup`, `render`; `markup` + `store` <- `wiki`
//! <- `web`. See `DESIGN.md` in the shared folder for the map.
#![warn(missing_docs)]

pub mod doc;
pub mod markup;
pub mod render;
