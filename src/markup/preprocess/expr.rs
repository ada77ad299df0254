//! `{{#expr:…}}`: arithmetic, comparisons and logic as ParserFunctions' ExprParser reads
//! them (`+ - * / div mod ^ e`, `= != <> < > <= >=`, `and or not`, `round`, `trunc floor ceil
//! abs sqrt ln exp`, `pi`, parentheses). Nesting is capped at [`MAX_NESTING`].

/// How deep parentheses and unary operators may nest.
const MAX_NESTING: usize = 100;
/// The most tokens an expression may have.
const MAX_TOKENS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Number(f64),
    Word(&'static str),
    Open,
    Close,
}

const WORDS: [&str; 24] = [
    "<=", ">=", "!=", "<>", "=", "<", ">", "+", "-", "*", "/", "^", "div", "mod", "round", "and",
    "or", "not", "trunc", "floor", "ceil", "abs", "sqrt", "ln",
];
const MORE_WORDS: [&str; 5] = ["exp", "e", "pi", "fmod", "sin"];

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if out.len() > MAX_TOKENS {
            return Err("the expression is too long".into());
        }
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if b.is_ascii_digit() || b == b'.' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            let number = lower[start..i]
                .parse::<f64>()
                .map_err(|_| format!("Unrecognized number \"{}\"", &lower[start..i]))?;
            out.push(Token::Number(number));
            continue;
        }
        match b {
            b'(' => {
                out.push(Token::Open);
                i += 1;
                continue;
            }
            b')' => {
                out.push(Token::Close);
                i += 1;
                continue;
            }
            _ => {}
        }
        let rest = &lower[i..];
        let word = WORDS
            .iter()
            .chain(MORE_WORDS.iter())
            .filter(|w| rest.starts_with(**w))
            .filter(|w| {
                // A word operator is a whole word.
                !w.as_bytes()[0].is_ascii_alphabetic()
                    || !rest
                        .as_bytes()
                        .get(w.len())
                        .is_some_and(|c| c.is_ascii_alphabetic())
            })
            .max_by_key(|w| w.len());
        match word {
            Some(w) => {
                out.push(Token::Word(w));
                i += w.len();
            }
            None => {
                let c = rest.chars().next().unwrap_or('?');
                return Err(format!("Unrecognized punctuation character \"{c}\""));
            }
        }
    }
    Ok(out)
}

/// The binding power of a binary operator.
fn binary(word: &str) -> Option<u8> {
    Some(match word {
        "or" => 2,
        "and" => 3,
        "=" | "!=" | "<>" | "<" | ">" | "<=" | ">=" => 4,
        "round" => 5,
        "+" | "-" => 6,
        "*" | "/" | "div" | "mod" | "fmod" => 7,
        "^" => 8,
        "e" => 10,
        _ => return None,
    })
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    nesting: usize,
}

impl Parser {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.at).copied()
    }

    fn expression(&mut self, min: u8) -> Result<f64, String> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err("the expression is nested too deeply".into());
        }
        let mut left = self.operand()?;
        while let Some(Token::Word(w)) = self.peek() {
            let Some(power) = binary(w) else {
                return Err(format!("Unexpected operator {w}"));
            };
            if power <= min {
                break;
            }
            self.at += 1;
            let right = self.expression(power)?;
            left = apply(w, left, right)?;
        }
        self.nesting -= 1;
        Ok(left)
    }

    fn operand(&mut self) -> Result<f64, String> {
        let Some(token) = self.peek() else {
            return Err("Missing operand".into());
        };
        self.at += 1;
        match token {
            Token::Number(n) => Ok(n),
            Token::Open => {
                let value = self.expression(0)?;
                match self.peek() {
                    Some(Token::Close) => {
                        self.at += 1;
                        Ok(value)
                    }
                    _ => Err("Unclosed bracket".into()),
                }
            }
            Token::Close => Err("Unexpected closing bracket".into()),
            Token::Word("e") => Ok(std::f64::consts::E),
            Token::Word("pi") => Ok(std::f64::consts::PI),
            Token::Word("-") => Ok(-self.expression(9)?),
            Token::Word("+") => self.expression(9),
            Token::Word(w) => {
                let value = self.expression(9)?;
                Ok(match w {
                    "not" => f64::from(u8::from(value == 0.0)),
                    "trunc" => value.trunc(),
                    "floor" => value.floor(),
                    "ceil" => value.ceil(),
                    "abs" => value.abs(),
                    "sqrt" if value < 0.0 => return Err("Invalid argument for sqrt".into()),
                    "sqrt" => value.sqrt(),
                    "ln" if value <= 0.0 => return Err("Invalid argument for ln".into()),
                    "ln" => value.ln(),
                    "exp" => value.exp(),
                    "sin" => value.sin(),
                    _ => return Err(format!("Unexpected {w} operator")),
                })
            }
        }
    }
}

fn truth(value: bool) -> f64 {
    f64::from(u8::from(value))
}

fn apply(op: &str, a: f64, b: f64) -> Result<f64, String> {
    Ok(match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" | "div" if b == 0.0 => return Err("Division by zero".into()),
        "/" | "div" => a / b,
        "mod" => {
            let (x, y) = (a.trunc() as i64, b.trunc() as i64);
            if y == 0 {
                return Err("Division by zero".into());
            }
            x.wrapping_rem(y) as f64
        }
        "fmod" if b == 0.0 => return Err("Division by zero".into()),
        "fmod" => a % b,
        "^" => a.powf(b),
        "e" => a * 10f64.powf(b),
        "round" => {
            let digits = b.trunc().clamp(-300.0, 300.0) as i32;
            let scale = 10f64.powi(digits);
            (a * scale).round() / scale
        }
        "=" => truth(a == b),
        "!=" | "<>" => truth(a != b),
        "<" => truth(a < b),
        ">" => truth(a > b),
        "<=" => truth(a <= b),
        ">=" => truth(a >= b),
        "and" => truth(a != 0.0 && b != 0.0),
        "or" => truth(a != 0.0 || b != 0.0),
        _ => return Err(format!("Unexpected {op} operator")),
    })
}

/// The value of an expression (an empty one is an error; the caller shows nothing for it).
pub(super) fn evaluate(text: &str) -> Result<f64, String> {
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
        nesting: 0,
    };
    let value = parser.expression(0)?;
    match parser.peek() {
        None => Ok(value),
        Some(Token::Close) => Err("Unexpected closing bracket".into()),
        Some(_) => Err("Unexpected number".into()),
    }
}

/// A number written as PHP writes a float (14 significant digits), integers without a point.
pub(super) fn format(value: f64) -> String {
    if value.is_nan() {
        return "NAN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "INF".into()
        } else {
            "-INF".into()
        };
    }
    if value == 0.0 {
        return "0".into();
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let exponent = value.abs().log10().floor() as i32;
    if (-5..15).contains(&exponent) {
        let decimals = (13 - exponent).max(0) as usize;
        let text = format!("{value:.decimals$}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        return text.to_owned();
    }
    let text = format!("{value:.13E}");
    let (mantissa, exp) = text.split_once('E').unwrap_or((&text, "0"));
    let mantissa = mantissa.trim_end_matches('0');
    let mantissa = match mantissa.strip_suffix('.') {
        Some(whole) => format!("{whole}.0"),
        None => mantissa.to_owned(),
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    format!(
        "{mantissa}E{}{}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        match evaluate(text) {
            Ok(v) => format(v),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn arithmetic_and_logic_as_mediawiki() {
        let cases = [
            ("1+2*3", "7"),
            ("(1+2)*3", "9"),
            ("-2^2", "4"),
            ("2^10", "1024"),
            ("7 mod 3", "1"),
            ("7 div 2", "3.5"),
            ("1/3", "0.33333333333333"),
            ("2/3", "0.66666666666667"),
            ("3.14159 round 2", "3.14"),
            ("2026 - 1815 - 1", "210"),
            ("1 < 2", "1"),
            ("2 <> 2", "0"),
            ("1 and 0", "0"),
            ("1 or 0", "1"),
            ("not 0", "1"),
            ("2e3", "2000"),
            ("floor 2.7", "2"),
            ("abs -3", "3"),
            ("1e20*10", "1.0E+21"),
            ("1/0", "error: Division by zero"),
            ("1 +", "error: Missing operand"),
            ("(1", "error: Unclosed bracket"),
            ("x", "error: Unrecognized punctuation character \"x\""),
        ];
        for (text, want) in cases {
            assert_eq!(show(text), want, "{text}");
        }
    }

    #[test]
    fn nesting_is_capped() {
        let deep = "(".repeat(10_000) + "1" + &")".repeat(10_000);
        assert!(evaluate(&deep).is_err());
        let minus = "-".repeat(10_000) + "1";
        assert!(evaluate(&minus).is_err());
    }
}
