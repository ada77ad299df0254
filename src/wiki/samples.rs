//! The pages a new wiki starts with: the main page and sample biographies from `samples/`.

use crate::store::{self, Db, StoreError, pages};

use super::save::{SaveRequest, save_in};
use super::{Title, WikiError};

/// The built-in system account that authors the samples (it cannot sign in).
pub const SYSTEM_USER_ID: i64 = 1;

/// The sample pages, compiled into the binary from the repository's `samples/` folder.
const SAMPLES: &[(&str, &str)] = &[
    ("Main Page", include_str!("../../samples/Main Page.wiki")),
    (
        "Ada Lovelace",
        include_str!("../../samples/Ada Lovelace.wiki"),
    ),
    (
        "Alan Turing",
        include_str!("../../samples/Alan Turing.wiki"),
    ),
    (
        "Elspeth Varga (fictional)",
        include_str!("../../samples/Elspeth Varga (fictional).wiki"),
    ),
    (
        "Marie Skłodowska-Curie",
        include_str!("../../samples/Marie Skłodowska-Curie.wiki"),
    ),
    (
        "Mary Seacole",
        include_str!("../../samples/Mary Seacole.wiki"),
    ),
    ("Plutarch", include_str!("../../samples/Plutarch.wiki")),
    (
        "Srinivasa Ramanujan",
        include_str!("../../samples/Srinivasa Ramanujan.wiki"),
    ),
];

/// On a database without pages, saves the main page and the sample biographies.
/// Returns how many pages it created (0 when the wiki already had pages).
pub fn ensure_samples(db: &Db) -> Result<usize, WikiError> {
    let titles = SAMPLES
        .iter()
        .map(|(name, text)| Ok((Title::new(name)?, *text)))
        .collect::<Result<Vec<_>, WikiError>>()?;
    let created = db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        if pages::count(&tx)? > 0 {
            return Ok(Ok(0));
        }
        for (title, text) in &titles {
            let request = SaveRequest {
                title: title.clone(),
                markup: (*text).to_owned(),
                base_revision: None,
                section: None,
                summary: "Sample page".to_owned(),
                author_id: SYSTEM_USER_ID,
            };
            if let Err(e) = save_in(&tx, &request) {
                return Ok(Err(e));
            }
        }
        tx.commit()?;
        Ok::<_, StoreError>(Ok(titles.len()))
    })??;
    Ok(created)
}
