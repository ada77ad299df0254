//! Country names for `{{flagicon|ESP}}` and its cousins: a flag template shows the country's
//! name (we draw no flag images), from the three-letter codes sports tables use.

const CODES: &[(&str, &str)] = &[
    ("ARG", "Argentina"),
    ("AUS", "Australia"),
    ("AUT", "Austria"),
    ("BEL", "Belgium"),
    ("BRA", "Brazil"),
    ("CAN", "Canada"),
    ("CHE", "Switzerland"),
    ("CHN", "China"),
    ("CZE", "Czech Republic"),
    ("DEN", "Denmark"),
    ("DEU", "Germany"),
    ("DNK", "Denmark"),
    ("ENG", "England"),
    ("ESP", "Spain"),
    ("FIN", "Finland"),
    ("FRA", "France"),
    ("GBR", "United Kingdom"),
    ("GER", "Germany"),
    ("GRC", "Greece"),
    ("GRE", "Greece"),
    ("HUN", "Hungary"),
    ("IND", "India"),
    ("IRL", "Ireland"),
    ("ITA", "Italy"),
    ("JPN", "Japan"),
    ("MEX", "Mexico"),
    ("NED", "Netherlands"),
    ("NIR", "Northern Ireland"),
    ("NLD", "Netherlands"),
    ("NOR", "Norway"),
    ("NZL", "New Zealand"),
    ("PAK", "Pakistan"),
    ("POL", "Poland"),
    ("POR", "Portugal"),
    ("PRT", "Portugal"),
    ("RSA", "South Africa"),
    ("RUS", "Russia"),
    ("SCO", "Scotland"),
    ("SMR", "San Marino"),
    ("SUI", "Switzerland"),
    ("SWE", "Sweden"),
    ("TUR", "Turkey"),
    ("UK", "United Kingdom"),
    ("US", "United States"),
    ("USA", "United States"),
    ("WAL", "Wales"),
    ("ZAF", "South Africa"),
];

/// The name of the country a flag template names: from its code, else as written.
pub(crate) fn country_name(code_or_name: &str) -> &str {
    CODES
        .iter()
        .find(|(c, _)| *c == code_or_name)
        .map_or(code_or_name, |(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_names_and_names_stay() {
        assert_eq!(country_name("ESP"), "Spain");
        assert_eq!(country_name("Scotland"), "Scotland");
    }
}
