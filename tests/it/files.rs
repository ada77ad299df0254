//! Files and portraits (issue 16): uploads through the API, versions, reverts, the original and
//! thumbnails, figures and infobox portraits on pages, and every refusal (types decided by the
//! bytes, polyglots, decompression bombs, names, size, rate, conflicts). The images are made
//! here with the image crate.

use std::io::Cursor;

use axum::http::{Method, header};
use plutarch::auth::Role;
use plutarch::web::Settings;
use plutarch::wiki::files::UploadLimits;

use crate::api_support::{Answer, Call, create, editor, token_for};
use crate::support::{TestApp, change_behind_the_caches};

const BOUNDARY: &str = "plutarch-test-boundary-7f3a";

/// A multipart body of `(part, file name, bytes)`.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(file) => body.extend(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `bytes` as `name` with extra text parts.
async fn upload_with(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: &[u8],
    extra: &[(&str, &str)],
) -> Answer {
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some(name), bytes)];
    for (part, value) in extra {
        parts.push((part, None, value.as_bytes()));
    }
    Call::new(app, Method::POST, "/api/files")
        .token(token)
        .raw(
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            multipart(&parts),
        )
        .send()
        .await
}

async fn upload(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> Answer {
    upload_with(app, token, name, bytes, &[]).await
}

fn encoded(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).expect("encode");
    bytes.into_inner()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    encoded(image.into(), image::ImageFormat::Png)
}

/// A PNG of noise (which does not compress).
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut state = 12_345u32;
    let image = image::RgbImage::from_fn(width, height, |_, _| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let [a, b, c, _] = state.to_be_bytes();
        image::Rgb([a, b, c])
    });
    encoded(image.into(), image::ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, 40, (y % 256) as u8])
    });
    encoded(image.into(), image::ImageFormat::Jpeg)
}

/// A GIF of `frames` 2 × 2 frames.
fn gif(frames: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut bytes);
        let frames = (0..frames).map(|i| {
            let pixels = image::RgbaImage::from_pixel(2, 2, image::Rgba([i as u8, 0, 0, 255]));
            image::Frame::new(pixels)
        });
        encoder.encode_frames(frames).expect("encode a GIF");
    }
    bytes
}

/// A JPEG with an EXIF segment whose first IFD points at a GPS IFD.
fn jpeg_with_gps() -> Vec<u8> {
    let plain = jpeg(64, 48);
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x8825u16.to_le_bytes());
    tiff.extend(4u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((tiff.len() + 8) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(&tiff);
    let mut bytes = plain[..2].to_vec();
    bytes.extend(segment);
    bytes.extend(&plain[2..]);
    bytes
}

/// How many refreshes of every page are waiting.
fn queued_refreshes(app: &TestApp) -> i64 {
    app.db
        .read_blocking(|conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM jobs WHERE kind = 'refresh-transclusions' AND state = 'queued'",
                [],
                |row| row.get(0),
            )?)
        })
        .expect("count jobs")
}

fn blobs(app: &TestApp) -> i64 {
    app.db
        .read_blocking(plutarch::store::files::blob_count)
        .expect("count blobs")
}

#[tokio::test]
async fn an_upload_makes_a_file_page_with_its_description_and_serves_the_original() {
    let app = TestApp::new();
    let token = editor(&app);
    let bytes = png(40, 30);
    let answer = upload_with(
        &app,
        &token,
        "Red square.png",
        &bytes,
        &[("description", "A red square, drawn for a test.")],
    )
    .await;
    let uploaded = answer.ok(201);
    assert_eq!(uploaded["title"], "File:Red square.png");
    assert_eq!(uploaded["version"], 1);
    assert_eq!(uploaded["mime"], "image/png");
    assert_eq!(
        (uploaded["width"].as_u64(), uploaded["height"].as_u64()),
        (Some(40), Some(30))
    );
    assert_eq!(uploaded["warnings"], serde_json::json!([]));

    let original = Call::new(&app, Method::GET, "/file/Red_square.png")
        .send()
        .await;
    assert_eq!(original.status, 200);
    assert_eq!(original.header(header::CONTENT_TYPE), Some("image/png"));
    assert_eq!(
        original.header(header::X_CONTENT_TYPE_OPTIONS),
        Some("nosniff")
    );
    assert_eq!(original.body, bytes);

    let page = app.get("/wiki/File:Red_square.png").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("A red square, drawn for a test."),
        "{}",
        page.body
    );
    let preview = page.attrs("section.file-box img", "src");
    assert!(
        preview[0].starts_with("/thumb/800/Red_square.png?v="),
        "{preview:?}"
    );
    assert!(
        page.attrs("table.file-versions a", "href")
            .contains(&"/file/Red_square.png?version=1".to_owned())
    );
    let old = Call::new(&app, Method::GET, "/file/Red_square.png?version=1")
        .send()
        .await;
    assert_eq!(old.body, bytes);
    assert_eq!(
        Call::new(&app, Method::GET, "/file/Red_square.png?version=9")
            .send()
            .await
            .status,
        404
    );

    let info = Call::new(&app, Method::GET, "/api/files/File:Red_square.png")
        .send()
        .await
        .ok(200);
    assert_eq!(info["url"], "/file/Red_square.png");
    assert_eq!(info["versions"].as_array().map(Vec::len), Some(1));
    assert_eq!(info["versions"][0]["size"], bytes.len());
    Call::new(&app, Method::GET, "/api/files/Nothing_here.png")
        .send()
        .await
        .problem(404);
    assert_eq!(
        Call::new(&app, Method::GET, "/file/Nothing_here.png")
            .send()
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn figures_follow_their_options_as_mediawiki_draws_them() {
    let app = TestApp::new();
    let token = editor(&app);
    upload(&app, &token, "Portrait.jpg", &jpeg(600, 800))
        .await
        .ok(201);
    create(
        &app,
        &token,
        "Options",
        "[[File:Portrait.jpg|thumb|left|200px|alt=A seated woman|Sized]]\n\n\
         [[File:Portrait.jpg|thumb|upright|Standing]]\n\n\
         [[File:Portrait.jpg|frameless|upright=1.2|link=|border|A tooltip]]\n\n\
         [[File:Portrait.jpg|x120px|center|link=Ada Lovelace]]\n\n\
         [[File:Portrait.jpg|frame|100px|In a frame]]\n\n\
         [[File:Portrait.jpg|100x80px|none|link=https://example.org/x]]\n\n\
         {{Infobox person\n| name = Ada\n| image = Portrait.jpg\n| image_size = 150px\n\
         | alt = Ada, seated\n| caption = Ada in 1840\n}}\n",
    )
    .await;
    let page = app.get("/wiki/Options").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.attrs("span.figure", "class"),
        [
            "figure thumb align-left",
            "figure thumb align-right",
            "figure frameless",
            "figure plain align-center",
            "figure frame align-right",
            "figure plain align-none",
            "figure infobox-figure",
        ]
    );
    // The size asked (upright: 0.75 × 220 rounded to 10 px; upright=1.2: 264 → 260; x120px: the
    // height; frame: the image's own size; a box: the tighter side), never larger than the image.
    assert_eq!(
        page.attrs("img", "width"),
        ["200", "170", "260", "90", "600", "60", "150"]
    );
    assert_eq!(
        page.attrs("img", "height"),
        ["267", "227", "347", "120", "800", "80", "200"]
    );
    let widths: Vec<String> = page
        .attrs("img", "src")
        .iter()
        .map(|src| src.split('/').nth(2).unwrap_or_default().to_string())
        .collect();
    assert_eq!(widths, ["250", "180", "330", "120", "800", "120", "180"]);
    let srcset = page.attrs("img", "srcset");
    assert!(
        srcset[1].starts_with("/thumb/330/Portrait.jpg?v=")
            && srcset[1].contains(" 1.5x, /thumb/500/"),
        "{srcset:?}"
    );
    assert_eq!(srcset.len(), 6, "the image at its own size has no srcset");
    let alts = page.attrs("img", "alt");
    assert_eq!(alts[0], "A seated woman");
    assert_eq!(alts[1], "Standing");
    assert_eq!(alts[6], "Ada, seated");
    // Captions under thumb and frame only; a frameless image's caption is its tooltip.
    assert_eq!(
        page.texts(".figure-caption"),
        ["Sized", "Standing", "In a frame", "Ada in 1840"]
    );
    assert_eq!(page.attrs("span.image", "title"), ["A tooltip"]);
    assert_eq!(page.attrs("img.border", "width"), ["260"]);
    assert_eq!(
        page.attrs("a.image", "href"),
        [
            "/wiki/File:Portrait.jpg",
            "/wiki/File:Portrait.jpg",
            "/wiki/Ada_Lovelace",
            "/wiki/File:Portrait.jpg",
            "https://example.org/x",
            "/wiki/File:Portrait.jpg",
        ]
    );
}

#[tokio::test]
async fn pages_show_figures_and_portraits_as_cached_thumbnails_and_missing_files_as_placeholders() {
    let app = TestApp::new();
    let token = editor(&app);
    upload(&app, &token, "Ada portrait.jpg", &jpeg(600, 800))
        .await
        .ok(201);
    create(
        &app,
        &token,
        "Ada",
        "{{Infobox person\n| name = Ada\n| image = Ada portrait.jpg\n| caption = Ada in 1840\n}}\n\
         Ada was a writer.\n\n[[File:Ada portrait.jpg|thumb|right|The portrait]]\n\n\
         [[File:Not uploaded.png|thumb|Still missing]]\n",
    )
    .await;
    let page = app.get("/wiki/Ada").await;
    assert_eq!(page.status, 200);
    let sources = page.attrs("img", "src");
    assert_eq!(sources.len(), 2, "{}", page.body);
    for src in &sources {
        assert!(src.starts_with("/thumb/250/Ada_portrait.jpg?v="), "{src}");
    }
    assert_eq!(page.attrs("img", "width"), ["220", "220"]);
    assert_eq!(page.attrs("img", "height"), ["294", "294"]);
    let srcset = page.attrs("img", "srcset");
    assert!(srcset[0].contains("/thumb/500/Ada_portrait.jpg?v=") && srcset[0].ends_with(" 2x"));
    assert!(page.body.contains("figure-missing"), "{}", page.body);
    assert!(page.body.contains("File:Not uploaded.png"));

    // The first request makes the thumbnail and keeps it, without making pages stale.
    let generation = app.db.generation();
    let thumb = Call::new(&app, Method::GET, &sources[0]).send().await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.header(header::CONTENT_TYPE), Some("image/jpeg"));
    assert_eq!(
        thumb.header(header::X_CONTENT_TYPE_OPTIONS),
        Some("nosniff")
    );
    assert!(
        thumb
            .header(header::CACHE_CONTROL)
            .is_some_and(|c| c.contains("max-age=31536000"))
    );
    let made = image::load_from_memory(&thumb.body).expect("a thumbnail that decodes");
    assert_eq!((made.width(), made.height()), (250, 334));
    assert_eq!(
        app.db.generation(),
        generation,
        "a thumbnail is not a content change"
    );
    let etag = thumb.header(header::ETAG).expect("an ETag").to_owned();
    let again = Call::new(&app, Method::GET, &sources[0])
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(again.status, 304);
    // Widths round up to a standard one; junk widths and queries are refused.
    let odd = Call::new(&app, Method::GET, "/thumb/97/Ada_portrait.jpg")
        .send()
        .await;
    assert_eq!(
        image::load_from_memory(&odd.body).expect("decodes").width(),
        120
    );
    assert_eq!(
        Call::new(&app, Method::GET, "/thumb/x/Ada_portrait.jpg")
            .send()
            .await
            .status,
        400
    );
    assert_eq!(
        Call::new(&app, Method::GET, "/thumb/250/Ada_portrait.jpg?w=9999")
            .send()
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn an_upload_refreshes_the_pages_showing_the_file_and_no_other() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Ada",
        "{{Infobox person\n| name = Ada\n| image = Later portrait.jpg\n}}\nAda wrote notes.\n",
    )
    .await;
    create(
        &app,
        &token,
        "Gallery_page",
        "Pictures.\n<gallery>\nFile:Later portrait.jpg|Ada\n</gallery>\n",
    )
    .await;
    create(&app, &token, "Charles", "Charles built engines.\n").await;
    for path in ["/wiki/Ada", "/wiki/Gallery_page", "/wiki/Charles"] {
        assert_eq!(app.get(path).await.status, 200);
    }
    assert!(app.get("/wiki/Ada").await.body.contains("figure-missing"));
    // What links here for the file lists the pages showing it.
    let usage = app.get("/wiki/File:Later_portrait.jpg/links").await;
    assert!(
        usage.body.contains("Ada") && usage.body.contains("Gallery page"),
        "{}",
        usage.body
    );

    change_behind_the_caches(&app, "built engines", "made engines").await;
    upload(&app, &token, "Later portrait.jpg", &jpeg(300, 400))
        .await
        .ok(201);
    for path in ["/wiki/Ada", "/wiki/Gallery_page"] {
        let page = app.get(path).await;
        assert!(
            page.attrs("img", "src")
                .iter()
                .any(|src| src.starts_with("/thumb/250/Later_portrait.jpg?v=")),
            "{path}: {}",
            page.body
        );
    }
    assert!(
        app.get("/wiki/Charles")
            .await
            .body
            .contains("built engines"),
        "a page that does not show the file keeps its cached view"
    );
}

#[tokio::test]
async fn a_database_of_the_previous_schema_records_the_files_its_pages_show() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Ada",
        "Ada wrote notes.\n\n[[File:Old portrait.jpg|thumb|Ada]]\n",
    )
    .await;
    // The database the previous main leaves (schema 24): no file tables, and no page records
    // the files it shows.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DELETE FROM links WHERE target_id IN
                     (SELECT id FROM link_targets WHERE title LIKE 'File:%');
                 ALTER TABLE revisions DROP COLUMN minor;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 PRAGMA user_version = 24;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let reopened = TestApp::at(app.db.path(), Settings::default());
    assert_eq!(
        queued_refreshes(&reopened),
        1,
        "0025 and 0028 queue one refresh between them"
    );
    let ran = plutarch::wiki::jobs::drain_blocking(&reopened.db, &mut |_| {}).expect("jobs");
    assert!(ran > 0, "the upgrade queued a refresh of every page");
    let usage = reopened.get("/wiki/File:Old_portrait.jpg/links").await;
    assert!(usage.body.contains("/wiki/Ada"), "{}", usage.body);
}

#[tokio::test]
async fn a_database_of_schema_27_records_the_files_its_figure_templates_show() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Babbage",
        "Babbage.\n\n{{Multiple image|image1=Old plan.png|caption1=Plan}}\n",
    )
    .await;
    // Schema 27 recorded no file a figure template shows (0028 makes it); one refresh is queued at upgrade
    // (and only one, whatever else is waiting).
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DELETE FROM links WHERE target_id IN
                     (SELECT id FROM link_targets WHERE title LIKE 'File:%');
                 DELETE FROM jobs;
                 PRAGMA user_version = 27;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let before = app.get("/wiki/File:Old_plan.png/links").await;
    assert!(!before.body.contains("/wiki/Babbage"), "{}", before.body);
    let reopened = TestApp::at(app.db.path(), Settings::default());
    assert_eq!(queued_refreshes(&reopened), 1);
    let ran = plutarch::wiki::jobs::drain_blocking(&reopened.db, &mut |_| {}).expect("jobs");
    assert!(ran > 0, "the upgrade queued a refresh of every page");
    let usage = reopened.get("/wiki/File:Old_plan.png/links").await;
    assert!(usage.body.contains("/wiki/Babbage"), "{}", usage.body);
}

#[tokio::test]
async fn a_file_page_lists_its_usage_and_an_editor_reverts_an_older_version_with_a_summary() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = png(20, 20);
    upload(&app, &token, "Seal.png", &first).await.ok(201);
    upload_with(
        &app,
        &token,
        "Seal.png",
        &png(30, 30),
        &[("base_version", "1")],
    )
    .await
    .ok(200);
    create(
        &app,
        &token,
        "Ada",
        "[[File:Seal.png|thumb|The seal]] Text.\n",
    )
    .await;
    create(
        &app,
        &token,
        "Byron",
        "{{Infobox person\n| image = Seal.png\n}}\nText.\n",
    )
    .await;
    create(&app, &token, "Other", "No image here.\n").await;
    let mut browser = app
        .client()
        .signed_in("editor", "a long enough password")
        .await;
    let page = browser.get("/wiki/File:Seal.png").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("ul.file-usage a"), ["Ada", "Byron"]);
    assert_eq!(
        page.attrs("a.file-revert", "href"),
        ["/revert-file?name=Seal.png&version=1"]
    );
    assert_eq!(
        page.attrs("a[href^='/upload?']", "href"),
        ["/upload?name=Seal.png&base=2"]
    );
    let info = Call::new(&app, Method::GET, "/api/files/Seal.png")
        .send()
        .await
        .ok(200);
    assert_eq!(info["usage"], serde_json::json!(["Ada", "Byron"]));
    // Readers get no form; an editor's asks for a summary and carries the latest version.
    let anonymous = app.get("/revert-file?name=Seal.png&version=1").await;
    assert_ne!(anonymous.status, 200);
    let form = browser.get("/revert-file?name=Seal.png&version=1").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.csrf_of("form.revert-file-form");
    assert_eq!(
        form.attrs("form.revert-file-form input[name=base_version]", "value"),
        ["2"]
    );
    let fields = |csrf: &str, base: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("name".to_owned(), "Seal.png".to_owned()),
            ("to_version".to_owned(), "1".to_owned()),
            ("base_version".to_owned(), base.to_owned()),
            (
                "summary".to_owned(),
                "the newer scan was cropped".to_owned(),
            ),
        ]
    };
    let post = |fields: &[(String, String)]| -> Vec<(String, String)> { fields.to_vec() };
    let forged = post(&fields("not-the-token", "2"));
    let forged: Vec<(&str, &str)> = forged
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(
        browser
            .post_form("/revert-file", &forged)
            .await
            .status
            .as_u16()
            >= 400
    );
    let good = post(&fields(&csrf, "2"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let done = browser.post_form("/revert-file", &good).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let info = Call::new(&app, Method::GET, "/api/files/Seal.png")
        .send()
        .await
        .ok(200);
    assert_eq!(info["versions"].as_array().map(Vec::len), Some(3));
    assert_eq!(info["versions"][0]["width"], 20);
    assert_eq!(
        info["versions"][0]["comment"],
        "Reverted to version 1: the newer scan was cropped"
    );
    // The same form again is stale: refused, nothing made.
    assert_eq!(browser.post_form("/revert-file", &good).await.status, 422);
    let original = Call::new(&app, Method::GET, "/file/Seal.png").send().await;
    assert_eq!(original.body, first);
    // A missing file's placeholder leads to the upload form with its name filled in.
    create(&app, &token, "Gone", "[[File:Not here.jpg|thumb|Lost]]\n").await;
    let gone = browser.get("/wiki/Gone").await;
    assert_eq!(
        gone.attrs("a.figure-missing", "href"),
        ["/upload?name=Not+here.jpg"]
    );
    let upload_form = browser.get("/upload?name=Not+here.jpg").await;
    assert_eq!(
        upload_form.attrs("input[name=name]", "value"),
        ["Not here.jpg"]
    );
}

#[tokio::test]
async fn versions_conflict_instead_of_overwriting_and_a_revert_reuses_the_old_bytes() {
    let app = TestApp::new();
    let token = editor(&app);
    let other = token_for(&app, "other", Role::Editor);
    let first = png(20, 20);
    upload(&app, &token, "Shared.png", &first).await.ok(201);
    // Someone else uploading the same name without a base: a conflict, nothing replaced.
    let clash = upload(&app, &other, "Shared.png", &png(30, 30)).await;
    assert!(
        clash.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("uploaded by someone else")
    );
    let second = upload_with(
        &app,
        &other,
        "Shared.png",
        &png(30, 30),
        &[("base_version", "1")],
    )
    .await
    .ok(200);
    assert_eq!(second["version"], 2);
    assert_eq!(second["width"], 30);
    // A stale base is a conflict too.
    upload_with(
        &app,
        &token,
        "Shared.png",
        &png(50, 50),
        &[("base_version", "1")],
    )
    .await
    .problem(409);
    let blobs_before = blobs(&app);
    let reverted = Call::new(&app, Method::POST, "/api/files/Shared.png/revert")
        .token(&token)
        .json(&serde_json::json!({"to_version": 1, "base_version": 2}))
        .send()
        .await
        .ok(200);
    assert_eq!(reverted["version"], 3);
    assert_eq!(reverted["width"], 20);
    assert_eq!(blobs(&app), blobs_before, "a revert stores no bytes again");
    let original = Call::new(&app, Method::GET, "/file/Shared.png")
        .send()
        .await;
    assert_eq!(original.body, first);
    let info = Call::new(&app, Method::GET, "/api/files/Shared.png")
        .send()
        .await
        .ok(200);
    let versions: Vec<i64> = info["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [3, 2, 1]);
    assert_eq!(info["versions"][1]["uploader"], "other");
    // The same bytes under another name are stored once.
    upload(&app, &token, "Copy.png", &first).await.ok(201);
    assert_eq!(blobs(&app), blobs_before);
}

#[tokio::test]
async fn bytes_decide_the_type_and_everything_else_is_refused_clearly() {
    let app = TestApp::new();
    let token = editor(&app);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "Page.png",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec(),
            415,
            "HTML",
        ),
        (
            "Script.png",
            b"alert(document.cookie)".to_vec(),
            415,
            "text",
        ),
        (
            "Paper.png",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
            415,
            "PDF",
        ),
        (
            "Archive.png",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec(),
            415,
            "ZIP",
        ),
        (
            "Drawing.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            422,
            "<script>",
        ),
        ("Renamed.jpg", png(5, 5), 415, "name it .png"),
        // A GIF header that is also JavaScript: not a GIF that decodes.
        (
            "Polyglot.gif",
            b"GIF89a/*\x00\x00\x00\x00*/=alert(1)//;".to_vec(),
            422,
            "GIF",
        ),
        ("Animated.gif", gif(1001), 422, "frames"),
    ];
    for (name, bytes, status, said) in cases {
        let answer = upload(&app, &token, name, &bytes).await;
        let problem = answer.problem(status);
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(said), "{name}: {detail}");
    }
    // A 50,000 × 50,000 PNG header: refused from the header, before any pixel is allocated.
    let mut huge = png(1, 1);
    huge[16..20].copy_from_slice(&50_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&50_000u32.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&huge[12..29]);
    huge[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    let problem = upload(&app, &token, "Bomb.png", &huge).await.problem(422);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("50000 × 50000"),
        "{problem}"
    );
    // Names that try to leave the file namespace or name a path.
    for name in [
        "../../etc/passwd.png",
        "a/b.png",
        "..\\win.png",
        ".hidden.png",
        "Talk:X.png",
    ] {
        let answer = upload_with(&app, &token, "x.png", &png(2, 2), &[("name", name)]).await;
        assert_eq!(
            answer.status,
            422,
            "{name}: {}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    // A small animation is kept, counted.
    let animated = upload(&app, &token, "Blink.gif", &gif(3)).await.ok(201);
    assert_eq!(animated["frames"], 3);
    assert_eq!(blobs(&app), 1, "nothing refused was stored");
}

/// An SVG drawing of `width` × `height` with `body` inside.
fn svg(width: u32, height: u32, body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{body}</svg>"#
    )
    .into_bytes()
}

#[tokio::test]
async fn an_svg_is_shown_as_its_png_rendering_and_downloads_only_as_an_attachment() {
    let app = TestApp::new();
    let token = editor(&app);
    let drawing = svg(
        400,
        300,
        r##"<defs><circle id="dot" r="40" fill="#c00"/></defs>
<rect width="400" height="300" fill="#eee"/><use xlink:href="#dot" x="100" y="150"/>
<use href="#dot" x="300" y="150"/><text x="10" y="20">Words need fonts</text>"##,
    );
    let uploaded = upload(&app, &token, "Family tree.svg", &drawing)
        .await
        .ok(201);
    assert_eq!(uploaded["mime"], "image/svg+xml");
    assert_eq!(
        (uploaded["width"].as_u64(), uploaded["height"].as_u64()),
        (Some(400), Some(300)),
        "the size is the rendered tree's"
    );
    // The drawing itself: a download, sandboxed, never sniffed.
    let original = Call::new(&app, Method::GET, "/file/Family_tree.svg")
        .send()
        .await;
    assert_eq!(original.status, 200);
    assert_eq!(original.body, drawing);
    let disposition = original
        .header(header::CONTENT_DISPOSITION)
        .expect("a Content-Disposition");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        original
            .header(header::CONTENT_SECURITY_POLICY)
            .is_some_and(|csp| csp.contains("sandbox")),
    );
    assert_eq!(
        original.header(header::X_CONTENT_TYPE_OPTIONS),
        Some("nosniff")
    );
    // A raster original is no attachment.
    upload(&app, &token, "Plain.png", &png(4, 4)).await.ok(201);
    let plain = Call::new(&app, Method::GET, "/file/Plain.png").send().await;
    assert_eq!(plain.header(header::CONTENT_DISPOSITION), None);

    // Pages show the PNG rendering, never the SVG.
    create(
        &app,
        &token,
        "Tree",
        "The family.\n\n[[File:Family tree.svg|thumb|The family tree]]\n",
    )
    .await;
    let page = app.get("/wiki/Tree").await;
    let sources = page.attrs("span.figure img", "src");
    assert_eq!(sources.len(), 1, "{}", page.body);
    assert!(
        sources[0].starts_with("/thumb/250/Family_tree.svg?v="),
        "{sources:?}"
    );
    assert_eq!(page.attrs("span.figure img", "height"), ["165"]);
    assert!(!page.body.contains("<use"), "no inline SVG of the file");
    let thumb = Call::new(&app, Method::GET, &sources[0]).send().await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.header(header::CONTENT_TYPE), Some("image/png"));
    let made = image::load_from_memory(&thumb.body)
        .expect("a PNG that decodes")
        .to_rgba8();
    assert_eq!((made.width(), made.height()), (250, 188));
    // The first dot's middle is red, the background grey.
    let dot = made.get_pixel(62, 94);
    assert!(dot[0] > 150 && dot[1] < 60, "{dot:?}");
    assert_eq!(made.get_pixel(125, 20)[0], 0xee);
    // The file page previews the rendering too.
    let file_page = app.get("/wiki/File:Family_tree.svg").await;
    let preview = file_page.attrs("section.file-box img", "src");
    assert!(
        preview[0].starts_with("/thumb/800/Family_tree.svg?v="),
        "{preview:?}"
    );
}

#[tokio::test]
async fn hostile_svgs_are_refused_at_upload_each_with_its_reason() {
    let app = TestApp::new();
    let token = editor(&app);
    let deep = format!("{}{}", "<g>".repeat(70), "</g>".repeat(70));
    let mut laughs = String::from(r#"<g id="l0"><rect width="1" height="1"/></g>"#);
    for level in 1..40 {
        let before = level - 1;
        laughs.push_str(&format!(
            r##"<g id="l{level}"><use href="#l{before}"/><use href="#l{before}"/></g>"##
        ));
    }
    let cases: Vec<(String, &str)> = vec![
        ("<script>alert(document.cookie)</script>".to_owned(), "<script>"),
        (r#"<rect width="5" height="5" onmouseover="alert(1)"/>"#.to_owned(), "event handler"),
        (
            "<foreignObject width=\"9\" height=\"9\"><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject>"
                .to_owned(),
            "<foreignobject>",
        ),
        (r#"<image xlink:href="https://tracker.example/p.png"/>"#.to_owned(), "outside the drawing"),
        (r#"<image href="file:///etc/passwd"/>"#.to_owned(), "outside the drawing"),
        (
            r#"<image href="data:image/svg+xml;base64,PHN2Zy8+"/>"#.to_owned(),
            "outside the drawing",
        ),
        ("<style>@import 'https://e.example/x.css';</style>".to_owned(), "@import"),
        (r#"<rect fill="url(https://e.example/p.svg#g)"/>"#.to_owned(), "url("),
        (deep, "nested more than"),
        (laughs, "nested uses"),
    ];
    for (body, said) in cases {
        let answer = upload(&app, &token, "Hostile.svg", &svg(10, 10, &body)).await;
        let problem = answer.problem(422);
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(said), "{body}: {detail}");
    }
    // Entities need a DOCTYPE: refused before any renderer reads it.
    let entities = b"<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&lol2;</text></svg>";
    let problem = upload(&app, &token, "Laughs.svg", entities)
        .await
        .problem(422);
    assert!(
        problem["detail"].as_str().unwrap().contains("DOCTYPE"),
        "{problem}"
    );
    // A drawing whose canvas is too large, and one renamed .png.
    let huge = br#"<svg xmlns="http://www.w3.org/2000/svg" width="60000" height="60000"/>"#;
    upload(&app, &token, "Huge.svg", huge).await.problem(422);
    let renamed = upload(&app, &token, "Sneaky.png", &svg(5, 5, ""))
        .await
        .problem(415);
    assert!(
        renamed["detail"].as_str().unwrap().contains("name it .svg"),
        "{renamed}"
    );
    assert_eq!(blobs(&app), 0, "nothing refused was stored");
}

#[tokio::test]
async fn a_gps_position_is_warned_about_and_never_reaches_a_thumbnail() {
    let app = TestApp::new();
    let token = editor(&app);
    let uploaded = upload(&app, &token, "Garden.jpg", &jpeg_with_gps())
        .await
        .ok(201);
    let warnings = uploaded["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains("GPS"));
    let original = Call::new(&app, Method::GET, "/file/Garden.jpg")
        .send()
        .await;
    assert!(
        original.body.windows(6).any(|w| w == b"Exif\0\0"),
        "the original keeps its bytes"
    );
    let thumb = Call::new(&app, Method::GET, "/thumb/120/Garden.jpg")
        .send()
        .await;
    assert_eq!(thumb.status, 200);
    assert!(
        !thumb.body.windows(4).any(|w| w == b"Exif"),
        "no EXIF in a thumbnail"
    );
}

#[tokio::test]
async fn size_rate_and_roles_limit_uploads() {
    let app = TestApp::with_settings(Settings {
        uploads: UploadLimits {
            max_bytes: 4096,
            per_hour: 2,
        },
        ..Settings::default()
    });
    let token = editor(&app);
    let big = noise_png(100, 100);
    assert!(big.len() > 4096);
    let problem = upload(&app, &token, "Big.png", &big).await.problem(413);
    assert!(
        problem["detail"].as_str().unwrap().contains("4096"),
        "{problem}"
    );
    upload(&app, &token, "One.png", &png(3, 3)).await.ok(201);
    upload(&app, &token, "Two.png", &png(4, 4)).await.ok(201);
    let limited = upload(&app, &token, "Three.png", &png(5, 5)).await;
    limited.problem(429);
    assert!(limited.header(header::RETRY_AFTER).is_some());
    let other = token_for(&app, "other", Role::Editor);
    upload(&app, &other, "Three.png", &png(5, 5)).await.ok(201);

    let reader = token_for(&app, "reader", Role::Reader);
    upload(&app, &reader, "Four.png", &png(3, 3))
        .await
        .problem(403);
    let anonymous = Call::new(&app, Method::POST, "/api/files")
        .raw(
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            multipart(&[("file", Some("Five.png"), &png(3, 3))]),
        )
        .send()
        .await;
    anonymous.problem(401);
    let not_multipart = Call::new(&app, Method::POST, "/api/files")
        .token(&token)
        .json(&serde_json::json!({"file": "x"}))
        .send()
        .await;
    not_multipart.problem(400);
}

/// A wiki with one file uploaded as `name` (described by `description`), exported by the
/// binary: the wiki, the folder holding the export, and the export. The bytes are checked at
/// `files/NAME`.
async fn one_file_exported(
    name: &str,
    bytes: &[u8],
    description: &str,
) -> (TestApp, tempfile::TempDir, std::path::PathBuf) {
    use crate::import_export::{plutarch, run, stderr};
    let app = TestApp::new();
    let token = editor(&app);
    upload_with(&app, &token, name, bytes, &[("description", description)])
        .await
        .ok(201);
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("out");
    let exported = run(plutarch(app.db.path()).arg("export").arg(&out));
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(
        std::fs::read(out.join("files").join(name)).expect("the exported bytes"),
        bytes
    );
    (app, dir, out)
}

/// Imports `paths` twice into the database at `copy` with the binary, then checks that the
/// file page `title` has one revision and one version holding `bytes`; gives its versions.
async fn imported_twice_as_one_file(
    copy: &std::path::Path,
    paths: &[&std::path::Path],
    title: &str,
    bytes: &[u8],
) -> plutarch::wiki::files::FileInfo {
    use crate::import_export::{plutarch, run, stderr};
    for _ in 0..2 {
        let imported = run(plutarch(copy).arg("import").args(paths));
        assert!(imported.status.success(), "{}", stderr(&imported));
    }
    let db = plutarch::store::Db::open(copy).expect("open the copy");
    let title = plutarch::wiki::Title::new(title).unwrap();
    let history = plutarch::wiki::history(&db, &title, None, 10, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "one revision, imported twice");
    let info = plutarch::wiki::files::file_info(&db, &title)
        .await
        .unwrap()
        .expect("a file");
    assert_eq!(info.versions.len(), 1, "one version, imported twice");
    let (_, back) = plutarch::wiki::files::original(&db, &title, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, bytes, "the same bytes");
    info
}

#[tokio::test]
async fn an_export_imports_back_as_the_same_file_pages_and_a_bare_image_becomes_one() {
    let bytes = png(12, 9);
    let (_app, dir, out) = one_file_exported("Kept.png", &bytes, "Kept for the round trip.").await;
    let bare = dir.path().join("Bare image.jpg");
    std::fs::write(&bare, jpeg(10, 10)).expect("write");

    let copy = dir.path().join("copy.db");
    imported_twice_as_one_file(&copy, &[&out, &bare], "File:Kept.png", &bytes).await;
    let db = plutarch::store::Db::open(&copy).expect("open the copy");
    let title = plutarch::wiki::Title::new("File:Kept.png").unwrap();
    let view = plutarch::wiki::read_page(&db, &title, None)
        .await
        .unwrap()
        .expect("the page");
    assert!(view.page.text.contains("Kept for the round trip."));
    let bare = plutarch::wiki::Title::new("File:Bare image.jpg").unwrap();
    let info = plutarch::wiki::files::file_info(&db, &bare)
        .await
        .unwrap()
        .expect("a file");
    assert_eq!(info.versions[0].mime, "image/jpeg");
}

#[tokio::test]
async fn a_file_page_shows_its_description_as_a_table_not_a_placeholder() {
    let app = TestApp::new();
    let token = editor(&app);
    let description = "{{Information\n| description = A face drawn in [[London]]\n| author = The test\n\
                       | source = Own work\n| licence = CC0\n| date = 1900\n| permission =\n}}\n";
    upload_with(
        &app,
        &token,
        "Drawn face.png",
        &png(8, 8),
        &[("description", description)],
    )
    .await
    .ok(201);
    let page = app.get("/wiki/File:Drawn_face.png").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("template-placeholder"), "{}", page.body);
    let trimmed =
        |texts: Vec<String>| -> Vec<String> { texts.iter().map(|t| t.trim().to_owned()).collect() };
    let labels = trimmed(page.texts("table.file-information th"));
    assert_eq!(
        labels,
        ["Description", "Date", "Source", "Author", "Licence"]
    );
    let values = trimmed(page.texts("table.file-information td"));
    assert_eq!(
        values,
        [
            "A face drawn in London",
            "1900",
            "Own work",
            "The test",
            "CC0"
        ]
    );
    assert_eq!(
        page.attrs("table.file-information td a", "href"),
        ["/wiki/London/edit"]
    );
    assert_eq!(
        page.attrs("a.file-download", "href"),
        ["/file/Drawn_face.png"]
    );

    // The upload form's own text, with nothing filled in, says so.
    let bare = "{{Information\n| description = \n| author = \n}}\n";
    upload_with(
        &app,
        &token,
        "Bare face.png",
        &png(9, 9),
        &[("description", bare)],
    )
    .await
    .ok(201);
    let page = app.get("/wiki/File:Bare_face.png").await;
    assert_eq!(
        trimmed(page.texts("table.file-information td")),
        ["No description was given."]
    );
}

#[tokio::test]
async fn an_exported_svg_imports_back_as_the_same_drawing() {
    // Yellow on the left, blue on the right.
    let drawing = svg(
        240,
        120,
        r##"<rect width="120" height="120" fill="#ffd200"/><rect x="120" width="120" height="120" fill="#1040c0"/>"##,
    );
    let (_app, dir, out) =
        one_file_exported("Flag study.svg", &drawing, "A study in two colours.").await;
    let copy_path = dir.path().join("copy.db");
    let info =
        imported_twice_as_one_file(&copy_path, &[&out], "File:Flag study.svg", &drawing).await;
    assert_eq!(info.versions[0].mime, "image/svg+xml");

    // The copy shows it as a PNG rendering, as the wiki it came from did.
    let copy = TestApp::at(&copy_path, Settings::default());
    let thumb = Call::new(&copy, Method::GET, "/thumb/120/Flag_study.svg")
        .send()
        .await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.header(header::CONTENT_TYPE), Some("image/png"));
    let png = image::load_from_memory(&thumb.body)
        .expect("a PNG")
        .to_rgb8();
    assert_eq!(png.dimensions(), (120, 60));
    assert_eq!(
        png.get_pixel(20, 30).0,
        [0xff, 0xd2, 0x00],
        "yellow on the left"
    );
    assert_eq!(
        png.get_pixel(100, 30).0,
        [0x10, 0x40, 0xc0],
        "blue on the right"
    );
}

#[tokio::test]
async fn a_page_showing_a_file_only_through_templates_shows_each_new_version() {
    let app = TestApp::new();
    let token = editor(&app);
    // A template page that draws the file, and a figure template the renderer draws.
    create(
        &app,
        &token,
        "Template:Engine_drawing",
        "[[File:Engine.png|thumb|The engine]]\n",
    )
    .await;
    create(&app, &token, "Engines", "Engines.\n\n{{Engine drawing}}\n").await;
    create(
        &app,
        &token,
        "Babbage",
        "Babbage.\n\n{{Multiple image|image1=Engine.png|caption1=Front|image2=Plan.png|caption2=Plan}}\n",
    )
    .await;
    for path in ["/wiki/Engines", "/wiki/Babbage"] {
        let page = app.get(path).await;
        assert!(
            page.body.contains("figure-missing"),
            "{path}: {}",
            page.body
        );
        assert!(page.attrs("img", "src").is_empty(), "{path}");
    }
    // Both are recorded as showing it (its "What links here").
    let usage = Call::new(&app, Method::GET, "/api/files/File:Engine.png")
        .send()
        .await;
    assert_eq!(usage.status, 404, "no file yet");
    let links = app.get("/wiki/File:Engine.png/links").await;
    assert!(
        links.body.contains("Engines") && links.body.contains("Babbage"),
        "{}",
        links.body
    );

    let shown_key = |page: &crate::support::Page| -> Vec<String> {
        page.attrs("img", "src")
            .into_iter()
            .filter(|src| src.contains("/Engine.png?v="))
            .map(|src| {
                src.rsplit_once("?v=")
                    .map(|(_, v)| v.to_owned())
                    .unwrap_or_default()
            })
            .collect()
    };
    upload(&app, &token, "Engine.png", &png(300, 200))
        .await
        .ok(201);
    let mut first_keys = Vec::new();
    for path in ["/wiki/Engines", "/wiki/Babbage"] {
        let page = app.get(path).await;
        let keys = shown_key(&page);
        assert_eq!(keys.len(), 1, "{path} shows the upload: {}", page.body);
        first_keys.push(keys[0].clone());
    }
    // A new version: both pages move to its thumbnails.
    upload_with(
        &app,
        &token,
        "Engine.png",
        &noise_png(300, 200),
        &[("base_version", "1")],
    )
    .await
    .ok(200);
    for (path, before) in ["/wiki/Engines", "/wiki/Babbage"].iter().zip(&first_keys) {
        let page = app.get(path).await;
        let keys = shown_key(&page);
        assert_eq!(keys.len(), 1, "{path}: {}", page.body);
        assert_ne!(&keys[0], before, "{path} shows the new version");
    }
    let info = Call::new(&app, Method::GET, "/api/files/File:Engine.png")
        .send()
        .await
        .ok(200);
    let usage: Vec<&str> = info["usage"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(usage, ["Babbage", "Engines", "Template:Engine drawing"]);
}
