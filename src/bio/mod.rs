//! The biography layer: whether a page is about a person, the person's facts as typed values
//! (dates with their precision, places with their links, memberships with their dates), the
//! citation check, and the timeline. Pure: it reads a parsed [`Document`](crate::doc::Document)
//! and knows nothing of storage or HTTP.

pub mod args;
pub mod boilerplate;
mod citations;
pub mod dates;
pub mod kinds;
pub mod mentions;
mod person;
pub mod quotes;
mod timeline;
mod values;

pub use citations::unsourced_sections;
pub use dates::{FactDate, PartialDate, Precision, Reading, TemplateDate};
pub use person::{Person, has_infobox, is_infobox, person};
pub use timeline::{Event, EventKind, events};
pub use values::{FactValue, MAX_ITEMS};
