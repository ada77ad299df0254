//! Integration tests: the real router over a temporary database, and the real binary.
//! One binary, a module per feature.

mod api;
mod api_bio;
mod api_cache;
mod api_concurrency;
mod api_cors;
mod api_openapi;
mod api_support;
mod api_writes;
mod auth;
mod browser;
mod browser_support;
mod cli;
mod guard;
mod hostile;
mod import_export;
mod page_actions;
mod pages;
mod security;
mod server;
mod sources;
mod store;
mod support;
mod web;
mod web_bio;
