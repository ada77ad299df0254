//! `action=rsd`: the Really Simple Discovery document that `<link rel="EditURI">` in every
//! page head points to.

use crate::render::views::rsd;
use crate::web::AppState;

/// The RSD document (XML) of this wiki.
pub(crate) fn answer(state: &AppState) -> String {
    rsd::document(state.settings().origin().trim_end_matches('/'))
}
