//! MediaWiki XML dumps in and out, with full history (issue 19): `plutarch import-xml` and
//! `plutarch export-xml`.

mod export;
mod import;
mod input;
mod prepare;
pub mod read;
pub mod write;

pub use export::{LeftOut, XmlExport, export_xml};
pub use import::{HIDDEN_AUTHOR, LOGGED_AS, Problem, Progress, XmlImport, import_xml};
pub use write::Site;
