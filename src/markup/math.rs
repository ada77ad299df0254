//! `<math>`: TeX made readable as text (Greek letters and operators as characters,
//! `\frac{a}{b}` as `(a)/(b)`, `x^2` as `x²`), shown in a code box with the TeX as its title.
//! One pass over the source with a bounded stack of brace groups: linear, never recursive.

/// What a `{…}` group turns into when it closes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// Braces that only group: dropped.
    Plain,
    /// The numerator of `\frac`: `(a)/` and the next group is the denominator.
    Numerator,
    /// `(…)`: a denominator, a root, a superscript or subscript too long for characters.
    Parenthesised,
}

/// How deep brace groups are followed; deeper braces are dropped as plain ones.
const MAX_GROUPS: usize = 64;

/// The readable form of the TeX `tex`.
pub(crate) fn readable(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    let mut groups: Vec<Group> = Vec::new();
    // The kind the next `{` opens (set by `\frac`, `\sqrt`, `^`…).
    let mut next = Group::Plain;
    let tex = tex.trim();
    let mut chars = tex.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let name_len = tex[at + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_alphabetic)
                    .count();
                if name_len == 0 {
                    // `\,` `\{` `\\`…: one character escaped.
                    if let Some((_, escaped)) = chars.next() {
                        match escaped {
                            ',' | ';' | ':' | ' ' => out.push(' '),
                            '!' => {}
                            '\\' => out.push_str("; "),
                            other => out.push(other),
                        }
                    }
                    continue;
                }
                let name = &tex[at + 1..at + 1 + name_len];
                for _ in 0..name_len {
                    chars.next();
                }
                match name {
                    "frac" | "dfrac" | "tfrac" | "cfrac" => next = Group::Numerator,
                    "sqrt" => {
                        out.push('√');
                        next = Group::Parenthesised;
                    }
                    _ => match symbol(name) {
                        Some(s) => out.push_str(s),
                        None if DROPPED.contains(&name) => {}
                        None if FUNCTIONS.contains(&name) => out.push_str(name),
                        None => {
                            out.push('\\');
                            out.push_str(name);
                        }
                    },
                }
            }
            '^' | '_' => {
                let table = if c == '^' { SUPERSCRIPTS } else { SUBSCRIPTS };
                let rest = &tex[at + 1..];
                let (body, len) = match rest.strip_prefix('{') {
                    Some(inner) => match inner.find('}') {
                        Some(end) => (&inner[..end], end + 2),
                        None => ("", 0),
                    },
                    None => match rest.chars().next() {
                        Some(ch) => (&rest[..ch.len_utf8()], ch.len_utf8()),
                        None => ("", 0),
                    },
                };
                let mapped: Option<String> = (!body.is_empty())
                    .then(|| body.chars().map(|ch| small(table, ch)).collect())
                    .flatten();
                match mapped {
                    Some(small) => {
                        out.push_str(&small);
                        while chars.peek().is_some_and(|&(i, _)| i < at + 1 + len) {
                            chars.next();
                        }
                    }
                    None => {
                        out.push(c);
                        if rest.starts_with('{') {
                            next = Group::Parenthesised;
                        }
                    }
                }
            }
            '{' => {
                let group = std::mem::replace(&mut next, Group::Plain);
                if groups.len() < MAX_GROUPS {
                    groups.push(group);
                    if group != Group::Plain {
                        out.push('(');
                    }
                }
            }
            '}' => match groups.pop() {
                Some(Group::Numerator) => {
                    out.push_str(")/");
                    next = Group::Parenthesised;
                }
                Some(Group::Parenthesised) => out.push(')'),
                Some(Group::Plain) | None => {}
            },
            '~' => out.push(' '),
            '&' => {}
            c => out.push(c),
        }
    }
    out
}

/// Commands that only change the look (`\displaystyle`, `\left`, `\mathrm`…): their
/// argument stays, the command goes.
const DROPPED: [&str; 27] = [
    "displaystyle",
    "textstyle",
    "scriptstyle",
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "mathcal",
    "mathbb",
    "boldsymbol",
    "text",
    "textrm",
    "textit",
    "textbf",
    "operatorname",
    "rm",
    "limits",
];

/// Functions written as their names (`\sin x` is `sin x`).
const FUNCTIONS: [&str; 15] = [
    "sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "lim", "max", "min", "sup",
    "inf", "det",
];

/// The character of a TeX command, if it names one.
fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" | "vartheta" => "θ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "rho" => "ρ",
        "sigma" => "σ",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" | "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        "times" => "×",
        "cdot" => "·",
        "div" => "÷",
        "pm" => "±",
        "mp" => "∓",
        "le" | "leq" => "≤",
        "ge" | "geq" => "≥",
        "ne" | "neq" => "≠",
        "approx" => "≈",
        "equiv" => "≡",
        "sim" => "∼",
        "propto" => "∝",
        "infty" => "∞",
        "to" | "rightarrow" => "→",
        "leftarrow" => "←",
        "Rightarrow" | "implies" => "⇒",
        "Leftrightarrow" | "iff" => "⇔",
        "sum" => "∑",
        "prod" => "∏",
        "int" => "∫",
        "oint" => "∮",
        "partial" => "∂",
        "nabla" => "∇",
        "in" => "∈",
        "notin" => "∉",
        "subset" => "⊂",
        "subseteq" => "⊆",
        "cup" => "∪",
        "cap" => "∩",
        "forall" => "∀",
        "exists" => "∃",
        "emptyset" | "varnothing" => "∅",
        "ldots" | "dots" | "cdots" => "…",
        "circ" => "∘",
        "degree" => "°",
        "hbar" => "ℏ",
        "ell" => "ℓ",
        "langle" => "⟨",
        "rangle" => "⟩",
        "mid" => "|",
        "quad" | "qquad" => " ",
        _ => return None,
    })
}

const SUPERSCRIPTS: &[(char, char)] = &[
    ('0', '⁰'),
    ('1', '¹'),
    ('2', '²'),
    ('3', '³'),
    ('4', '⁴'),
    ('5', '⁵'),
    ('6', '⁶'),
    ('7', '⁷'),
    ('8', '⁸'),
    ('9', '⁹'),
    ('+', '⁺'),
    ('-', '⁻'),
    ('=', '⁼'),
    ('(', '⁽'),
    (')', '⁾'),
    ('n', 'ⁿ'),
    ('i', 'ⁱ'),
];

const SUBSCRIPTS: &[(char, char)] = &[
    ('0', '₀'),
    ('1', '₁'),
    ('2', '₂'),
    ('3', '₃'),
    ('4', '₄'),
    ('5', '₅'),
    ('6', '₆'),
    ('7', '₇'),
    ('8', '₈'),
    ('9', '₉'),
    ('+', '₊'),
    ('-', '₋'),
    ('=', '₌'),
    ('(', '₍'),
    (')', '₎'),
];

/// `c` as a superscript or subscript character from `table`, if it has one.
fn small(table: &[(char, char)], c: char) -> Option<char> {
    table.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn tex_reads_as_text() {
        assert_eq!(readable(r"E = mc^2"), "E = mc²");
        assert_eq!(readable(r"\frac{a+b}{2}"), "(a+b)/(2)");
        assert_eq!(readable(r"\sqrt{x_1^{2}+\alpha}"), "√(x₁²+α)");
        assert_eq!(readable(r"\sum_{i=1}^{n} i"), "∑_(i=1)ⁿ i");
    }

    #[test]
    fn unknown_commands_and_unbalanced_braces_stay_readable() {
        assert_eq!(readable(r"\displaystyle \mathrm{d}x \foo"), " dx \\foo");
        assert_eq!(readable("}}{{a"), "a");
        assert_eq!(readable("x^"), "x^");
        let deep = "{".repeat(10_000) + "x";
        assert_eq!(readable(&deep), "x");
    }
}
