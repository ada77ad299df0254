//! The biography layer: whether a page is about a person, the person's facts as typed values
//! (dates with their precision, places with their links, memberships with their dates), the
//! citation check, and the timeline. Pure: it reads a parsed [`Document`](crate::doc::Document)
//! and knows nothing of storage or HTTP.

pub mod args;
mod biography;
pub mod boilerplate;
mod checks;
mod citations;
pub mod cites;
pub mod dates;
pub mod evidence;
pub mod kinds;
mod lead;
pub mod mentions;
mod origin;
mod person;
mod prose;
pub mod quotes;
mod text_events;
mod timeline;
mod values;
mod when;

pub use biography::{
    Because, Biography, MAX_TEXT_EVENTS, biography, biography_unchecked, has_person_category,
    has_persondata, why_a_person,
};
pub use checks::{Check, Compared};
pub use citations::unsourced_sections;
pub use dates::{FactDate, PartialDate, Precision, Reading, TemplateDate};
pub use origin::{Origin, TextOrigin};
pub use person::{Person, has_infobox, is_infobox, person};
pub use timeline::{Event, EventKind, events};
pub use values::{FactValue, MAX_ITEMS};
pub use when::Qualifier;
