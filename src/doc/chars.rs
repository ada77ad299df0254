//! The one rule for characters that show nothing: names and titles refuse them, since `K`,
//! U+200B, `hidden` looks exactly like `Khidden`.

/// Whether `c` shows nothing or reorders what is around it: zero-width characters and joiners,
/// bidirectional controls and marks, the line and paragraph separators, invisible operators,
/// the byte-order mark, the soft hyphen, and the fillers and separators some scripts have
/// that draw as blank.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// `text` with each invisible character written out as `<U+200B>`, to show a title that hides
/// one.
pub fn reveal(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            shown.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_hides_is_caught_and_what_shows_is_not() {
        for c in [
            '\u{200B}', '\u{202E}', '\u{FEFF}', '\u{2028}', '\u{2066}', '\u{00AD}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        assert_eq!(reveal("K\u{200B}hidden"), "K<U+200B>hidden");
        for c in ['K', ' ', '\u{00A0}', 'é', 'ł', '–', '\u{0301}'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }
}
