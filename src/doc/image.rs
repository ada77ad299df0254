//! The options of a file link, `[[File:X.jpg|thumb|right|200px|upright=1.2|alt=…|link=…|caption]]`,
//! read as MediaWiki reads them: each part that is an option sets it, the last part that is
//! none is the caption. The German and French names of the options are known too
//! (`mini`, `rechts`, `hochkant`, `vignette`…), as pages imported from those wikis use them.

use serde::Serialize;

/// The frame a file is drawn in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFrame {
    /// No frame option: the image alone, inline, at its own size; the caption is its tooltip.
    #[default]
    Plain,
    /// `thumb`: a floated box with the caption, 220 px wide unless asked.
    Thumb,
    /// `frame`: a box with the caption, at the image's own size (a size asked is ignored).
    Frame,
    /// `frameless`: like `thumb`'s size, without box or caption.
    Frameless,
}

/// Where a file is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageAlign {
    /// `left`: floated left.
    Left,
    /// `right`: floated right (the default of `thumb` and `frame`).
    Right,
    /// `center`/`centre`: centred, not floated.
    Center,
    /// `none`: not floated.
    None,
}

/// The size asked for a file: `200px` (a width), `x120px` (a height), `100x80px` (a box).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImageSize {
    /// The widest it may be, in CSS pixels.
    pub width: Option<u32>,
    /// The tallest it may be, in CSS pixels.
    pub height: Option<u32>,
}

/// The largest size anyone may ask, in CSS pixels (larger asks are clamped).
pub const MAX_ASKED_PIXELS: u32 = 10_000;

impl ImageSize {
    /// `200px`, `200`, `x120px`, `100x80px` (spaces allowed around), or `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = t.strip_suffix("px").unwrap_or(t).trim();
        let number = |s: &str| -> Option<Option<u32>> {
            match s.trim() {
                "" => Some(None),
                n if n.bytes().all(|b| b.is_ascii_digit()) && n.len() <= 9 => {
                    let v: u32 = n.parse().ok()?;
                    Some((v > 0).then_some(v.min(MAX_ASKED_PIXELS)))
                }
                _ => None,
            }
        };
        let (width, height) = match t.split_once('x') {
            Some((w, h)) => (number(w)?, number(h)?),
            None => (number(t)?, None),
        };
        (width.is_some() || height.is_some()).then_some(Self { width, height })
    }
}

/// The options of a file link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageOptions {
    /// `thumb`, `frame`, `frameless` or none.
    pub frame: ImageFrame,
    /// `left`, `right`, `center`, `none`, or none given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub align: Option<ImageAlign>,
    /// `200px`, `x120px`, `100x80px`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<ImageSize>,
    /// `upright` (0.75, stored as 750) or `upright=F`, in thousandths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upright_thousandths: Option<u32>,
    /// `border`: a thin border around the image.
    pub border: bool,
    /// `alt=…`: the text of the image for those who cannot see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    /// `link=…`: where the image leads; `Some("")` for no link, `None` for the file's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The thousandths `upright` alone stands for.
const UPRIGHT_DEFAULT: u32 = 750;

impl ImageOptions {
    /// Reads one part (its plain text) into the options when it is one; `false` when it is a
    /// caption.
    pub fn read(&mut self, part: &str) -> bool {
        let text = part.trim();
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "thumb" | "thumbnail" | "mini" | "miniatur" | "vignette" => {
                self.frame = ImageFrame::Thumb
            }
            "frame" | "framed" | "gerahmt" | "cadre" => self.frame = ImageFrame::Frame,
            "frameless" | "rahmenlos" | "sans_cadre" => self.frame = ImageFrame::Frameless,
            "border" | "rand" | "bordure" => self.border = true,
            "left" | "links" | "gauche" => self.align = Some(ImageAlign::Left),
            "right" | "rechts" | "droite" => self.align = Some(ImageAlign::Right),
            "center" | "centre" | "zentriert" | "centré" => self.align = Some(ImageAlign::Center),
            "none" | "ohne" | "néant" => self.align = Some(ImageAlign::None),
            "upright" | "hochkant" | "redresse" => self.upright_thousandths = Some(UPRIGHT_DEFAULT),
            "baseline" | "middle" | "sub" | "super" | "text-top" | "text-bottom" | "top"
            | "bottom" => {}
            _ => return self.named(text, &lower),
        }
        true
    }

    /// A `name=value` option or a size (`true`); anything else is a caption (`false`).
    fn named(&mut self, text: &str, lower: &str) -> bool {
        if lower.ends_with("px") {
            if let Some(size) = ImageSize::parse(lower) {
                self.size = Some(size);
                return true;
            }
        }
        let Some((name, value)) = text.split_once('=') else {
            return false;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "alt" => self.alt = Some(value.to_string()),
            "link" | "verweis" | "lien" => self.link = Some(value.to_string()),
            "upright" | "hochkant" | "redresse" => {
                self.upright_thousandths = upright(value).or(Some(UPRIGHT_DEFAULT))
            }
            "thumb" | "thumbnail" => self.frame = ImageFrame::Thumb,
            "page" | "class" | "lang" | "thumbtime" => {}
            _ => return false,
        }
        true
    }

    /// The alignment drawn: the one given, else right for `thumb` and `frame`.
    pub fn effective_align(&self) -> Option<ImageAlign> {
        self.align.or(match self.frame {
            ImageFrame::Thumb | ImageFrame::Frame => Some(ImageAlign::Right),
            ImageFrame::Plain | ImageFrame::Frameless => None,
        })
    }

    /// The width and height box the image is drawn in, in CSS pixels, before the original's own
    /// size caps it: `None` means the original's size. `default_width` is the width of a
    /// thumbnail when none is asked (220 px on MediaWiki); `upright` scales it (rounded to 10
    /// px, as MediaWiki does).
    pub fn display_box(&self, default_width: u32) -> Option<ImageSize> {
        if self.frame == ImageFrame::Frame {
            return None;
        }
        if let Some(size) = self.size {
            return Some(size);
        }
        let thumb_like = matches!(self.frame, ImageFrame::Thumb | ImageFrame::Frameless);
        match (self.upright_thousandths, thumb_like) {
            (Some(factor), true) => {
                let raw = u64::from(default_width) * u64::from(factor) / 1000;
                let rounded = (raw + 5) / 10 * 10;
                let width = u32::try_from(rounded).unwrap_or(MAX_ASKED_PIXELS);
                Some(ImageSize {
                    width: Some(width.clamp(10, MAX_ASKED_PIXELS)),
                    height: None,
                })
            }
            (None, true) => Some(ImageSize {
                width: Some(default_width),
                height: None,
            }),
            (_, false) => None,
        }
    }
}

/// `1.2` as thousandths (1200); at most 10, at least 0.01.
fn upright(value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() || v.len() > 12 {
        return None;
    }
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut thousandths = 0;
    for (i, digit) in fraction.bytes().take(3).enumerate() {
        thousandths += u32::from(digit - b'0') * [100, 10, 1][i];
    }
    let total = whole.checked_mul(1000)?.checked_add(thousandths)?;
    (total > 0).then_some(total.clamp(10, 10_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(parts: &[&str]) -> (ImageOptions, Vec<String>) {
        let mut o = ImageOptions::default();
        let captions = parts
            .iter()
            .filter(|p| !o.read(p))
            .map(|p| p.to_string())
            .collect();
        (o, captions)
    }

    #[test]
    fn every_option_is_read_and_the_rest_is_caption() {
        let (o, captions) = options(&[
            "thumb",
            "left",
            "200px",
            "upright=1.2",
            "alt=A man, seated",
            "border",
            "link=",
            "The caption = good",
        ]);
        assert_eq!(o.frame, ImageFrame::Thumb);
        assert_eq!(o.align, Some(ImageAlign::Left));
        assert_eq!(
            o.size,
            Some(ImageSize {
                width: Some(200),
                height: None
            })
        );
        assert_eq!(o.upright_thousandths, Some(1200));
        assert_eq!(o.alt.as_deref(), Some("A man, seated"));
        assert_eq!(o.link.as_deref(), Some(""));
        assert!(o.border);
        assert_eq!(captions, ["The caption = good"]);
    }

    #[test]
    fn sizes_are_widths_heights_or_boxes() {
        let size = |t| ImageSize::parse(t).map(|s| (s.width, s.height));
        assert_eq!(size("200px"), Some((Some(200), None)));
        assert_eq!(size("x120px"), Some((None, Some(120))));
        assert_eq!(size("100x80px"), Some((Some(100), Some(80))));
        assert_eq!(size(" 300 "), Some((Some(300), None)));
        assert_eq!(size("99999999px"), Some((Some(MAX_ASKED_PIXELS), None)));
        assert_eq!(size("px"), None);
        assert_eq!(size("12ptpx"), None);
        assert_eq!(size("0px"), None);
    }

    #[test]
    fn upright_scales_the_default_width_rounded_to_ten_pixels() {
        let width = |parts: &[&str]| options(parts).0.display_box(220).and_then(|b| b.width);
        assert_eq!(width(&["thumb"]), Some(220));
        assert_eq!(width(&["thumb", "upright"]), Some(170));
        assert_eq!(width(&["thumb", "upright=1.2"]), Some(260));
        assert_eq!(width(&["frameless", "upright=0.5"]), Some(110));
        assert_eq!(width(&["thumb", "upright=x"]), Some(170));
        assert_eq!(width(&["thumb", "150px", "upright"]), Some(150));
        assert_eq!(width(&["frame", "150px"]), None);
        assert_eq!(width(&["right"]), None);
    }

    #[test]
    fn thumbs_and_frames_float_right_unless_told() {
        assert_eq!(
            options(&["thumb"]).0.effective_align(),
            Some(ImageAlign::Right)
        );
        assert_eq!(
            options(&["frame", "left"]).0.effective_align(),
            Some(ImageAlign::Left)
        );
        assert_eq!(options(&["frameless"]).0.effective_align(), None);
    }
}
