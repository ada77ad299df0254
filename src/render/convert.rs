//! `{{convert|19000|sqft|m2}}` → `19,000 sq ft (1,800 m²)`: a quantity with its conversion,
//! rounded to the precision the value was given with (or the places asked for), as
//! Wikipedia's Module:Convert does for the common units.

use crate::doc::Template;

/// A unit: its symbol as shown, its full names, its factor to the base unit of its dimension
/// and the unit it converts to by default.
struct Unit {
    code: &'static [&'static str],
    symbol: &'static str,
    name: &'static str,
    plural: &'static str,
    dimension: u8,
    factor: f64,
    default_to: &'static str,
}

const LENGTH: u8 = 1;
const AREA: u8 = 2;
const MASS: u8 = 3;
const TEMPERATURE: u8 = 4;
const SPEED: u8 = 5;
const VOLUME: u8 = 6;

const UNITS: &[Unit] = &[
    Unit {
        code: &["m", "metre", "meter", "metres", "meters"],
        symbol: "m",
        name: "metre",
        plural: "metres",
        dimension: LENGTH,
        factor: 1.0,
        default_to: "ft",
    },
    Unit {
        code: &["km", "kilometre", "kilometer", "kilometres", "kilometers"],
        symbol: "km",
        name: "kilometre",
        plural: "kilometres",
        dimension: LENGTH,
        factor: 1000.0,
        default_to: "mi",
    },
    Unit {
        code: &["cm"],
        symbol: "cm",
        name: "centimetre",
        plural: "centimetres",
        dimension: LENGTH,
        factor: 0.01,
        default_to: "in",
    },
    Unit {
        code: &["mm"],
        symbol: "mm",
        name: "millimetre",
        plural: "millimetres",
        dimension: LENGTH,
        factor: 0.001,
        default_to: "in",
    },
    Unit {
        code: &["mi", "mile", "miles"],
        symbol: "mi",
        name: "mile",
        plural: "miles",
        dimension: LENGTH,
        factor: 1609.344,
        default_to: "km",
    },
    Unit {
        code: &["ft", "foot", "feet"],
        symbol: "ft",
        name: "foot",
        plural: "feet",
        dimension: LENGTH,
        factor: 0.3048,
        default_to: "m",
    },
    Unit {
        code: &["in", "inch", "inches"],
        symbol: "in",
        name: "inch",
        plural: "inches",
        dimension: LENGTH,
        factor: 0.0254,
        default_to: "cm",
    },
    Unit {
        code: &["yd", "yard", "yards"],
        symbol: "yd",
        name: "yard",
        plural: "yards",
        dimension: LENGTH,
        factor: 0.9144,
        default_to: "m",
    },
    Unit {
        code: &["nmi"],
        symbol: "nmi",
        name: "nautical mile",
        plural: "nautical miles",
        dimension: LENGTH,
        factor: 1852.0,
        default_to: "km",
    },
    Unit {
        code: &["m2", "sqm"],
        symbol: "m²",
        name: "square metre",
        plural: "square metres",
        dimension: AREA,
        factor: 1.0,
        default_to: "sqft",
    },
    Unit {
        code: &["km2", "sqkm"],
        symbol: "km²",
        name: "square kilometre",
        plural: "square kilometres",
        dimension: AREA,
        factor: 1e6,
        default_to: "sqmi",
    },
    Unit {
        code: &["sqft", "ft2"],
        symbol: "sq ft",
        name: "square foot",
        plural: "square feet",
        dimension: AREA,
        factor: 0.092_903_04,
        default_to: "m2",
    },
    Unit {
        code: &["sqmi", "mi2"],
        symbol: "sq mi",
        name: "square mile",
        plural: "square miles",
        dimension: AREA,
        factor: 2_589_988.110_336,
        default_to: "km2",
    },
    Unit {
        code: &["ha", "hectare", "hectares"],
        symbol: "ha",
        name: "hectare",
        plural: "hectares",
        dimension: AREA,
        factor: 10_000.0,
        default_to: "acre",
    },
    Unit {
        code: &["acre", "acres"],
        symbol: "acres",
        name: "acre",
        plural: "acres",
        dimension: AREA,
        factor: 4_046.856_422_4,
        default_to: "ha",
    },
    Unit {
        code: &["kg", "kilogram", "kilograms"],
        symbol: "kg",
        name: "kilogram",
        plural: "kilograms",
        dimension: MASS,
        factor: 1.0,
        default_to: "lb",
    },
    Unit {
        code: &["g", "gram", "grams"],
        symbol: "g",
        name: "gram",
        plural: "grams",
        dimension: MASS,
        factor: 0.001,
        default_to: "oz",
    },
    Unit {
        code: &["lb", "pound", "pounds"],
        symbol: "lb",
        name: "pound",
        plural: "pounds",
        dimension: MASS,
        factor: 0.453_592_37,
        default_to: "kg",
    },
    Unit {
        code: &["oz"],
        symbol: "oz",
        name: "ounce",
        plural: "ounces",
        dimension: MASS,
        factor: 0.028_349_523_125,
        default_to: "g",
    },
    Unit {
        code: &["st", "stone"],
        symbol: "st",
        name: "stone",
        plural: "stone",
        dimension: MASS,
        factor: 6.350_293_18,
        default_to: "kg",
    },
    Unit {
        code: &["t", "tonne", "tonnes"],
        symbol: "t",
        name: "tonne",
        plural: "tonnes",
        dimension: MASS,
        factor: 1000.0,
        default_to: "LT",
    },
    Unit {
        code: &["LT", "long ton"],
        symbol: "long tons",
        name: "long ton",
        plural: "long tons",
        dimension: MASS,
        factor: 1_016.046_908_8,
        default_to: "t",
    },
    Unit {
        code: &["C", "°C"],
        symbol: "°C",
        name: "degree Celsius",
        plural: "degrees Celsius",
        dimension: TEMPERATURE,
        factor: 1.0,
        default_to: "F",
    },
    Unit {
        code: &["F", "°F"],
        symbol: "°F",
        name: "degree Fahrenheit",
        plural: "degrees Fahrenheit",
        dimension: TEMPERATURE,
        factor: 1.0,
        default_to: "C",
    },
    Unit {
        code: &["km/h", "kph"],
        symbol: "km/h",
        name: "kilometre per hour",
        plural: "kilometres per hour",
        dimension: SPEED,
        factor: 1.0 / 3.6,
        default_to: "mph",
    },
    Unit {
        code: &["mph"],
        symbol: "mph",
        name: "mile per hour",
        plural: "miles per hour",
        dimension: SPEED,
        factor: 0.447_04,
        default_to: "km/h",
    },
    Unit {
        code: &["m/s"],
        symbol: "m/s",
        name: "metre per second",
        plural: "metres per second",
        dimension: SPEED,
        factor: 1.0,
        default_to: "ft/s",
    },
    Unit {
        code: &["ft/s"],
        symbol: "ft/s",
        name: "foot per second",
        plural: "feet per second",
        dimension: SPEED,
        factor: 0.3048,
        default_to: "m/s",
    },
    Unit {
        code: &["L", "l", "litre", "liter"],
        symbol: "L",
        name: "litre",
        plural: "litres",
        dimension: VOLUME,
        factor: 0.001,
        default_to: "USgal",
    },
    Unit {
        code: &["m3"],
        symbol: "m³",
        name: "cubic metre",
        plural: "cubic metres",
        dimension: VOLUME,
        factor: 1.0,
        default_to: "cuft",
    },
    Unit {
        code: &["cuft"],
        symbol: "cu ft",
        name: "cubic foot",
        plural: "cubic feet",
        dimension: VOLUME,
        factor: 0.028_316_846_592,
        default_to: "m3",
    },
    Unit {
        code: &["USgal", "gal"],
        symbol: "US gal",
        name: "US gallon",
        plural: "US gallons",
        dimension: VOLUME,
        factor: 0.003_785_411_784,
        default_to: "L",
    },
];

fn unit(code: &str) -> Option<&'static Unit> {
    let code = code.trim();
    UNITS.iter().find(|u| u.code.contains(&code))
}

fn to_base(u: &Unit, v: f64) -> f64 {
    match u.symbol {
        "°F" => (v - 32.0) * 5.0 / 9.0,
        _ => v * u.factor,
    }
}

fn from_base(u: &Unit, v: f64) -> f64 {
    match u.symbol {
        "°F" => v * 9.0 / 5.0 + 32.0,
        _ => v / u.factor,
    }
}

/// A number as written: `19000`, `3,000`, `-10`, `1.80`.
fn number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .replace('\u{2212}', "-")
        .chars()
        .filter(|c| *c != ',')
        .collect();
    cleaned.parse().ok().filter(|v: &f64| v.is_finite())
}

/// Significant figures of a written number (at least one).
fn significant(text: &str) -> i32 {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    let count = if text.contains('.') {
        trimmed.len()
    } else {
        trimmed.trim_end_matches('0').len()
    };
    i32::try_from(count.max(1)).unwrap_or(1)
}

/// `v` rounded to `places` decimals (negative: to tens, hundreds…).
fn round_places(v: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (v * scale).round() / scale
}

/// The places that keep `sig` significant figures of `v` (at least one figure more for
/// values under 10, as Module:Convert shows `1.2 mi`).
fn places_for(v: f64, sig: i32) -> i32 {
    if v == 0.0 {
        return 0;
    }
    let magnitude = v.abs().log10().floor() as i32;
    (sig.max(2) - 1 - magnitude).max(-(magnitude))
}

/// `v` with `places` decimals and thousands separators.
pub(crate) fn format_number(v: f64, places: i32) -> String {
    let v = round_places(v, places);
    let shown = places.max(0) as usize;
    let text = format!("{:.*}", shown, v.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "\u{2212}" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The text of a `{{convert}}` call, or `None` when its units are not known (the caller
/// shows the value and unit as written).
pub(crate) fn convert(positional: &[String], t: &Template) -> Option<String> {
    let option = |key: &str| {
        t.params
            .iter()
            .find(|p| {
                p.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(key))
            })
            .map(|p| crate::doc::plain_text(&p.value).trim().to_ascii_lowercase())
    };
    let first = positional.first()?;
    let value = number(first)?;
    // A range: `7|to|8|km|mi`, `23|-|31|C`.
    let (second, rest) = match positional.get(1).map(|s| s.trim()) {
        Some(sep @ ("to" | "-" | "–" | "and" | "or" | "x" | "by")) => {
            let v2 = positional.get(2)?;
            (
                Some((sep.to_string(), v2.clone(), number(v2)?)),
                &positional[3..],
            )
        }
        _ => (None, &positional[1..]),
    };
    let from = unit(rest.first()?)?;
    let (to, places) = match rest.get(1).map(|s| s.trim()) {
        Some(code) if unit(code).is_some() => (unit(code)?, rest.get(2)),
        Some("ftin") => (unit("ft")?, rest.get(2)),
        Some(code) if code.is_empty() || code.parse::<i32>().is_ok() => {
            (unit(from.default_to)?, rest.get(1))
        }
        None => (unit(from.default_to)?, None),
        _ => return None,
    };
    if to.dimension != from.dimension {
        return None;
    }
    let places: Option<i32> = places.and_then(|p| p.trim().parse().ok());
    let abbr = option("abbr");
    let adj = option("adj").is_some_and(|a| a == "on");
    let flip = option("order").is_some_and(|o| o == "flip");
    let full_in = abbr.as_deref() == Some("off") || abbr.as_deref() == Some("out");
    let full_out = abbr.as_deref() == Some("off");
    let sig = significant(first);
    let convert_one = |v: f64| {
        let c = from_base(to, to_base(from, v));
        let p = places.unwrap_or_else(|| places_for(c, sig));
        format_number(c, p)
    };
    let written = |text: &str, v: f64| {
        let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
        format_number(v, i32::try_from(decimals).unwrap_or(0))
    };
    let name = |u: &Unit, v: f64, full: bool| -> String {
        if !full {
            u.symbol.to_string()
        } else if adj || (v - 1.0).abs() < f64::EPSILON {
            u.name.to_string()
        } else {
            u.plural.to_string()
        }
    };
    let sep_of = |s: &str| match s {
        "-" | "–" => "\u{2013}".to_string(),
        other => format!(" {other} "),
    };
    let quantity = |values: String, u: &Unit, v: f64, full: bool, hyphen: bool| {
        let n = name(u, v, full);
        format!("{values}{}{n}", if hyphen { "-" } else { " " })
    };
    let (in_text, out_text) = match &second {
        Some((sep, v2_text, v2)) => (
            quantity(
                format!(
                    "{}{}{}",
                    written(first, value),
                    sep_of(sep),
                    written(v2_text, *v2)
                ),
                from,
                *v2,
                full_in || adj,
                adj,
            ),
            quantity(
                format!("{}{}{}", convert_one(value), sep_of(sep), convert_one(*v2)),
                to,
                2.0,
                full_out,
                false,
            ),
        ),
        None => (
            quantity(written(first, value), from, value, full_in || adj, adj),
            quantity(
                convert_one(value),
                to,
                from_base(to, to_base(from, value)),
                full_out,
                false,
            ),
        ),
    };
    Some(if flip {
        format!("{out_text} ({in_text})")
    } else {
        format!("{in_text} ({out_text})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Inline, Param};

    fn call(args: &[&str]) -> Option<String> {
        let t = Template {
            name: "convert".into(),
            params: args
                .iter()
                .map(|a| match a.split_once('=') {
                    Some((k, v)) => Param {
                        name: Some(k.into()),
                        value: vec![Inline::text(v)],
                    },
                    None => Param {
                        name: None,
                        value: vec![Inline::text(*a)],
                    },
                })
                .collect(),
        };
        let positional: Vec<String> = args
            .iter()
            .filter(|a| !a.contains('='))
            .map(|a| a.to_string())
            .collect();
        convert(&positional, &t)
    }

    #[test]
    fn converts_as_wikipedia_shows_it() {
        assert_eq!(
            call(&["19000", "sqft", "m2"]).as_deref(),
            Some("19,000 sq ft (1,800 m²)")
        );
        assert_eq!(call(&["21", "km", "mi"]).as_deref(), Some("21 km (13 mi)"));
        assert_eq!(call(&["5", "mi", "km"]).as_deref(), Some("5 mi (8.0 km)"));
        assert_eq!(
            call(&["35", "C", "F", "0"]).as_deref(),
            Some("35 °C (95 °F)")
        );
        assert_eq!(
            call(&["1085", "m", "ft", "0"]).as_deref(),
            Some("1,085 m (3,560 ft)")
        );
        assert_eq!(
            call(&["7", "to", "8", "km", "mi"]).as_deref(),
            Some("7 to 8 km (4.3 to 5.0 mi)")
        );
        assert_eq!(
            call(&["3,000", "ft", "m", "abbr=off"]).as_deref(),
            Some("3,000 feet (910 metres)")
        );
        assert_eq!(
            call(&["46", "km", "mi", "0", "adj=on"]).as_deref(),
            Some("46-kilometre (29 mi)")
        );
        assert_eq!(
            call(&["50", "km", "mi", "0", "order=flip"]).as_deref(),
            Some("31 mi (50 km)")
        );
        assert_eq!(call(&["3", "furlongs", "m"]), None);
    }
}
