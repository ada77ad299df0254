//! Files (issue 16): a thumbnail of a 4,000 × 3,000 JPEG, and pages with 50 figures against the
//! same pages without them.
//!
//! `cargo bench --bench files -- --warm-up-time 1 --measurement-time 5`
//!
//! - Thumbnails: two 4,000 × 3,000 JPEGs, a photo as a camera makes it (smooth light with
//!   grain, quality 90, about 3 MB) and a worst case with detail in every pixel (about 11 MB),
//!   each made at 250 px the way the wiki does (the DCT scaled while decoding) beside decoding
//!   every pixel first (as before `media::jpeg`).
//! - Figures: a real biography (`../shared/corpus/wikipedia/al_Haytham.txt`, 108 KB; skipped
//!   when absent) and a short page of 50 small sections, each with and without 50 figures,
//!   parsed and rendered, parsed only, and rendered only.

use std::io::Cursor;
use std::path::Path;

use criterion::{Criterion, black_box};
use image::codecs::jpeg::JpegEncoder;
use plutarch::media::{self, Kind};
use plutarch::render::{self, RenderOptions, StoredFiles, StoredImage};

/// A 4,000 × 3,000 photo: smooth light and shade with a little grain, as a camera makes it.
fn camera_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let grain = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 28;
        let sky = 120 + (y / 24) as i32 - (x / 64) as i32 + grain as i32;
        let shade = ((x as f32 / 300.0).sin() * 40.0 + (y as f32 / 210.0).cos() * 30.0) as i32;
        let channel = |v: i32| v.clamp(0, 255) as u8;
        image::Rgb([
            channel(sky + shade),
            channel(sky - shade / 2),
            channel(200 - sky / 2 + shade),
        ])
    });
    jpeg(&image, 90)
}

/// A 4,000 × 3,000 JPEG with detail in every pixel: the slowest to decode.
fn dense_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let v = x.wrapping_mul(7) ^ y.wrapping_mul(13) ^ (x * y / 97);
        image::Rgb([
            (v % 251) as u8,
            (v / 3 % 241) as u8,
            (x / 16 + y / 16) as u8,
        ])
    });
    jpeg(&image, 75)
}

fn jpeg(image: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(image)
        .expect("encode the photo");
    bytes.into_inner()
}

/// A thumbnail made as before `media::jpeg`: every pixel decoded, then scaled and encoded.
fn thumbnail_decoding_every_pixel(bytes: &[u8], width: u32) -> Vec<u8> {
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
        .expect("decode the photo");
    let (w, h) = media::scaled(image.width(), image.height(), width);
    let small = image.thumbnail_exact(w, h).to_rgb8();
    jpeg(&small, 85)
}

/// The figure put before a prose line.
fn figure(i: usize) -> String {
    format!("[[File:Portrait {i}.jpg|thumb|right|Portrait number {i}, [[London]]]]\n")
}

/// A short biography of 50 sections, each with a figure when `figures`.
fn short_page(figures: bool) -> String {
    let mut text = String::from(
        "{{Infobox person\n| name = Ada Example\n| image = Portrait 0.jpg\n| birth_date = 1815\n}}\n",
    );
    for i in 0..50 {
        text.push_str(&format!("== Part {i} ==\n"));
        if figures {
            text.push_str(&figure(i));
        }
        text.push_str(
            "She wrote to [[Charles Babbage]] about the engine, and her notes were printed in \
             1843.<ref>A book, p. 3.</ref> The letters are kept in [[Oxford]].\n\n",
        );
    }
    text
}

/// `text` with 50 figures, each before a prose line, spread evenly over the article.
fn with_figures(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let prose: Vec<usize> = (1..lines.len())
        .filter(|&i| {
            let line = lines[i];
            let before = lines[i - 1];
            line.len() > 80
                && line.starts_with(|c: char| c.is_alphabetic() || c == '\'')
                && !before.starts_with(['|', '{', '!', '*', '#', ':'])
        })
        .collect();
    assert!(prose.len() >= 50, "only {} prose lines", prose.len());
    let chosen: Vec<usize> = (0..50).map(|k| prose[k * prose.len() / 50]).collect();
    let mut out = String::with_capacity(text.len() + 50 * 80);
    let mut next = 0;
    for (i, line) in lines.iter().enumerate() {
        if chosen.get(next) == Some(&i) {
            out.push_str(&figure(next));
            next += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn bench_thumbnails(c: &mut Criterion) {
    for (name, photo) in [("camera", camera_photo()), ("dense", dense_photo())] {
        let mb = photo.len() as f64 / 1e6;
        c.bench_function(
            &format!("thumbnail at 250 px of a 4000x3000 {name} JPEG ({mb:.1} MB)"),
            |b| b.iter(|| media::thumbnail(black_box(&photo), Kind::Jpeg, 250).expect("thumb")),
        );
        c.bench_function(
            &format!("the same, decoding every pixel ({name}, as before)"),
            |b| b.iter(|| thumbnail_decoding_every_pixel(black_box(&photo), 250)),
        );
    }
}

fn bench_figures(c: &mut Criterion, page: &str, plain: &str, figured: &str) {
    let files = StoredFiles::new((0..50).map(|i| {
        let image = StoredImage {
            width: 3000,
            height: 4000,
            key: format!("{i:012x}"),
        };
        (format!("Portrait {i}.jpg"), image)
    }));
    let options = RenderOptions {
        files: &files,
        ..RenderOptions::default()
    };
    for (label, text) in [("without figures", plain), ("with 50 figures", figured)] {
        c.bench_function(&format!("{page} {label}: parse and render"), |b| {
            b.iter(|| {
                let doc = plutarch::markup::parse(black_box(text));
                render::article(&doc, &options).into_string()
            })
        });
        c.bench_function(&format!("{page} {label}: parse"), |b| {
            b.iter(|| plutarch::markup::parse(black_box(text)))
        });
        let doc = plutarch::markup::parse(text);
        c.bench_function(&format!("{page} {label}: render"), |b| {
            b.iter(|| render::article(black_box(&doc), &options).into_string())
        });
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_thumbnails(&mut c);
    bench_figures(
        &mut c,
        "a short page of 50 sections",
        &short_page(false),
        &short_page(true),
    );
    let real =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wikipedia/al_Haytham.txt");
    match std::fs::read_to_string(&real) {
        Ok(text) => bench_figures(&mut c, "al_Haytham", &text, &with_figures(&text)),
        Err(_) => eprintln!("skipped al_Haytham: {} is absent", real.display()),
    }
    c.final_summary();
}
