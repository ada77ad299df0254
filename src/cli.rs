//! The command line: `serve`, `parse`, and the admin commands. Raw arguments are validated
//! into typed values here; `anyhow` stops at this module.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate::auth::{self, FirstAdmin, ReadAccess, Role};
use crate::store::{self, Db};
use crate::web::{self, AppState, ServeOptions, Settings, Stopped};
use crate::wiki::sources::SourceMeta;
use crate::{markup, wiki};

mod dumps;

/// Plutarch: a self-hosted knowledge base of biographies.
#[derive(Debug, Parser)]
#[command(name = "plutarch", version, about)]
pub struct Cli {
    /// The SQLite database file (created on first start).
    #[arg(
        long,
        global = true,
        env = "PLUTARCH_DB",
        default_value = "plutarch.db"
    )]
    pub db: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the wiki over HTTP.
    Serve {
        /// Address to listen on (port 0 picks a free one).
        #[arg(long, env = "PLUTARCH_ADDR", default_value = "127.0.0.1:3000")]
        addr: String,
        /// Who may read: `public` (everyone) or `users` (signed-in users only).
        #[arg(long, env = "PLUTARCH_READ_ACCESS", default_value = "public")]
        read_access: ReadAccess,
        /// Mark cookies `Secure` and send HSTS: `on` when served over HTTPS (on/off).
        #[arg(long, env = "PLUTARCH_SECURE_COOKIES", default_value = "off",
              value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set,
              hide_possible_values = true)]
        secure_cookies: bool,
        /// The largest page in bytes; larger writes get 413.
        #[arg(long, env = "PLUTARCH_MAX_PAGE_BYTES", default_value_t = wiki::DEFAULT_MAX_PAGE_BYTES)]
        max_page_bytes: usize,
        /// The most connections open at once; past it, the longest-idle connection is closed,
        /// or a newcomer gets 503 when all are busy (default: half of `ulimit -n`).
        #[arg(long, env = "PLUTARCH_MAX_CONNECTIONS",
              value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: Option<u32>,
        /// How long a request's head may take to arrive (`10s`, `500ms`, `2m`; a bare number
        /// is seconds).
        #[arg(long, env = "PLUTARCH_HEADER_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
        header_timeout: Duration,
        /// How long a request's body may take to arrive after its head (slower bodies get 408),
        /// and how long a response may stall because the client stopped reading it.
        #[arg(long, env = "PLUTARCH_BODY_TIMEOUT", default_value = "60s", value_parser = parse_duration)]
        body_timeout: Duration,
        /// How long a connection may stay silent between requests before it is closed.
        #[arg(long, env = "PLUTARCH_IDLE_TIMEOUT", default_value = "5s", value_parser = parse_duration)]
        idle_timeout: Duration,
        /// How long requests in progress may take to finish after SIGTERM or Ctrl-C.
        #[arg(long, env = "PLUTARCH_SHUTDOWN_GRACE", default_value = "10s", value_parser = parse_duration)]
        shutdown_grace: Duration,
        /// How long a request may take, like `10s`, `1500ms` or `1m`: a database read still
        /// running past it is interrupted and the request answered with 503 and Retry-After.
        #[arg(long, env = "PLUTARCH_REQUEST_DEADLINE", default_value = "10s",
              value_parser = parse_duration)]
        request_deadline: Duration,
        /// The site's canonical address, like `https://wiki.example.org`: absolute links
        /// (feeds) use it, never the request's Host header. Without it, the listening address.
        #[arg(long, env = "PLUTARCH_BASE_URL", value_parser = parse_base_url)]
        base_url: Option<String>,
        /// How many API requests a second each client may make (by token when one is sent,
        /// else by address; bursts of as many): past it, 429 with Retry-After. Unlimited when
        /// not set.
        #[arg(long, env = "PLUTARCH_API_RATE")]
        api_rate: Option<std::num::NonZeroU32>,
        /// The largest file an editor may upload, in bytes (past it: 413).
        #[arg(long, env = "PLUTARCH_MAX_UPLOAD_BYTES", default_value_t = wiki::files::DEFAULT_MAX_UPLOAD_BYTES)]
        max_upload_bytes: usize,
        /// How many files one user may upload in an hour.
        #[arg(long, env = "PLUTARCH_UPLOADS_PER_HOUR", default_value_t = wiki::files::DEFAULT_UPLOADS_PER_HOUR)]
        uploads_per_hour: u32,
        /// A reverse proxy (an address, or a network like 10.0.0.0/8) whose X-Forwarded-For
        /// names the client, for the sign-in throttle and the API rate limit; repeatable (the
        /// variable takes a comma-separated list). Without one, the client is the peer.
        #[arg(
            long = "trusted-proxy",
            env = "PLUTARCH_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<web::TrustedProxy>,
        /// Leave WAL checkpoints to another process (Litestream): Plutarch's writer never
        /// checkpoints (`PRAGMA wal_autocheckpoint = 0`). Only with a replicator running, or the
        /// log grows without end.
        #[arg(long, env = "PLUTARCH_NO_CHECKPOINTS", default_value = "off",
              value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set,
              num_args = 0..=1, default_missing_value = "on", hide_possible_values = true)]
        no_checkpoints: bool,
        /// Make a checked backup of the database into DIR every --backup-every, named
        /// `plutarch-YYYYMMDDTHHMMSSZ.db`, keeping the newest --backup-keep.
        #[arg(long, env = "PLUTARCH_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
        /// The time between two scheduled backups (`6h`, `30m`, `1d`; at most 30 days); the
        /// first comes one interval after the start.
        #[arg(long, env = "PLUTARCH_BACKUP_EVERY", default_value = "6h",
              value_parser = parse_interval, requires = "backup_dir")]
        backup_every: Duration,
        /// How many scheduled backups to keep (the oldest are deleted).
        #[arg(
            long,
            env = "PLUTARCH_BACKUP_KEEP",
            default_value = "14",
            requires = "backup_dir"
        )]
        backup_keep: std::num::NonZeroUsize,
        /// How long a shared cache in front (Varnish, a CDN) may keep an anonymous page or
        /// answer without asking again: its `s-maxage` (`60s`, `5m`; a bare number is seconds).
        #[arg(long, env = "PLUTARCH_CDN_MAX_AGE", default_value = "60s", value_parser = parse_duration)]
        cdn_max_age: Duration,
        /// A cache in front to purge after every change (repeatable), like
        /// `http://127.0.0.1:6081`: each URL the change affects gets an HTTP PURGE, with the
        /// base URL's host as Host.
        #[arg(long = "purge-url", env = "PLUTARCH_PURGE_URLS", value_delimiter = ',',
              value_parser = parse_purge_url)]
        purge_urls: Vec<web::purge::PurgeTarget>,
        /// How long after a change its purges are sent again (a copy cached meanwhile from a
        /// request in flight is dropped too).
        #[arg(long, env = "PLUTARCH_PURGE_REBOUND", default_value = "5s", value_parser = parse_duration)]
        purge_rebound: Duration,
        /// Serve as a read replica of the primary at this URL (`http://HOST:PORT`), over a
        /// database Litestream keeps current (`litestream restore -f`): the file is opened
        /// read-only once it is ready, nothing is written, and writes, sign-in and edit forms
        /// get a 307 to the primary.
        #[arg(long, env = "PLUTARCH_REPLICA_OF", value_parser = parse_primary_url,
              conflicts_with_all = ["backup_dir", "purge_urls", "no_checkpoints"])]
        replica_of: Option<web::replica::PrimaryUrl>,
        /// On a replica: past this lag behind the primary, `/healthz` answers 503 (`30s`,
        /// `2m`; a bare number is seconds).
        #[arg(long, env = "PLUTARCH_MAX_LAG", default_value = "30s", value_parser = parse_duration,
              requires = "replica_of")]
        max_lag: Duration,
    },
    /// Manage user accounts.
    User {
        /// What to do with users.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print the sections of a markup file as JSON (`-` reads standard input).
    Parse {
        /// The file to parse.
        file: PathBuf,
    },
    /// Import pages from files and folders (`.wiki`, `.txt`, `.mediawiki`, recursively).
    ///
    /// A page's title is its leading `= Title =` line, else the file name (percent-decoded);
    /// the text is stored byte for byte. An existing page gets a new revision (none if the text
    /// is unchanged). Files that cannot be imported are reported and skipped. With --source,
    /// the files are source documents: `Source:TITLE` pages with the metadata given.
    Import {
        /// Files and folders to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The user the revisions are credited to (default: the system account).
        #[arg(long)]
        author: Option<String>,
        /// The edit summary of the imported revisions.
        #[arg(long, default_value = "Imported")]
        summary: String,
        /// Import the files as source documents (`Source:` pages), with the metadata below.
        #[arg(long)]
        source: bool,
        /// The source's title (one file only; `Source:` is added): else its headline, else its
        /// file name.
        #[arg(long, requires = "source")]
        title: Option<String>,
        /// Where the source was found (an http:// or https:// URL; one file only).
        #[arg(long, requires = "source")]
        url: Option<String>,
        /// Who published the source.
        #[arg(long, requires = "source")]
        publisher: Option<String>,
        /// When the source was published: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long, requires = "source")]
        date: Option<String>,
        /// What kind of document the source is: news, opinion, blog, self-published, press release,
        /// primary, academic, reference or other.
        #[arg(long, requires = "source")]
        kind: Option<String>,
    },
    /// Write every page's latest text into DIR, one `TITLE.wiki` file per page.
    Export {
        /// The folder to write to (created if needed).
        dir: PathBuf,
    },
    /// Import a MediaWiki XML dump (schema 0.10 or 0.11; `.xml`, `.xml.gz` or `.xml.bz2`) with
    /// every revision: authors, times and summaries kept, one entry in the admin log. Importing
    /// the same dump again adds nothing.
    ImportXml {
        /// The dump file.
        file: PathBuf,
    },
    /// Write every live page with its whole history as a MediaWiki XML dump (schema 0.11);
    /// `.gz` and `.bz2` names are compressed.
    ExportXml {
        /// The file to write (never overwritten).
        file: PathBuf,
        /// Only each page's latest revision.
        #[arg(long)]
        current: bool,
        /// The wiki's address, for siteinfo's `base` (default http://localhost).
        #[arg(long, env = "PLUTARCH_BASE_URL", value_parser = parse_base_url)]
        base_url: Option<String>,
    },
    /// Copy the database, even while it is served and written, to PATH (a new file), check the
    /// copy (`PRAGMA integrity_check`) and print what was written.
    Backup {
        /// The file to write (never overwritten).
        path: PathBuf,
    },
    /// Put the backup at PATH in place of the database, after checking it. Refused while a
    /// server uses the database; the database it replaces is kept beside it.
    Restore {
        /// The backup to put back.
        path: PathBuf,
    },
    /// Run and list background jobs (the queue `serve` works through between edits).
    Jobs {
        /// What to do with jobs.
        #[command(subcommand)]
        command: JobsCommand,
    },
}

/// `plutarch jobs …`.
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Queue a job of KIND (reindex-search), then run every due job here until none is left.
    Run {
        /// The kind of job: reindex-search (rewrite every page's search rows).
        kind: wiki::jobs::JobKind,
        /// Pages per step (each step is one short write).
        #[arg(long, default_value_t = wiki::jobs::DEFAULT_BATCH)]
        batch: usize,
    },
    /// List the newest jobs with their state and progress.
    List,
}

/// `plutarch user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password, the password is read from standard input (one
    /// line), or generated and printed when standard input is a terminal or empty.
    Add {
        /// The user name (1–64 characters, no / \ < > [ ] { } | # " ' ` & % ? = : @).
        name: String,
        /// reader, editor or admin.
        #[arg(long)]
        role: Role,
        /// The password (8–1024 characters). Prefer standard input: arguments show in `ps`.
        #[arg(long)]
        password: Option<String>,
    },
    /// Give a user a new password (read like `add`'s) and end all their sessions.
    SetPassword {
        /// The user name.
        name: String,
        /// The new password. Prefer standard input: arguments show in `ps`.
        #[arg(long)]
        password: Option<String>,
    },
    /// Give a user another role (logged in the audit log).
    SetRole {
        /// The user name.
        name: String,
        /// reader, editor or admin.
        #[arg(long)]
        role: Role,
    },
}

/// `plutarch token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token is the last line of output, shown once.
    Create {
        /// The user name.
        name: String,
        /// A label to remember what the token is for.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke every API token of a user.
    Revoke {
        /// The user name.
        name: String,
    },
}

/// Runs the command line and turns any error into one line on standard error.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            read_access,
            secure_cookies,
            max_page_bytes,
            max_connections,
            header_timeout,
            body_timeout,
            idle_timeout,
            shutdown_grace,
            request_deadline,
            base_url,
            api_rate,
            max_upload_bytes,
            uploads_per_hour,
            trusted_proxies,
            no_checkpoints,
            backup_dir,
            backup_every,
            backup_keep,
            cdn_max_age,
            purge_urls,
            purge_rebound,
            replica_of,
            max_lag,
        } => {
            if !wiki::set_max_page_bytes(max_page_bytes) {
                bail!("the page size limit was fixed before serve could set it");
            }
            let settings = Settings {
                read_access,
                secure_cookies,
                max_page_bytes,
                request_deadline,
                base_url,
                api_rate,
                uploads: wiki::files::UploadLimits {
                    max_bytes: max_upload_bytes,
                    per_hour: uploads_per_hour,
                },
                trusted_proxies,
                cdn_max_age,
                replica_of: replica_of.map(|primary| web::replica::ReplicaOf { primary, max_lag }),
            };
            let options = ServeOptions {
                max_connections: max_connections
                    .map_or_else(web::default_max_connections, |n| n as usize),
                header_timeout,
                body_timeout,
                idle_timeout,
                shutdown_grace,
            };
            let upkeep = Upkeep {
                checkpoints: !no_checkpoints,
                backups: backup_dir.map(|dir| wiki::backups::BackupSchedule {
                    dir,
                    every: backup_every,
                    keep: backup_keep,
                }),
            };
            let purges = Purges {
                targets: purge_urls,
                rebound: purge_rebound,
            };
            serve(cli.db, &addr, settings, options, upkeep, purges)
        }
        Command::User { command } => user(&cli.db, command),
        Command::Token { command } => token(&cli.db, command),
        Command::Parse { file } => parse(&file),
        Command::Import {
            paths,
            author,
            summary,
            source,
            title,
            url,
            publisher,
            date,
            kind,
        } => {
            let meta = source
                .then(|| {
                    SourceMeta::new(
                        url.as_deref(),
                        publisher.as_deref(),
                        date.as_deref(),
                        kind.as_deref(),
                    )
                })
                .transpose()?;
            let title = title
                .as_deref()
                .map(|t| {
                    wiki::Title::new(t)
                        .and_then(|t| wiki::sources::source_title(&t))
                        .with_context(|| format!("--title {t:?} cannot be a page title"))
                })
                .transpose()?;
            let one_document = title.is_some() || url.is_some();
            let source = meta.as_ref().map(|meta| wiki::transfer::AsSource {
                meta,
                title: title.as_ref(),
            });
            import(
                &cli.db,
                &paths,
                author.as_deref(),
                &summary,
                source,
                one_document,
            )
        }
        Command::Export { dir } => export(&cli.db, &dir),
        Command::ImportXml { file } => dumps::import_xml(&cli.db, &file),
        Command::ExportXml {
            file,
            current,
            base_url,
        } => dumps::export_xml(&cli.db, &file, current, base_url.as_deref()),
        Command::Jobs { command } => jobs(&cli.db, command),
        Command::Backup { path } => backup(&cli.db, &path),
        Command::Restore { path } => restore(&cli.db, &path),
    }
}

/// A site address: `http://` or `https://`, a host, an optional port and path, no query or
/// fragment; a trailing `/` is dropped.
fn parse_base_url(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or("the base URL starts with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or("");
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~/:[]%".contains(c);
    if host.is_empty() || !rest.chars().all(allowed) {
        return Err(format!(
            "{text:?} is not a site address like https://wiki.example.org (no query, fragment, user or spaces)"
        ));
    }
    Ok(text.to_owned())
}

/// A duration as `10s`, `500ms`, `2m` or `1h` (a bare number is seconds); more than zero, at
/// most a day.
fn parse_duration(text: &str) -> Result<Duration, String> {
    parse_duration_up_to(text, 86_400.0)
}

/// A duration like [`parse_duration`]'s, also in days (`1d`), up to 30 days.
fn parse_interval(text: &str) -> Result<Duration, String> {
    parse_duration_up_to(text, 30.0 * 86_400.0)
}

fn parse_duration_up_to(text: &str, max_seconds: f64) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (write 10s, 500ms or 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => number,
        "ms" => number / 1000.0,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        "d" => number * 86_400.0,
        other => {
            return Err(format!(
                "unknown unit {other:?} (write 10s, 500ms, 2m, 6h or 1d)"
            ));
        }
    };
    if !(seconds > 0.0 && seconds <= max_seconds) {
        return Err(format!(
            "{text:?} must be more than zero and at most {} hours",
            max_seconds / 3600.0
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn read_input(file: &PathBuf) -> Result<String> {
    let mut bytes = Vec::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => bail!(
            "{} is not valid UTF-8 (invalid byte at offset {}); convert it to UTF-8 first",
            file.display(),
            e.utf8_error().valid_up_to()
        ),
    }
}

fn parse(file: &PathBuf) -> Result<()> {
    let text = read_input(file)?;
    let json = markup::sections_json(&text);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}")?;
    Ok(())
}

fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}} left)");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

fn import(
    db_path: &Path,
    paths: &[PathBuf],
    author: Option<&str>,
    summary: &str,
    source: Option<wiki::transfer::AsSource<'_>>,
    one_document: bool,
) -> Result<()> {
    use wiki::transfer::{self, ImportResult};
    for path in paths {
        if !path.exists() {
            bail!("cannot import {}: no such file or folder", path.display());
        }
    }
    let files: Vec<PathBuf> = transfer::collect_files(paths)
        .context("cannot list the files to import")?
        .into_iter()
        .filter(|path| !wiki::files::is_image_path(path))
        .collect();
    if one_document && files.len() != 1 {
        bail!(
            "--title and --url name one document: give exactly one file (these paths hold {})",
            files.len()
        );
    }
    let db = Db::open(db_path)?;
    backfills(&db)?;
    let author_id = match author {
        None => wiki::samples::SYSTEM_USER_ID,
        Some(name) => transfer::author_id(&db, name)?.with_context(|| {
            format!("there is no user called {name} (add one with `plutarch user add {name} --role editor`)")
        })?,
    };
    let started = std::time::Instant::now();
    let bar = progress_bar(files.len() as u64, "files");
    let report = transfer::import(
        &db,
        &files,
        author_id,
        summary,
        source,
        &mut |path, result| {
            match result {
                ImportResult::Failed(reason) => {
                    bar.suspend(|| eprintln!("skipped {}: {reason}", path.display()));
                }
                // A source document is imported alone or in a few: say which page it became.
                ImportResult::Created(page) if source.is_some() => {
                    bar.suspend(|| println!("created {page}"));
                }
                ImportResult::Updated(page) if source.is_some() => {
                    bar.suspend(|| println!("updated {page}"));
                }
                ImportResult::Unchanged(page) if source.is_some() => {
                    bar.suspend(|| println!("unchanged {page}"));
                }
                _ => {}
            }
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    let images = image_files(paths);
    let mut images_failed = 0;
    for image in &images {
        match wiki::files::import_file(&db, image, author_id) {
            Ok(wiki::files::FileImport::Created(page)) => println!("created {page}"),
            Ok(wiki::files::FileImport::Added(page)) => println!("added the file of {page}"),
            Ok(wiki::files::FileImport::Unchanged(_)) => {}
            Err(e) => {
                images_failed += 1;
                eprintln!("skipped {}: {e}", image.display());
            }
        }
    }
    if images_failed > 0 {
        bail!(
            "{images_failed} of {} image files could not be imported (see above)",
            images.len()
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    let done = report.created + report.updated + report.unchanged;
    println!(
        "imported {done} of {} files in {seconds:.1} s ({:.0} files/s): {} pages created, {} updated, {} unchanged, {} failed",
        files.len(),
        files.len() as f64 / seconds.max(1e-9),
        report.created,
        report.updated,
        report.unchanged,
        report.failed.len()
    );
    if !report.failed.is_empty() {
        bail!(
            "{} of {} files could not be imported (see above)",
            report.failed.len(),
            files.len()
        );
    }
    Ok(())
}

/// The image files an import takes as files (issue 16): those given by path, and those in the
/// `files/` folder of a folder given (an export's), in name order.
fn image_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut images = Vec::new();
    for path in paths {
        if path.is_dir() {
            let folder = path.join(wiki::files::EXPORT_FOLDER);
            let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && wiki::files::is_image_path(p))
                .collect();
            found.sort();
            images.extend(found);
        } else if wiki::files::is_image_path(path) {
            images.push(path.clone());
        }
    }
    images
}

fn user(db_path: &std::path::Path, command: UserCommand) -> Result<()> {
    let db = Db::open(db_path)?;
    let mut out = std::io::stdout().lock();
    match command {
        UserCommand::Add {
            name,
            role,
            password,
        } => {
            let (password, generated) = password_from(password)?;
            auth::add_user(&db, None, &name, role, &password)?;
            writeln!(out, "created user {name} with role {role}")?;
            if generated {
                writeln!(out, "password: {password}")?;
            }
        }
        UserCommand::SetPassword { name, password } => {
            let (password, generated) = password_from(password)?;
            auth::set_password(&db, None, &name, &password)?;
            writeln!(
                out,
                "changed the password of {name} and ended their sessions"
            )?;
            if generated {
                writeln!(out, "password: {password}")?;
            }
        }
        UserCommand::SetRole { name, role } => {
            auth::set_role(&db, None, &name, role)?;
            writeln!(out, "{name} is now a {role}")?;
        }
    }
    Ok(())
}

fn export(db_path: &Path, dir: &Path) -> Result<()> {
    let db = Db::open(db_path)?;
    let total = db.read_blocking(crate::store::pages::count)?;
    let bar = progress_bar(total.max(0) as u64, "pages");
    let report = wiki::transfer::export(&db, dir, &mut |_| bar.inc(1))?;
    bar.finish_and_clear();
    let files = wiki::files::export_files(&db, dir)?;
    if files > 0 {
        println!(
            "exported {files} files to {}",
            dir.join(wiki::files::EXPORT_FOLDER).display()
        );
    }
    for (title, reason) in &report.failed {
        eprintln!("skipped {title}: {reason}");
    }
    println!(
        "exported {} pages to {}{}",
        report.written,
        dir.display(),
        if report.failed.is_empty() {
            String::new()
        } else {
            format!(", {} failed", report.failed.len())
        }
    );
    if !report.failed.is_empty() {
        bail!("{} pages could not be exported", report.failed.len());
    }
    Ok(())
}

fn backup(db_path: &Path, dest: &Path) -> Result<()> {
    if !db_path.exists() {
        bail!(
            "there is no database at {} (pass --db PATH)",
            db_path.display()
        );
    }
    let report = store::backup::backup(db_path, dest)?;
    println!("{}", describe_backup("wrote", &report));
    Ok(())
}

/// One line about a backup: where, how big, and what its check said.
pub(crate) fn describe_backup(verb: &str, report: &store::backup::BackupReport) -> String {
    format!(
        "{verb} {} ({} bytes, {} pages of {} bytes, schema version {}): integrity {}",
        report.path.display(),
        report.bytes,
        report.pages,
        report.page_size,
        report.schema_version,
        report.integrity
    )
}

fn restore(db_path: &Path, backup: &Path) -> Result<()> {
    let stamp = wiki::backups::stamp_now();
    let restored = store::backup::restore(backup, db_path, &stamp)?;
    println!("{}", describe_backup("checked", &restored.backup));
    match &restored.previous {
        Some(previous) => println!(
            "restored {} to {}; the database it replaced is kept as {}",
            backup.display(),
            db_path.display(),
            previous.display()
        ),
        None => println!("restored {} to {}", backup.display(), db_path.display()),
    }
    Ok(())
}

fn jobs(db_path: &Path, command: JobsCommand) -> Result<()> {
    use wiki::jobs::{self, Ran};
    let db = Db::open(db_path)?;
    let mut out = std::io::stdout().lock();
    match command {
        JobsCommand::Run { kind, batch } => {
            let id =
                db.write_blocking(|conn| Ok(jobs::enqueue_blocking(conn, kind, batch, None)))??;
            writeln!(out, "queued job {id} ({})", kind.name())?;
            let mut failed = Vec::new();
            let steps = jobs::drain_blocking(&db, &mut |ran| {
                if let Ran::Failed { id, error, gave_up } = ran {
                    eprintln!(
                        "job {id} failed: {error}{}",
                        if *gave_up {
                            " (given up)"
                        } else {
                            " (will be retried)"
                        }
                    );
                    failed.push(*id);
                }
            })?;
            let job = jobs::job_blocking(&db, id)?
                .with_context(|| format!("job {id} has disappeared"))?;
            writeln!(
                out,
                "job {id} {}: {} of {} done in {steps} steps",
                job.state,
                job.done,
                job.total.map_or_else(|| "?".to_owned(), |t| t.to_string())
            )?;
            if job.state != "done" {
                bail!(
                    "job {id} is {} ({})",
                    job.state,
                    job.last_error.as_deref().unwrap_or("no error recorded")
                );
            }
        }
        JobsCommand::List => {
            let list = jobs::recent_blocking(&db, jobs::LISTED)?;
            for job in list {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}/{}\tattempts {}\t{}",
                    job.id,
                    job.kind,
                    job.state,
                    job.done,
                    job.total.map_or_else(|| "?".to_owned(), |t| t.to_string()),
                    job.attempts,
                    job.last_error.unwrap_or_default()
                )?;
            }
        }
    }
    Ok(())
}

fn token(db_path: &std::path::Path, command: TokenCommand) -> Result<()> {
    let db = Db::open(db_path)?;
    let mut out = std::io::stdout().lock();
    match command {
        TokenCommand::Create { name, label } => {
            let token = auth::create_api_token(&db, &name, &label)?;
            writeln!(out, "API token for {name} (shown once; keep it secret):")?;
            writeln!(out, "{token}")?;
        }
        TokenCommand::Revoke { name } => {
            let revoked = auth::revoke_api_tokens(&db, None, &name)?;
            writeln!(out, "revoked {revoked} API tokens of {name}")?;
        }
    }
    Ok(())
}

/// The password from `--password`, else standard input, else a generated one (then `true`:
/// print it).
fn password_from(option: Option<String>) -> Result<(String, bool)> {
    Ok(match option {
        Some(password) => (password, false),
        None => match password_from_stdin()? {
            Some(password) => (password, false),
            None => (auth::secret::random_password(), true),
        },
    })
}

/// One line from standard input, unless it is a terminal or empty.
fn password_from_stdin() -> Result<Option<String>> {
    let stdin = std::io::stdin();
    if std::io::IsTerminal::is_terminal(&stdin) {
        return Ok(None);
    }
    let mut line = String::new();
    stdin
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    Ok((!password.is_empty()).then(|| password.to_owned()))
}

/// Brings an older database's derived data up to date: titles under today's namespace rules
/// (renames are logged, and kept in the audit log), then people's facts, then citations.
fn backfills(db: &Db) -> Result<()> {
    let wiki::Backfills {
        namespaces: report,
        facts_read: read,
        invisible_titles,
        citations_read,
        mentions_queued,
        search_reindexed,
    } = wiki::backfill_all(db)?;
    for title in &invisible_titles {
        tracing::warn!(title = %crate::doc::chars::reveal(title), "a page title holds an invisible character (new titles refuse them): an admin should move it (listed on /admin/log)");
    }
    for renamed in &report.renamed {
        if renamed.clash {
            tracing::warn!(from = %renamed.from, to = %renamed.to, "renamed a page into its namespace; its canonical title was taken");
        } else {
            tracing::info!(from = %renamed.from, to = %renamed.to, "renamed a page into its namespace");
        }
    }
    if report.reindexed > 0 {
        tracing::info!(
            pages = report.reindexed,
            "re-indexed pages under the namespace rules"
        );
    }
    if read > 0 {
        tracing::info!(pages = read, "read the facts of existing pages");
    }
    if citations_read > 0 {
        tracing::info!(
            pages = citations_read,
            "read the citations of sources in existing pages"
        );
    }
    if search_reindexed > 0 {
        tracing::info!(
            pages = search_reindexed,
            "re-indexed every page for search (the index came from an older reading)"
        );
    }
    if mentions_queued {
        tracing::info!("queued a rescan of the people every source mentions (a background job)");
    }
    Ok(())
}

/// On a database without users, creates `admin` and prints a generated password once.
fn first_admin(db: &Db) -> Result<()> {
    let from_env = std::env::var("PLUTARCH_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    match auth::ensure_admin(db, from_env.as_deref())
        .context("cannot create the first admin from PLUTARCH_ADMIN_PASSWORD")?
    {
        FirstAdmin::NotNeeded => {}
        FirstAdmin::Created => {
            tracing::info!(
                "created the admin account with the password in PLUTARCH_ADMIN_PASSWORD"
            );
        }
        FirstAdmin::Generated(password) => {
            // Standard output, never the log: logs are kept and shipped.
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "created user admin (role admin) with password: {password}"
            )?;
            writeln!(
                out,
                "sign in at /login and keep this password: it is not shown again"
            )?;
            out.flush()?;
        }
    }
    Ok(())
}

/// The first start's pages and admin, and facts an older version did not extract.
fn prepare(db: &Db) -> Result<()> {
    let created = wiki::samples::ensure_samples(db)?;
    if created > 0 {
        tracing::info!(
            pages = created,
            "created the main page and sample biographies"
        );
    }
    backfills(db)?;
    first_admin(db)
}

/// What `serve` does beside answering requests: checkpoints and scheduled backups.
struct Upkeep {
    /// Whether the writer checkpoints the WAL itself (off when Litestream does it).
    checkpoints: bool,
    /// Backups on a schedule, if asked for.
    backups: Option<wiki::backups::BackupSchedule>,
}

/// The caches in front to purge after each change (`serve --purge-url`, `--purge-rebound`).
struct Purges {
    targets: Vec<web::purge::PurgeTarget>,
    rebound: Duration,
}

fn parse_primary_url(text: &str) -> Result<web::replica::PrimaryUrl, String> {
    web::replica::PrimaryUrl::parse(text).map_err(|e| e.to_string())
}

/// How often a replica looks at its file while waiting for it to be ready.
const REPLICA_WAIT_EVERY: Duration = Duration::from_millis(200);

/// A replica's database, opened once the file is ready (see `store::replica`): a connection
/// opened before the file is in the journal mode Litestream leaves it in never sees new data
/// (and, in WAL mode, holds a lock that stops Litestream's follow mode).
fn open_replica(db_path: &Path) -> Result<Db> {
    let mut said = None;
    loop {
        match store::replica::readiness(db_path) {
            store::replica::Readiness::Ready => break,
            store::replica::Readiness::Refused(why) => bail!("cannot serve as a replica: {why}"),
            store::replica::Readiness::Waiting(why) => {
                if said != Some(why) {
                    tracing::info!(db = %db_path.display(), "waiting for the replica's database: {why}");
                    said = Some(why);
                }
                std::thread::sleep(REPLICA_WAIT_EVERY);
            }
        }
    }
    Ok(Db::open_replica(db_path)?)
}

fn parse_purge_url(text: &str) -> Result<web::purge::PurgeTarget, String> {
    web::purge::PurgeTarget::parse(text).map_err(|e| e.to_string())
}

fn serve(
    db_path: PathBuf,
    addr: &str,
    settings: Settings,
    options: ServeOptions,
    upkeep: Upkeep,
    purges: Purges,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let replica = settings.replica_of.is_some();
    // Held until the process ends: `restore` refuses to replace the database under it. A
    // replica writes nothing, not even this lock's file (Litestream owns its database).
    let _serving = if replica {
        None
    } else {
        Some(store::backup::ServeLock::take(&db_path)?)
    };
    let db = if replica {
        open_replica(&db_path)?
    } else {
        Db::open(&db_path)?
    };
    if replica {
        tracing::info!(
            "serving as a read replica: writes, sign-in and edit forms are sent to the primary"
        );
    } else if db.is_read_only() {
        tracing::warn!(
            "the database {} is read-only (its file, folder or disk cannot be written): pages can be read, but nothing can be saved and nobody can sign in until it is writable",
            db_path.display()
        );
    } else {
        prepare(&db)?;
    }
    if !upkeep.checkpoints {
        db.leave_checkpoints_to_others()?;
        tracing::info!(
            "WAL checkpoints are left to another process (Litestream): this server never checkpoints"
        );
    }
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                " (is another server running? choose another with --addr HOST:PORT)"
            } else {
                " (check the address, or choose another with --addr HOST:PORT)"
            };
            anyhow::anyhow!("cannot listen on {addr}: {e}{hint}")
        })?;
        // The handlers are in place before anyone can know the address: a SIGTERM sent right
        // after it is printed ends the server cleanly instead of killing it.
        let shutdown = shutdown_signal();
        // The job queue: a step at a time between edits, until the runtime ends (a read-only
        // database runs none).
        if !db.is_read_only() {
            tokio::spawn(wiki::jobs::run_forever(db.clone()));
        }
        if let Some(schedule) = upkeep.backups {
            tracing::info!(
                dir = %schedule.dir.display(),
                every = ?schedule.every,
                keep = schedule.keep,
                "backing up the database on a schedule"
            );
            tokio::spawn(wiki::backups::run_forever(db_path.clone(), schedule));
        }
        let local: SocketAddr = listener.local_addr()?;
        println!("listening on http://{local}");
        std::io::stdout().flush()?;
        tracing::info!(db = %db_path.display(), "serving on http://{local}");
        let mut settings = settings;
        if settings.base_url.is_none() {
            settings.base_url = Some(format!("http://{local}"));
        }
        let host = settings
            .origin()
            .split_once("://")
            .map_or(settings.origin(), |(_, rest)| rest)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        web::purge::spawn(&db, purges.targets, purges.rebound, host);
        let state = AppState::with_settings(db, settings);
        web::replica::spawn(&state);
        match web::serve(listener, state, options, shutdown).await {
            Stopped::Cleanly => tracing::info!("shut down cleanly"),
            Stopped::AfterGrace(open) => tracing::warn!(
                "shut down after the grace period ({:?}): requests still in progress on {open} connection(s) were abandoned",
                options.shutdown_grace
            ),
        }
        Ok(())
    });
    // Work still running on blocking threads (a long query) must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}

/// Resolves on Ctrl-C or SIGTERM; requests in progress then have the grace period to finish. The
/// signal handlers are registered when this is called, not when the future is first polled
/// (a task the server spawns, which may run only after the first requests).
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |stream: std::io::Result<tokio::signal::unix::Signal>,
                        name: &'static str| async move {
                match stream {
                    Ok(mut stream) => {
                        stream.recv().await;
                    }
                    Err(e) => {
                        tracing::warn!("cannot listen for {name}: {e}");
                        std::future::pending::<()>().await;
                    }
                }
            };
            let (terminate, interrupt) = signals;
            tokio::select! {
                () = wait(terminate, "SIGTERM") => {},
                () = wait(interrupt, "Ctrl-C") => {},
            }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("6h"), Ok(Duration::from_secs(6 * 3600)));
        for bad in ["", "0", "0s", "-1s", "ten", "25h", "2d", "2 days"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_interval("2d"), Ok(Duration::from_secs(2 * 86_400)));
        assert!(parse_interval("31d").is_err());
    }
}
