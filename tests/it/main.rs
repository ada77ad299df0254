//! Integration tests: the real router over a temporary database, and the real binary.
//! One binary, a module per feature.

mod api;
mod api_support;
mod cli;
mod pages;
mod store;
mod support;
