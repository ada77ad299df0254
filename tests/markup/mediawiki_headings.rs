//! mediawiki_headings
