//! Integration tests: the real router over a temporary database, and the real binary.
//! One binary, a module per feature.

mod auth;
mod cli;
mod pages;
mod security;
mod support;
