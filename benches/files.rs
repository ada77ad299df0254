//! Files (issue 16): a thumbnail of a 4,000 × 3,000 JPEG (the photo a camera makes), and a page
//! with 50 figures against the same page without them.
//!
//! `cargo bench --bench files -- --warm-up-time 1 --measurement-time 5`

use std::io::Cursor;

use criterion::{Criterion, black_box};
use plutarch::media::{self, Kind};
use plutarch::render::{self, RenderOptions, StoredFiles, StoredImage};

/// A 4,000 × 3,000 JPEG with detail everywhere (a flat image decodes unfairly fast).
fn photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let v = x.wrapping_mul(7) ^ y.wrapping_mul(13) ^ (x * y / 97);
        image::Rgb([
            (v % 251) as u8,
            (v / 3 % 241) as u8,
            (x / 16 + y / 16) as u8,
        ])
    });
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .expect("encode the photo");
    bytes.into_inner()
}

/// A biography of 50 sections, each with a figure when `figures`.
fn page(figures: bool) -> String {
    let mut text = String::from(
        "{{Infobox person\n| name = Ada Example\n| image = Portrait 0.jpg\n| birth_date = 1815\n}}\n",
    );
    for i in 0..50 {
        text.push_str(&format!("== Part {i} ==\n"));
        if figures {
            text.push_str(&format!(
                "[[File:Portrait {i}.jpg|thumb|right|Portrait number {i}, [[London]]]]\n"
            ));
        }
        text.push_str(
            "She wrote to [[Charles Babbage]] about the engine, and her notes were printed in \
             1843.<ref>A book, p. 3.</ref> The letters are kept in [[Oxford]].\n\n",
        );
    }
    text
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let jpeg = photo();
    c.bench_function("thumbnail of a 4000x3000 JPEG at 250 px", |b| {
        b.iter(|| media::thumbnail(black_box(&jpeg), Kind::Jpeg, 250).expect("a thumbnail"))
    });
    let files = StoredFiles::new((0..50).map(|i| {
        let image = StoredImage {
            width: 3000,
            height: 4000,
            key: format!("{i:012x}"),
        };
        (format!("Portrait {i}.jpg"), image)
    }));
    for figures in [false, true] {
        let text = page(figures);
        let name = match figures {
            true => "render a page with 50 figures",
            false => "render the same page without figures",
        };
        c.bench_function(name, |b| {
            b.iter(|| {
                let doc = plutarch::markup::parse(black_box(&text));
                let options = RenderOptions {
                    files: &files,
                    ..RenderOptions::default()
                };
                render::article(&doc, &options).into_string()
            })
        });
    }
    c.final_summary();
}
