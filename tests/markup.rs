//! The markup engine: parse, outline, render. One binary, a module per feature.

#[path = "markup/comment_headings.rs"]
mod comment_headings;
#[path = "markup/common.rs"]
mod common;
#[path = "markup/corpus.rs"]
mod corpus;
#[path = "markup/cost.rs"]
mod cost;
#[path = "markup/counting.rs"]
mod counting;
#[path = "markup/documents.rs"]
mod documents;
#[path = "markup/expansion.rs"]
mod expansion;
#[path = "markup/hostile.rs"]
mod hostile;
#[path = "markup/leftovers.rs"]
mod leftovers;
#[path = "markup/mediawiki_headings.rs"]
mod mediawiki_headings;
#[path = "markup/pieces.rs"]
mod pieces;
#[path = "markup/properties.rs"]
mod properties;
#[path = "markup/reference_groups.rs"]
mod reference_groups;
#[path = "markup/render_html.rs"]
mod render_html;
#[path = "markup/sections.rs"]
mod sections;
#[path = "markup/template_kinds.rs"]
mod template_kinds;
