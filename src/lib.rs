//! Plutarch: a self-hosted wiki-style knowledge base of biographies.
#![warn(missing_docs)]
