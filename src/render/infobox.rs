//! Infoboxes as Wikipedia draws them: titled from `name` (else the page's title), the image
//! as a figure with its caption, "Born" and "Died" rows (date, age, place), numbered
//! parameters grouped (office blocks with their terms and predecessors, `years1/clubs1/caps1/
//! goals1` career tables, `label1/data1` rows), layout parameters hidden, `* item` values as
//! lists, labels from a table of the common biography infoboxes and humanised otherwise.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::article::Renderer;
use crate::bio::args::{has_content, named};
use crate::doc::template_kinds::PORTRAIT_PARAMETERS;
use crate::doc::{Inline, Param, Template, plain_text};

/// Parameters that are layout, not facts (compared in lower case, `_` as a space).
const LAYOUT: &[&str] = &[
    "name",
    "image",
    "image size",
    "imagesize",
    "image upright",
    "upright",
    "alt",
    "image alt",
    "caption",
    "image caption",
    "signature",
    "signature alt",
    "signature size",
    "module",
    "module2",
    "module3",
    "embed",
    "child",
    "honorific prefix",
    "honorific suffix",
    "honorific-prefix",
    "honorific-suffix",
    "landscape",
    "box width",
    "pushpin map",
    "pushpin label position",
    "pushpin map caption",
    "pushpin relief",
    "mapframe",
    "coordinates display",
    "logo",
    "logo size",
    "logo alt",
    "footnotes",
    "bodyclass",
    "above",
    "title",
    "birth date",
    "birth place",
    "birth name",
    "death date",
    "death place",
    "death cause",
    "caption align",
    "nocat",
    "nocat wdimage",
    "onlysourced",
    "fetchwikidata",
    "qid",
    "suppressfields",
    "noicon",
    "image_map",
];

/// Whether a parameter is layout (hidden), not a fact.
pub(crate) fn is_layout_param(name: &str) -> bool {
    let key = name.trim().to_lowercase().replace('_', " ");
    LAYOUT.contains(&key.as_str())
        || key.ends_with("style")
        || key.ends_with(" size")
        || key.ends_with("width")
        || key.ends_with(" alt")
        || key.ends_with("class")
        || key.starts_with("pushpin")
        || key.starts_with("map ")
}

/// Labels of the common biography infoboxes (person, officeholder, scientist, writer, artist,
/// musical artist, football biography, sportsperson, military person, politician).
const LABELS: &[(&str, &str)] = &[
    ("native name", "Native name"),
    ("other names", "Other names"),
    ("known for", "Known for"),
    ("notable works", "Notable work"),
    ("notableworks", "Notable work"),
    ("notable work", "Notable work"),
    ("occupation", "Occupation"),
    ("occupations", "Occupations"),
    ("nationality", "Nationality"),
    ("citizenship", "Citizenship"),
    ("education", "Education"),
    ("alma mater", "Alma mater"),
    ("spouse", "Spouse(s)"),
    ("spouses", "Spouse(s)"),
    ("partner", "Partner(s)"),
    ("children", "Children"),
    ("parents", "Parent(s)"),
    ("mother", "Mother"),
    ("father", "Father"),
    ("relatives", "Relatives"),
    ("relations", "Relations"),
    ("residence", "Residence"),
    ("resting place", "Resting place"),
    ("monuments", "Monuments"),
    ("awards", "Awards"),
    ("honours", "Honours"),
    ("fields", "Fields"),
    ("field", "Fields"),
    ("workplaces", "Institutions"),
    ("institutions", "Institutions"),
    ("doctoral advisor", "Doctoral advisor"),
    ("doctoral students", "Doctoral students"),
    ("influences", "Influences"),
    ("influenced", "Influenced"),
    ("thesis title", "Thesis"),
    ("genre", "Genres"),
    ("genres", "Genres"),
    ("movement", "Movement"),
    ("period", "Period"),
    ("language", "Language"),
    ("instrument", "Instruments"),
    ("instruments", "Instruments"),
    ("years active", "Years active"),
    ("yearsactive", "Years active"),
    ("label", "Labels"),
    ("labels", "Labels"),
    ("associated acts", "Associated acts"),
    ("origin", "Origin"),
    ("website", "Website"),
    ("height", "Height"),
    ("weight", "Weight"),
    ("position", "Position"),
    ("currentclub", "Current team"),
    ("current club", "Current team"),
    ("clubnumber", "Number"),
    ("youthclubs", "Youth career"),
    ("fullname", "Full name"),
    ("full name", "Full name"),
    ("party", "Political party"),
    ("otherparty", "Other political affiliations"),
    ("allegiance", "Allegiance"),
    ("branch", "Service/branch"),
    ("serviceyears", "Years of service"),
    ("service years", "Years of service"),
    ("rank", "Rank"),
    ("unit", "Unit"),
    ("commands", "Commands held"),
    ("battles", "Battles/wars"),
    ("laterwork", "Other work"),
    ("sport", "Sport"),
    ("country", "Country"),
    ("event", "Event"),
    ("coach", "Coach"),
    ("updated", "Updated"),
    ("net worth", "Net worth"),
    ("religion", "Religion"),
    ("signature", "Signature"),
    ("office", "Office"),
    ("constituency", "Constituency"),
];

fn label_of(base: &str) -> String {
    let key = base.trim().to_lowercase().replace('_', " ");
    if let Some((_, label)) = LABELS.iter().find(|(k, _)| *k == key) {
        return (*label).to_string();
    }
    humanize(&key)
}

/// `term_start` → "Term start".
pub(crate) fn humanize(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `office2` → ("office", 2); `years1` → ("years", 1); `stat1label` → ("stat label", 1).
fn numbered(name: &str) -> Option<(String, u32)> {
    let key = name.trim().to_lowercase().replace('_', " ");
    let start = key.find(|c: char| c.is_ascii_digit())?;
    let end = key[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(key.len(), |e| start + e);
    let number: u32 = key[start..end].parse().ok()?;
    let (before, after) = (key[..start].trim_end(), key[end..].trim_start());
    let base = match (before.is_empty(), after.is_empty()) {
        (false, false) => format!("{before} {after}"),
        (false, true) => before.to_string(),
        (true, false) => after.to_string(),
        (true, true) => return None,
    };
    Some((base, number))
}

/// One row of an infobox.
enum Row<'t> {
    /// A header across both columns.
    Header(&'t [Inline<'t>]),
    /// A label and its value.
    Data(String, &'t [Inline<'t>]),
    /// A label and a value we made.
    Made(String, Markup),
}

/// The parameters of an office block, without a number: the first block.
const OFFICE_KEYS: &[&str] = &[
    "office",
    "term start",
    "term end",
    "predecessor",
    "successor",
];

const CAREER: [&str; 4] = ["years", "clubs", "caps", "goals"];
const NATIONAL: [&str; 4] = [
    "nationalyears",
    "nationalteam",
    "nationalcaps",
    "nationalgoals",
];
const MANAGER: [&str; 2] = ["manageryears", "managerclubs"];

impl Renderer<'_> {
    pub(crate) fn infobox(&self, t: &Template) -> Markup {
        let title = named(t, &["name", "title"]);
        let page_title = self.options.page_title.unwrap_or("");
        let mut rows: Vec<Row> = Vec::new();
        // Born and died, as Wikipedia shows them.
        let born = [
            named(t, &["birth_name", "birthname"]),
            named(t, &["birth_date", "birthdate", "date_of_birth"]),
            named(t, &["birth_place", "birthplace", "place_of_birth"]),
        ];
        if born.iter().any(Option::is_some) {
            rows.push(Row::Made("Born".into(), self.stacked(&born)));
        }
        let died = [
            named(t, &["death_date", "deathdate", "date_of_death"]),
            named(t, &["death_place", "deathplace", "place_of_death"]),
        ];
        if died.iter().any(Option::is_some) {
            rows.push(Row::Made("Died".into(), self.stacked(&died)));
        }
        if let Some(cause) = named(t, &["death_cause"]) {
            rows.push(Row::Data("Cause of death".into(), &cause.value));
        }
        // Numbered parameters, by number.
        let mut groups: BTreeMap<u32, Vec<(String, &Param)>> = BTreeMap::new();
        for p in &t.params {
            let Some(name) = p.name.as_deref() else {
                continue;
            };
            if !has_content(&p.value) || is_layout_param(name) {
                continue;
            }
            let unnumbered_office =
                OFFICE_KEYS.contains(&name.trim().to_lowercase().replace('_', " ").as_str());
            if unnumbered_office {
                // `office`, `term_start`… without a number are the first office block.
                groups
                    .entry(0)
                    .or_default()
                    .push((name.trim().to_lowercase().replace('_', " "), p));
                continue;
            }
            match numbered(name) {
                Some((base, _)) if is_layout_param(&base) => {}
                Some((base, n)) => groups.entry(n).or_default().push((base, p)),
                None => {
                    if !is_born_or_died(name) {
                        rows.push(Row::Data(label_of(name), &p.value));
                    }
                }
            }
        }
        let mut career: BTreeMap<&str, Vec<[String; 4]>> = BTreeMap::new();
        for group in groups.values() {
            let get = |base: &str| {
                group
                    .iter()
                    .find(|(b, _)| b == base)
                    .map(|(_, p)| p.value.as_slice())
            };
            let text = |base: &str| get(base).map(|v| plain_text(v).trim().to_string());
            for (table, columns) in [
                ("Senior career", CAREER.as_slice()),
                ("International career", NATIONAL.as_slice()),
                ("Teams managed", MANAGER.as_slice()),
            ] {
                if get(columns[0]).is_some() || get(columns[1]).is_some() {
                    let mut row: [String; 4] = Default::default();
                    for (i, c) in columns.iter().enumerate() {
                        row[i] = text(c).unwrap_or_default();
                    }
                    career.entry(table).or_default().push(row);
                }
            }
            if let Some(office) = get("office").or_else(|| get("title")) {
                rows.push(Row::Header(office));
                let start = text("term start").unwrap_or_default();
                let end = text("term end").unwrap_or_default();
                if !start.is_empty() || !end.is_empty() {
                    let term = format!("{start} \u{2013} {end}");
                    rows.push(Row::Made("In office".into(), html! { (term.trim()) }));
                }
            }
            if let Some(header) = get("header") {
                rows.push(Row::Header(header));
            }
            if let (Some(label), Some(data)) = (get("label"), get("data")) {
                rows.push(Row::Made(
                    plain_text(label).trim().to_string(),
                    html! { (self.inlines(data)) },
                ));
            }
            if let (Some(label), Some(value)) = (get("stat label"), get("stat value")) {
                rows.push(Row::Made(
                    plain_text(label).trim().to_string(),
                    html! { (self.inlines(value)) },
                ));
            }
            for (base, p) in group {
                let used = CAREER.contains(&base.as_str())
                    || NATIONAL.contains(&base.as_str())
                    || MANAGER.contains(&base.as_str())
                    || matches!(
                        base.as_str(),
                        "office"
                            | "title"
                            | "term start"
                            | "term end"
                            | "header"
                            | "label"
                            | "data"
                            | "stat label"
                            | "stat value"
                    );
                if !used {
                    rows.push(Row::Data(label_of(base), &p.value));
                }
            }
        }
        let caption_text = named(t, &["caption", "image_caption"]);
        let image_size =
            named(t, &["image_size", "imagesize", "image size"]).map(|p| plain_text(&p.value));
        let image_alt = named(t, &["alt", "image_alt"]).map(|p| plain_text(&p.value));
        html! {
            table.infobox {
                caption.infobox-title {
                    @if let Some(title) = title { (self.inlines(&title.value)) } @else { (page_title) }
                }
                @if let Some(image) = named(t, &PORTRAIT_PARAMETERS) {
                    tr { td.infobox-image colspan="2" {
                        (self.infobox_image(&image.value, caption_text.map(|c| c.value.as_slice()).unwrap_or(&[]), image_size.as_deref(), image_alt.as_deref()))
                    } }
                }
                @for row in &rows {
                    @match row {
                        Row::Header(content) => { tr { th.infobox-header colspan="2" { (self.inlines(content)) } } }
                        Row::Data(label, value) => { tr { th scope="row" { (label) } td { (self.infobox_value(value)) } } }
                        Row::Made(label, markup) => { tr { th scope="row" { (label) } td { (markup) } } }
                    }
                }
                @for (name, lines) in &career {
                    tr { th.infobox-header colspan="2" { (name) } }
                    tr { td.infobox-career colspan="2" {
                        table.infobox-career {
                            tr { th scope="col" { "Years" } th scope="col" { "Team" } @if *name != "Teams managed" { th scope="col" { "Apps" } th scope="col" { "(Gls)" } } }
                            @for line in lines {
                                tr {
                                    td { (line[0]) } td { (line[1]) }
                                    @if *name != "Teams managed" {
                                        td.number { (line[2]) }
                                        td.number { @if !line[3].is_empty() { "(" (line[3]) ")" } }
                                    }
                                }
                            }
                        }
                    } }
                }
            }
        }
    }

    /// Values one under the other (a "Born" row: name, date, place).
    fn stacked(&self, values: &[Option<&Param>]) -> Markup {
        html! {
            @for (i, v) in values.iter().flatten().enumerate() {
                @if i > 0 { br; }
                (self.inlines(&v.value))
            }
        }
    }

    /// A value: `* item` lines as a list, else the value.
    fn infobox_value(&self, value: &[Inline]) -> Markup {
        let starts_list = matches!(value.first(), Some(Inline::Text { text }) if text.trim_start().starts_with('*'));
        if !starts_list {
            return html! { (self.inlines(value)) };
        }
        let mut items: Vec<Vec<Inline>> = vec![Vec::new()];
        for inline in value {
            match inline {
                Inline::Text { text } => {
                    let mut lines = text.split('\n');
                    if let Some(first) = lines.next() {
                        push_text(items.last_mut(), first);
                    }
                    for line in lines {
                        items.push(Vec::new());
                        push_text(items.last_mut(), line);
                    }
                }
                other => {
                    if let Some(last) = items.last_mut() {
                        last.push(other.clone());
                    }
                }
            }
        }
        items.retain(|i| has_content(i));
        html! { ul.infobox-list { @for item in &items { li { (self.inlines(item)) } } } }
    }
}

fn push_text<'t>(item: Option<&mut Vec<Inline<'t>>>, text: &str) {
    let text = text.trim_start_matches(['*', ' ']);
    if let Some(item) = item {
        if !text.is_empty() {
            item.push(Inline::text(text.to_string()));
        }
    }
}

fn is_born_or_died(name: &str) -> bool {
    let key = name.trim().to_lowercase().replace('_', " ");
    matches!(
        key.as_str(),
        "birth date"
            | "birthdate"
            | "date of birth"
            | "birth place"
            | "birthplace"
            | "place of birth"
            | "birth name"
            | "birthname"
            | "death date"
            | "deathdate"
            | "date of death"
            | "death place"
            | "deathplace"
            | "place of death"
            | "death cause"
            | "photo"
            | "bild"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_give_their_base_and_number() {
        assert_eq!(numbered("years1"), Some(("years".into(), 1)));
        assert_eq!(numbered("term_start2"), Some(("term start".into(), 2)));
        assert_eq!(numbered("stat1label"), Some(("stat label".into(), 1)));
        assert_eq!(numbered("office"), None);
    }

    #[test]
    fn labels_come_from_the_table_or_are_humanised() {
        assert_eq!(label_of("alma_mater"), "Alma mater");
        assert_eq!(label_of("spouse"), "Spouse(s)");
        assert_eq!(label_of("favourite_colour"), "Favourite colour");
        assert!(is_layout_param("image_size"));
        assert!(is_layout_param("bodystyle"));
        assert!(!is_layout_param("occupation"));
    }
}
