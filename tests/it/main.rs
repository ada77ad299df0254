//! Integration tests: the real router over a temporary database, and the real binary.
//! One binary, a module per feature.

mod api;
mod api_bio;
mod api_cache;
mod api_concurrency;
mod api_cors;
mod api_openapi;
mod api_preconditions;
mod api_support;
mod api_writes;
mod auth;
mod bio_text;
mod browser;
mod browser_support;
mod citations;
mod cli;
mod connections;
mod deadlines;
mod guard;
mod hostile;
mod import_export;
mod invalidation;
mod jobs;
mod namespaces;
mod page_actions;
mod pages;
mod read_only;
mod security;
mod server;
mod sources;
mod store;
mod support;
mod web;
mod web_bio;
mod worst_pages;
