//! A file's page (issue 16): the image (a large thumbnail linking to the original) and its
//! versions, each viewable; "upload a new version" for editors. Shown above the description.

use maud::{Markup, html};

/// One version of a file, as the page lists it.
#[derive(Debug, Clone)]
pub struct VersionRow<'a> {
    /// Its number.
    pub version: i64,
    /// When (RFC 3339).
    pub uploaded_at: &'a str,
    /// Who.
    pub uploader: &'a str,
    /// Width × height in pixels.
    pub size: (u32, u32),
    /// Bytes.
    pub bytes: i64,
    /// The uploader's comment.
    pub comment: &'a str,
    /// Where this version's bytes are served.
    pub url: String,
    /// Where to revert to this version (an older version), if it can be.
    pub revert_url: Option<String>,
}

/// What a file page shows above its description.
#[derive(Debug, Clone)]
pub struct FileBox<'a> {
    /// The file's name (without `File:`).
    pub name: &'a str,
    /// The preview: thumbnail URL, width, height.
    pub preview: (String, u32, u32),
    /// Where the original is served.
    pub original: String,
    /// The versions, newest first.
    pub versions: Vec<VersionRow<'a>>,
    /// Where to upload a new version (for editors), if shown.
    pub upload_url: Option<String>,
    /// The pages that show the file, as (title, URL).
    pub usage: Vec<(String, String)>,
}

/// The image and its versions.
pub fn file_box(file: &FileBox<'_>) -> Markup {
    let (src, width, height) = &file.preview;
    html! {
        section.file-box aria-label="File" {
            p.file-preview {
                a href=(file.original) {
                    img src=(src) width=(width) height=(height) alt=(file.name);
                }
            }
            p { a.file-download href=(file.original) download { "Download the original file" } }
            h2 { "File history" }
            table.file-versions {
                thead { tr { th { "Version" } th { "Date" } th { "Size" } th { "Uploaded by" } th { "Comment" } th { } } }
                tbody {
                    @for row in &file.versions {
                        tr {
                            td { a href=(row.url) { (row.version) } }
                            td { (super::when::time(row.uploaded_at)) }
                            td { (row.size.0) " × " (row.size.1) " (" (row.bytes) " bytes)" }
                            td { (row.uploader) }
                            td { (row.comment) }
                            td { @if let Some(url) = &row.revert_url { a.file-revert href=(url) { "Revert" } } }
                        }
                    }
                }
            }
            @if let Some(url) = &file.upload_url {
                p { a href=(url) { "Upload a new version of this file" } }
            }
            h2 { "File usage" }
            @if file.usage.is_empty() {
                p.file-usage-none { "No page shows this file." }
            } @else {
                p { "These pages show this file:" }
                ul.file-usage {
                    @for (title, url) in &file.usage { li { a href=(url) { (title) } } }
                }
            }
        }
    }
}

/// The form that makes an older version of a file the latest again.
#[derive(Debug, Clone)]
pub struct RevertFileForm<'a> {
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The file's name (without `File:`).
    pub name: &'a str,
    /// The version to bring back.
    pub to_version: i64,
    /// The latest version (the revert is refused if another upload came first).
    pub base_version: i64,
    /// Where the version to bring back is served.
    pub version_url: String,
}

/// The revert page's body: the version brought back, and a summary to give.
pub fn revert_file_form(form: &RevertFileForm<'_>) -> Markup {
    html! {
        article.page {
            h1.page-title { "Revert " (form.name) " to version " (form.to_version) }
            p {
                "This makes a new version of the file with the bytes of "
                a href=(form.version_url) { "version " (form.to_version) } "."
            }
            form.revert-file-form method="post" action="/revert-file" {
                input type="hidden" name="csrf" value=(form.csrf);
                input type="hidden" name="name" value=(form.name);
                input type="hidden" name="to_version" value=(form.to_version);
                input type="hidden" name="base_version" value=(form.base_version);
                p { label { "Summary " input type="text" name="summary" maxlength="500" required; } }
                p { button type="submit" { "Revert" } }
            }
        }
    }
}

/// The upload form: a new file, or (with `base_version`) a new version of `name`.
#[derive(Debug, Clone)]
pub struct UploadForm<'a> {
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The name asked for (`/upload?name=X`, from a missing file's placeholder), if any.
    pub name: &'a str,
    /// For a new version: the version it replaces.
    pub base_version: Option<i64>,
    /// The largest file, in bytes.
    pub max_bytes: usize,
}

/// The upload page's body.
pub fn upload_form(form: &UploadForm<'_>) -> Markup {
    html! {
        article.page {
            h1.page-title {
                @match form.base_version {
                    Some(_) => { "Upload a new version of " (form.name) }
                    None => "Upload a file",
                }
            }
            p {
                "JPEG, PNG, GIF, WebP or SVG images of at most " (form.max_bytes) " bytes. "
                "The type is read from the file itself; its name must end in the matching extension. "
                "If the image holds a GPS position (photos from phones often do), you will be warned: the original keeps it."
            }
            form.upload-form method="post" action="/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(form.csrf);
                @if let Some(base) = form.base_version {
                    input type="hidden" name="base_version" value=(base);
                }
                p { label { "File " input type="file" name="file" required accept="image/jpeg,image/png,image/gif,image/webp,image/svg+xml,.svg"; } }
                p { label { "Name (File:…) " input type="text" name="name" value=(form.name) maxlength="240" placeholder="Portrait of Ada Lovelace.jpg"; } }
                @if form.base_version.is_none() {
                    p { label { "Description " textarea name="description" rows="3" maxlength="2000" {} } }
                    p { label { "Author " input type="text" name="author" maxlength="200"; } }
                    p { label { "Source " input type="text" name="source" maxlength="500" placeholder="Own work, or where it was found"; } }
                    p { label { "Licence " input type="text" name="licence" maxlength="200" placeholder="CC BY-SA 4.0, public domain…"; } }
                    p { label { "Date " input type="text" name="date" maxlength="50"; } }
                }
                p { label { "Comment " input type="text" name="comment" maxlength="500"; } }
                p { button type="submit" { "Upload" } }
            }
        }
    }
}
