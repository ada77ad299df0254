//! SVG drawings: checked as a stream of XML events before any renderer sees them (no scripts,
//! event handlers, `<foreignObject>`, external references, DOCTYPE or entities; bounded size,
//! depth, element count and `<use>` expansion), then rendered to PNG by `resvg` with nothing
//! loaded from the disk or the network. Pages only ever show the PNG; the drawing itself is
//! served as a download.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use resvg::{tiny_skia, usvg};

use super::{Inspected, Kind, MAX_PIXELS, MAX_SIDE, MediaError, Thumbnail, scaled};

/// The largest drawing accepted, in bytes.
pub const MAX_SVG_BYTES: usize = 4 * 1024 * 1024;
/// The deepest nesting of elements.
pub const MAX_DEPTH: usize = 64;
/// The most elements of a drawing.
pub const MAX_ELEMENTS: usize = 50_000;
/// The most elements once every `<use>` is expanded (its target's copy counted).
pub const MAX_EXPANDED: usize = 100_000;

/// Elements that run code or embed other documents.
const REFUSED_ELEMENTS: [&str; 6] = [
    "script",
    "foreignobject",
    "handler",
    "iframe",
    "embed",
    "object",
];

fn unsafe_svg(why: impl Into<String>) -> MediaError {
    MediaError::UnsafeSvg(why.into())
}

/// What the check keeps of an element while it is open.
struct Open {
    /// Its `id`, if any.
    id: Option<String>,
    /// How many elements had been seen when it started.
    elements_before: usize,
    /// Whether it is or holds a `<use>`.
    holds_use: bool,
    /// Whether it is a `<style>` (its text is CSS).
    style: bool,
}

/// An element with an id, once closed: how many elements it holds (itself included), and
/// whether one of them is a `<use>`.
#[derive(Clone, Copy)]
struct Closed {
    elements: usize,
    holds_use: bool,
}

/// The streaming check of a drawing (see the module's words).
#[derive(Default)]
struct Check {
    open: Vec<Open>,
    elements: usize,
    ids: HashMap<String, Closed>,
    /// The ids `<use>` elements point at.
    uses: Vec<String>,
    /// The text of the current element so far (references resolved), checked at its end.
    text: String,
    seen_root: bool,
}

/// Checks that `bytes` are an SVG drawing safe to hand to the renderer.
pub fn check(bytes: &[u8]) -> Result<(), MediaError> {
    if bytes.len() > MAX_SVG_BYTES {
        return Err(unsafe_svg(format!(
            "the drawing is {} bytes, more than the {MAX_SVG_BYTES} bytes an SVG may have",
            bytes.len()
        )));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| unsafe_svg("the drawing is not UTF-8 text"))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut check = Check::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| unsafe_svg(format!("it is not well-formed XML ({e})")))?;
        match event {
            Event::Start(e) => {
                check.text_done()?;
                check.element(&e, &reader)?;
            }
            Event::Empty(e) => {
                check.text_done()?;
                check.element(&e, &reader)?;
                check.close();
            }
            Event::End(_) => {
                check.text_done()?;
                check.close();
            }
            Event::Text(t) => {
                let piece = t
                    .xml10_content()
                    .map_err(|e| unsafe_svg(format!("it holds text that is not UTF-8 ({e})")))?;
                check.text.push_str(&piece);
            }
            Event::CData(t) => {
                check.text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .and_then(|s| s.chars().next())
                    }
                    Err(_) => None,
                };
                let c = resolved.ok_or_else(|| {
                    unsafe_svg(format!(
                        "it uses the entity &{};, and entities are not accepted",
                        String::from_utf8_lossy(&r)
                    ))
                })?;
                check.text.push(c);
            }
            Event::DocType(_) => {
                return Err(unsafe_svg(
                    "it has a DOCTYPE (which may declare entities): remove it",
                ));
            }
            Event::PI(_) => {
                return Err(unsafe_svg(
                    "it has a processing instruction (such as xml-stylesheet): remove it",
                ));
            }
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !check.seen_root {
        return Err(unsafe_svg("it has no <svg> element"));
    }
    check.uses_done()
}

impl Check {
    fn element(&mut self, e: &BytesStart<'_>, reader: &Reader<&[u8]>) -> Result<(), MediaError> {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
        if !self.seen_root && name != "svg" {
            return Err(unsafe_svg(format!(
                "its root element is <{name}>, not <svg>"
            )));
        }
        self.seen_root = true;
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(unsafe_svg(format!(
                "it has more than {MAX_ELEMENTS} elements"
            )));
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(unsafe_svg(format!(
                "its elements are nested more than {MAX_DEPTH} deep"
            )));
        }
        if REFUSED_ELEMENTS.contains(&name.as_str()) {
            return Err(unsafe_svg(format!(
                "it has a <{name}> element, which could run code or load another document"
            )));
        }
        let is_use = name == "use";
        let mut id = None;
        for attribute in e.attributes() {
            let attribute =
                attribute.map_err(|e| unsafe_svg(format!("it has a malformed attribute ({e})")))?;
            let key =
                String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_ascii_lowercase();
            let value = attribute
                .decode_and_unescape_value(reader.decoder())
                .map_err(|e| unsafe_svg(format!("the attribute {key} cannot be read ({e})")))?;
            check_attribute(&key, &value)?;
            if key == "id" {
                id = Some(value.trim().to_owned());
            }
            if is_use && key == "href" {
                // Only `#id` is accepted (checked above).
                self.uses
                    .push(value.trim().trim_start_matches('#').to_owned());
            }
        }
        if is_use {
            for open in &mut self.open {
                open.holds_use = true;
            }
        }
        self.open.push(Open {
            id,
            elements_before: self.elements - 1,
            holds_use: is_use,
            style: name == "style",
        });
        Ok(())
    }

    fn close(&mut self) {
        if let Some(open) = self.open.pop() {
            if let Some(id) = open.id {
                self.ids.insert(
                    id,
                    Closed {
                        elements: self.elements - open.elements_before,
                        holds_use: open.holds_use,
                    },
                );
            }
        }
    }

    /// Checks the text gathered since the last tag (CSS in a `<style>`, words elsewhere).
    fn text_done(&mut self) -> Result<(), MediaError> {
        let text = std::mem::take(&mut self.text);
        if text.trim().is_empty() {
            return Ok(());
        }
        let in_style = self.open.iter().any(|o| o.style);
        check_css(&text, in_style)
    }

    /// Refuses `<use>` chains (a `<use>` of something holding a `<use>`: the way a small file
    /// expands into billions of elements) and a total expansion past [`MAX_EXPANDED`].
    fn uses_done(&self) -> Result<(), MediaError> {
        let mut expanded = self.elements;
        for target in &self.uses {
            let Some(closed) = self.ids.get(target) else {
                continue;
            };
            if closed.holds_use {
                return Err(unsafe_svg(format!(
                    "a <use> points at #{target}, which holds a <use> itself (nested uses are not accepted)"
                )));
            }
            expanded = expanded.saturating_add(closed.elements);
            if expanded > MAX_EXPANDED {
                return Err(unsafe_svg(format!(
                    "its <use> elements expand it past {MAX_EXPANDED} elements"
                )));
            }
        }
        Ok(())
    }
}

/// Refuses an attribute that runs code or points outside the drawing.
fn check_attribute(key: &str, value: &str) -> Result<(), MediaError> {
    if key.starts_with("on") {
        return Err(unsafe_svg(format!(
            "it has an event handler attribute ({key}), which runs code"
        )));
    }
    if key == "href" && !value.trim().starts_with('#') {
        return Err(unsafe_svg(format!(
            "it refers to {:?} outside the drawing (only #id references are accepted)",
            shorten(value)
        )));
    }
    if key == "attributename" && value.to_ascii_lowercase().contains("href") {
        return Err(unsafe_svg("it animates a link (attributeName=\"href\")"));
    }
    check_css(value, key == "style")
}

/// Refuses `@import`, `url(…)` not to `#id`, `javascript:` and (in CSS) escapes that could hide
/// either.
fn check_css(text: &str, is_css: bool) -> Result<(), MediaError> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("@import") {
        return Err(unsafe_svg("it imports a style sheet (@import)"));
    }
    if lower.contains("javascript:") {
        return Err(unsafe_svg("it holds a javascript: link"));
    }
    if lower.contains("image-set(") {
        return Err(unsafe_svg("it loads an image (image-set)"));
    }
    if is_css && lower.contains('\\') {
        return Err(unsafe_svg(
            "its CSS holds escapes (\\), which are not accepted",
        ));
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let target = rest
            .trim_start()
            .trim_start_matches(['"', '\''])
            .trim_start();
        if !target.starts_with('#') {
            return Err(unsafe_svg(format!(
                "it refers to url({}) outside the drawing (only url(#id) is accepted)",
                shorten(rest.split(')').next().unwrap_or(""))
            )));
        }
    }
    Ok(())
}

fn shorten(text: &str) -> String {
    text.trim().chars().take(80).collect()
}

/// The renderer's options: nothing is loaded from outside the drawing (no files, no nested
/// images), whatever the drawing says.
fn options() -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// The drawing parsed (after [`check`]).
fn tree(bytes: &[u8]) -> Result<usvg::Tree, MediaError> {
    check(bytes)?;
    usvg::Tree::from_data(bytes, &options()).map_err(|e| MediaError::Damaged {
        kind: Kind::Svg.label(),
        reason: e.to_string(),
    })
}

/// The size the rendered drawing has (its own, from `width`/`height` or the `viewBox`).
fn size_of(tree: &usvg::Tree) -> Result<(u32, u32), MediaError> {
    let size = tree.size();
    let side = |v: f32| v.ceil().clamp(1.0, u32::MAX as f32) as u32;
    let (width, height) = (side(size.width()), side(size.height()));
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(MediaError::TooManyPixels { width, height });
    }
    Ok((width, height))
}

/// Checks a drawing and reads its size from the rendered tree.
pub fn inspect(bytes: &[u8]) -> Result<Inspected, MediaError> {
    let tree = tree(bytes)?;
    let (width, height) = size_of(&tree)?;
    Ok(Inspected {
        kind: Kind::Svg,
        width,
        height,
        frames: 1,
        gps: false,
    })
}

/// The drawing rendered as a PNG at most `width` pixels wide (never larger than its own size).
pub fn thumbnail(bytes: &[u8], width: u32) -> Result<Thumbnail, MediaError> {
    let tree = tree(bytes)?;
    let (own_width, own_height) = size_of(&tree)?;
    let (w, h) = scaled(own_width, own_height, width);
    let failed = |reason: String| MediaError::Damaged {
        kind: Kind::Svg.label(),
        reason,
    };
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| failed(format!("no {w} × {h} canvas")))?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        w as f32 / size.width().max(f32::EPSILON),
        h as f32 / size.height().max(f32::EPSILON),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let bytes = pixmap.encode_png().map_err(|e| failed(e.to_string()))?;
    Ok(Thumbnail {
        width: w,
        height: h,
        kind: Kind::Png,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CIRCLE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200" viewBox="0 0 40 20">
  <defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient></defs>
  <style>circle { stroke: black; }</style>
  <circle id="c" cx="10" cy="10" r="8" fill="url(#g)"/>
  <use xlink:href="#c" x="20"/>
</svg>"##;

    fn svg_with(body: &str) -> String {
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{body}</svg>"#)
    }

    #[test]
    fn a_clean_drawing_is_inspected_and_rendered() {
        let found = inspect(CIRCLE.as_bytes()).expect("a clean SVG");
        assert_eq!(
            (found.kind, found.width, found.height),
            (Kind::Svg, 400, 200)
        );
        let png = thumbnail(CIRCLE.as_bytes(), 250).expect("a rendering");
        assert_eq!((png.width, png.height, png.kind), (250, 125, Kind::Png));
        let image = image::load_from_memory(&png.bytes)
            .expect("a PNG")
            .to_rgba8();
        // The first circle's middle is drawn (opaque), a corner is not.
        assert_eq!(image.get_pixel(62, 62)[3], 255);
        assert_eq!(image.get_pixel(1, 1)[3], 0);
    }

    #[test]
    fn hostile_drawings_are_refused_each_for_its_reason() {
        let cases: Vec<(String, &str)> = vec![
            (svg_with("<script>alert(1)</script>"), "<script>"),
            (svg_with(r#"<rect onload="alert(1)"/>"#), "event handler"),
            (svg_with(r#"<rect ONCLICK="alert(1)"/>"#), "event handler"),
            (
                svg_with("<foreignObject><p>x</p></foreignObject>"),
                "<foreignobject>",
            ),
            (
                svg_with(r#"<image href="http://evil.example/x.png"/>"#),
                "outside the drawing",
            ),
            (
                svg_with(
                    r#"<use xlink:href="file:///etc/passwd#x" xmlns:xlink="http://www.w3.org/1999/xlink"/>"#,
                ),
                "outside the drawing",
            ),
            (
                svg_with(r#"<a href="&#106;avascript:alert(1)"><rect/></a>"#),
                "outside the drawing",
            ),
            (
                svg_with("<style>@import url(http://e.example/a.css);</style>"),
                "@import",
            ),
            (svg_with("<style>@im&#112;ort 'x.css';</style>"), "@import"),
            (
                svg_with(r#"<rect style="fill: url(http://e.example/p.svg#p)"/>"#),
                "url(",
            ),
            (svg_with(r#"<rect fill="url( 'x.svg#p' )"/>"#), "url("),
            (
                svg_with(r"<style>rect { fill: u\72l(x) }</style>"),
                "escapes",
            ),
            (
                svg_with(r#"<set attributeName="href" to="javascript:alert(1)"/>"#),
                "href",
            ),
            (
                format!(
                    "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"b\">]>{}",
                    svg_with("<text>&a;</text>")
                ),
                "DOCTYPE",
            ),
            (svg_with("<text>&a;</text>"), "entity"),
            (
                format!("<?xml-stylesheet href=\"x.css\"?>{}", svg_with("")),
                "processing instruction",
            ),
            ("<html><svg/></html>".to_owned(), "root element"),
            (svg_with("<g>"), "well-formed"),
        ];
        for (svg, said) in cases {
            let refused = check(svg.as_bytes()).expect_err(&svg);
            assert!(
                matches!(refused, MediaError::UnsafeSvg(_)),
                "{svg}: {refused}"
            );
            assert!(refused.to_string().contains(said), "{svg}: {refused}");
        }
    }

    /// Asserts that `check` refuses `svg` with a message that says `why`.
    fn assert_refused(svg: &str, why: &str) {
        let refused = check(svg.as_bytes()).unwrap_err();
        assert!(refused.to_string().contains(why), "{refused}");
    }

    #[test]
    fn bounds_are_kept() {
        let deep = svg_with(&format!(
            "{}{}",
            "<g>".repeat(MAX_DEPTH),
            "</g>".repeat(MAX_DEPTH)
        ));
        assert_refused(&deep, "nested");
        let many = svg_with(&"<rect/>".repeat(MAX_ELEMENTS));
        assert_refused(&many, "elements");
        let big = svg_with(&" ".repeat(MAX_SVG_BYTES));
        assert_refused(&big, "bytes");
        // The "billion laughs" of SVG: each level uses the one before twice.
        let mut laughs = String::from(r#"<g id="l0"><rect/></g>"#);
        for level in 1..30 {
            let before = level - 1;
            laughs.push_str(&format!(
                r##"<g id="l{level}"><use href="#l{before}"/><use href="#l{before}"/></g>"##
            ));
        }
        assert_refused(&svg_with(&laughs), "nested uses");
        // Many uses of one large group, none nested.
        let group: String = (0..2_000).map(|_| "<rect/>").collect();
        let uses: String = (0..60).map(|_| r##"<use href="#big"/>"##).collect();
        let wide = svg_with(&format!(r#"<g id="big">{group}</g>{uses}"#));
        assert_refused(&wide, "expand");
    }

    #[test]
    fn a_huge_canvas_is_refused_from_the_tree() {
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="50000" height="50000"/>"#;
        assert_eq!(
            inspect(huge.as_bytes()).unwrap_err(),
            MediaError::TooManyPixels {
                width: 50_000,
                height: 50_000
            }
        );
    }
}
