//! Connections: two small pools of readers (pages, search) and one writer, used from blocking
//! threads only.
//!
//! Every read is watched (see [`deadline`](super::deadline)): SQLite's progress handler stops it
//! past the request's deadline, when the caller has gone, or when the server shuts down.
//! Searches have readers of their own, so slow searches can hold those and never the readers
//! that serve pages.
//!
//! A hand-rolled pool rather than deadpool-sqlite: deadpool's recycle step runs a query
//! through an extra blocking hop on every checkout, which would double the cost of a page view.
//!
//! Edits are group-committed: [`Db::write_grouped`] queues its job, and whichever blocking thread gets
//! the writer runs every queued job in one transaction (each job inside its own savepoint, see
//! [`begin_write`](super::begin_write)), commits once, and only then answers each job. A commit
//! with `synchronous=FULL` costs an fsync (about 5 ms on the disks we measured), so edits that
//! arrive while one commit is in flight share the next one instead of queueing for their own.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use super::changes::{self, Changed, Stamps};
use super::deadline::{self, AbandonOnDrop, Interruption, Watch};
use super::replica::Signature;
use super::{StoreError, migrations};

/// How many read connections serve pages (every read but search) at once.
const PAGE_READERS: usize = 8;
/// How many read connections serve searches at once. Eight slow searches once held all eight
/// readers and a history page waited 45 s behind them; now they wait for these two.
const SEARCH_READERS: usize = 2;
/// How many steps of SQLite's virtual machine run between two looks at a read's watch (a look
/// costs a clock read: tens of nanoseconds every few microseconds).
const STEPS_PER_CHECK: std::ffi::c_int = 1000;

/// Which readers a read uses.
#[derive(Debug, Clone, Copy)]
enum Lane {
    Pages,
    Search,
}

/// A pool of read connections and the permits that bound how many run at once.
struct Readers {
    connections: Mutex<Vec<Connection>>,
    slots: Arc<Semaphore>,
}

impl Readers {
    fn open(path: &Path, count: usize, cache: ReaderCache) -> Result<Self, StoreError> {
        Ok(Self {
            connections: Mutex::new(
                (0..count)
                    .map(|_| open_reader(path, cache))
                    .collect::<Result<_, _>>()?,
            ),
            slots: Arc::new(Semaphore::new(count)),
        })
    }
}

/// The database: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// SQLite opened the file read-only (the file, its folder or its disk cannot be written).
    read_only: bool,
    pages: Readers,
    search: Readers,
    /// Set when the server shuts down: reads in flight stop, new ones are refused.
    shutting_down: Arc<AtomicBool>,
    writer: Mutex<Connection>,
    queue: Mutex<Vec<Job>>,
    /// Bumped after every write through this `Db` that changed what readers see (after its
    /// commit, before its caller hears of it), and when another process changed the file:
    /// caches of listings are valid only for the generation they saw.
    generation: AtomicU64,
    /// The generation at which each page last changed: a cached view of a page stays valid
    /// through writes to other pages ([`Db::is_fresh`]).
    stamps: RwLock<Stamps>,
    /// The last `data_version` of the writer seen by [`Db::check_external_writes`].
    external_version: AtomicU64,
    /// A replica's: what the file looked like at the last look of [`Db::check_replication`]
    /// (`None` on a primary).
    replica: Option<Mutex<Signature>>,
    /// Each change readers see, announced after its commit (for purges of caches in front).
    announcements: tokio::sync::broadcast::Sender<Changed>,
}

/// How many announced changes a slow listener may fall behind before it hears that it lagged.
const ANNOUNCED: usize = 1024;

/// Whether a write changes what pages, answers and listings show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Changes {
    /// It may: caches of derived data are stale after it.
    Content,
    /// It does not (sessions, sign-in attempts): caches stay valid.
    Private,
}

/// A queued write: runs on the writer inside the group's transaction and returns what to do once
/// the group's commit is known (answer the caller with its result, or with the commit's error).
type Job = Box<dyn FnOnce(&mut Connection) -> Completion + Send>;
type Completion = Box<dyn FnOnce(Result<(), &rusqlite::Error>) + Send>;

/// A copy of a commit error for each job of the group (rusqlite errors are not `Clone`).
fn commit_error(error: &rusqlite::Error) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(code, message) => {
            rusqlite::Error::SqliteFailure(*code, message.clone()).into()
        }
        other => StoreError::Task(format!("commit failed: {other}")),
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.inner.path)
            .finish()
    }
}

/// Runs a job; a panicking job's savepoint rolls back as it unwinds, and its caller hears of
/// the panic through its dropped channel.
fn run_job(job: Job, conn: &mut Connection) -> Option<Completion> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn))).ok()
}

fn fail_all(pending: &mut Vec<Completion>, error: &rusqlite::Error) {
    for completion in pending.drain(..) {
        completion(Err(error));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in store code poisons the lock but leaves SQLite consistent (the transaction
    // rolls back when dropped), so the connection stays usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    // For a new database only (an existing one keeps its page size): 16 KiB pages hold a
    // section chunk (1 to 10 KB) with less waste than smaller ones, and a write has fewer pages
    // to log. Measured on an import of 10,000 biographies (bench/store-import.sh): 8 KiB pages
    // were 4 % faster than 4 KiB, 16 KiB another 4 % (a 6 % smaller file); 32 KiB no better.
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Savepoints (one per imported file) journal into memory, not a temporary file, and a
    // large import batch fits in the cache instead of spilling pages mid-transaction.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // `rarray(?)`: a list of values given as one parameter, so that a batch writes each page's
    // links, and its templates, with one statement (`links::replace_many`).
    rusqlite::vtab::array::load_module(conn)?;
    Ok(())
}

/// Whether a reader keeps SQLite's page cache between reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReaderCache {
    /// 16 MiB of pages: only SQLite writes the file, and SQLite notices its own changes.
    Kept,
    /// None (a replica): Litestream writes pages into the file without telling SQLite's cache
    /// check (see [`replica`](super::replica)), so every read takes its pages from the file.
    Dropped,
}

fn open_reader(path: &Path, cache: ReaderCache) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let pages = match cache {
        ReaderCache::Kept => -16384,
        ReaderCache::Dropped => 0,
    };
    conn.pragma_update(None, "cache_size", pages)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut writer = Connection::open(path).map_err(open_error)?;
        configure(&writer).map_err(open_error)?;
        migrations::migrate(&mut writer, path)?;
        let read_only = writer.is_readonly(rusqlite::MAIN_DB)?;
        Self::assemble(path, writer, read_only, None)
    }

    /// Opens a replica's database (`serve --replica-of`): read-only (SQLite refuses every
    /// write), no migrations (a schema version other than this Plutarch's is refused with
    /// [`StoreError::OtherSchema`]), and readers that keep no page cache (see
    /// [`replica`](super::replica)). The caller waits for [`replica::readiness`] first: a
    /// connection opened before the file is in the journal mode Litestream leaves it in never
    /// sees new data.
    ///
    /// [`replica::readiness`]: super::replica::readiness
    pub fn open_replica(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // The "writer" of a replica writes nothing: it is the connection the change watch
        // asks for `data_version`.
        let watcher = Connection::open_with_flags(path, flags).map_err(open_error)?;
        watcher.busy_timeout(std::time::Duration::from_secs(5))?;
        let found: i64 = watcher.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let supported = migrations::supported_version();
        if found != supported {
            return Err(StoreError::OtherSchema {
                path: path.to_path_buf(),
                found,
                supported,
            });
        }
        let signature = Signature::of(path);
        Self::assemble(path, watcher, true, Some(Mutex::new(signature)))
    }

    fn assemble(
        path: &Path,
        writer: Connection,
        read_only: bool,
        replica: Option<Mutex<Signature>>,
    ) -> Result<Self, StoreError> {
        let cache = if replica.is_some() {
            ReaderCache::Dropped
        } else {
            ReaderCache::Kept
        };
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                read_only,
                pages: Readers::open(path, PAGE_READERS, cache)?,
                search: Readers::open(path, SEARCH_READERS, cache)?,
                shutting_down: Arc::new(AtomicBool::new(false)),
                writer: Mutex::new(writer),
                queue: Mutex::new(Vec::new()),
                generation: AtomicU64::new(0),
                stamps: RwLock::new(Stamps::default()),
                external_version: AtomicU64::new(0),
                replica,
                announcements: tokio::sync::broadcast::channel(ANNOUNCED).0,
            }),
        })
    }

    /// Whether this is a replica's database ([`open_replica`](Self::open_replica)).
    pub fn is_replica(&self) -> bool {
        self.inner.replica.is_some()
    }

    /// How many searches run at once (on readers of their own).
    pub const SEARCH_READERS: usize = SEARCH_READERS;

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Turns off SQLite's automatic checkpoints on the writer (`PRAGMA wal_autocheckpoint = 0`):
    /// the write-ahead log then grows until another process (Litestream) checkpoints it, so
    /// Plutarch never moves pages out of the log before the replicator has copied them.
    pub fn leave_checkpoints_to_others(&self) -> Result<(), StoreError> {
        lock(&self.inner.writer).pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// The writer's automatic checkpoint threshold in pages (0: off).
    pub fn autocheckpoint_pages(&self) -> Result<i64, StoreError> {
        Ok(lock(&self.inner.writer)
            .pragma_query_value(None, "wal_autocheckpoint", |row| row.get(0))?)
    }

    /// Whether the database could only be opened for reading: every write will fail with
    /// [`StoreError::ReadOnly`].
    pub fn is_read_only(&self) -> bool {
        self.inner.read_only
    }

    /// Runs `f` on a read connection, on a blocking thread. Past the request's deadline (see
    /// [`deadline::within`]), when this future is dropped, or once the server shuts down, `f`'s
    /// statements are interrupted and the answer is [`StoreError::Interrupted`].
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.read_in(Lane::Pages, f).await
    }

    /// Like [`read`](Self::read), on the readers kept for searches.
    pub async fn read_search<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.read_in(Lane::Search, f).await
    }

    async fn read_in<T, F>(&self, lane: Lane, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let watch = Watch::new(deadline::current(), Arc::clone(&self.inner.shutting_down));
        if let Some(why) = watch.check() {
            return Err(StoreError::Interrupted(why));
        }
        let acquire = Arc::clone(&self.inner.readers(lane).slots).acquire_owned();
        let permit = match watch.deadline() {
            Some(deadline) => tokio::time::timeout_at(deadline.into(), acquire)
                .await
                .map_err(|_| StoreError::Interrupted(Interruption::Deadline))?,
            None => acquire.await,
        }
        .map_err(|e| StoreError::Task(e.to_string()))?;
        let abandon = AbandonOnDrop(Arc::clone(&watch));
        let inner = Arc::clone(&self.inner);
        let result = tokio::task::spawn_blocking(move || {
            let result = inner.read_watched(lane, &watch, f);
            drop(permit);
            result
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?;
        drop(abandon);
        result
    }

    /// Interrupts every read in flight and refuses new ones: the server is shutting down, and
    /// a runaway read must not keep it alive.
    pub fn stop_reads(&self) {
        self.inner.shutting_down.store(true, Ordering::Release);
    }

    /// Runs `f` on the one writer connection, on a blocking thread, on its own (it may open its
    /// own transaction).
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.write_on_writer(f, Changes::Content).await
    }

    /// Like [`write`](Self::write), for a write that changes nothing a page, an API answer or a
    /// listing shows (a session's last use, a sign-in, a sign-out, a failed attempt): the
    /// [`generation`](Self::generation) stays, so the caches of rendered pages and answers stay
    /// valid. A signed-in reader's every few minutes must not empty them for everyone.
    pub async fn write_private<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.write_on_writer(f, Changes::Private).await
    }

    async fn write_on_writer<T, F>(&self, f: F, changes: Changes) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.write_now(f, changes))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Like [`write`](Self::write), but group-committed: `f` may run inside a transaction shared
    /// with other writes, so it must make its changes through
    /// [`begin_write`](super::begin_write) (a savepoint of its own then, so a failing `f` rolls
    /// back only its own changes) and never `BEGIN` itself. The answer comes once the group's
    /// commit is durable.
    pub async fn write_grouped<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let generation = Arc::clone(&self.inner);
        let job: Job = Box::new(move |conn| {
            changes::clear();
            let result = f(conn);
            let changed = changes::take();
            Box::new(move |commit| {
                // The commit is done (or failed): readers from now on must not trust a cache
                // of what it changed.
                generation.record(&changed);
                let result = match (result, commit) {
                    (Ok(_), Err(e)) => Err(commit_error(e)),
                    (result, _) => result,
                };
                let _ = answer.send(result);
            })
        });
        lock(&self.inner.queue).push(job);
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.run_queue())
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?;
        answered
            .await
            .map_err(|_| StoreError::Task("the write failed (a panic in store code)".into()))?
    }

    /// Runs `f` on a read connection on this thread (for the CLI and tests, not the server), with
    /// no deadline.
    pub fn read_blocking<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let watch = Watch::new(None, Arc::clone(&self.inner.shutting_down));
        self.inner.read_watched(Lane::Pages, &watch, f)
    }

    /// Runs `f` on the writer on this thread (for the CLI and tests, not the server).
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.inner.write_now(f, Changes::Content)
    }

    /// [`write_private`](Self::write_private) on this thread (a sign-in, which already runs on
    /// a blocking thread for its password hash).
    pub fn write_private_blocking<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.inner.write_now(f, Changes::Private)
    }

    /// The write generation: it changes whenever the database may have changed what readers
    /// see. A cached listing is valid only at the generation it was made at.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }

    /// Whether an answer made at `generation` about the pages `titles` (normalised) is still
    /// right: none of them changed since (writes to other pages do not count; writes that did
    /// not say what they changed do). See [`changes`](super::changes).
    pub fn is_fresh<'a>(&self, titles: impl IntoIterator<Item = &'a str>, generation: u64) -> bool {
        let Ok(stamps) = self.inner.stamps.read() else {
            return false;
        };
        titles
            .into_iter()
            .all(|title| stamps.of(title) <= generation)
    }

    /// Every change readers see from now on, announced after its commit (what
    /// [`changes`](super::changes) noted; [`Changed::Unknown`] for writes that did not say and
    /// for other processes' writes). A listener that falls far behind gets `Lagged`.
    pub fn announcements(&self) -> tokio::sync::broadcast::Receiver<Changed> {
        self.inner.announcements.subscribe()
    }

    /// When the page `title` (normalised) last changed, or anything readers see when `None`:
    /// never earlier than the change (before the database was opened, the opening time).
    pub fn changed_at(&self, title: Option<&str>) -> std::time::SystemTime {
        match self.inner.stamps.read() {
            Ok(stamps) => stamps.time_of(title),
            Err(_) => std::time::SystemTime::now(),
        }
    }

    /// Notices writes made by other processes (an import while serving, say) and bumps the
    /// generation. Cheap: one `PRAGMA data_version` on the writer, whose own commits do not
    /// change it (a separate connection would count this process's writes too, private ones
    /// included).
    pub async fn check_external_writes(&self) -> Result<(), StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.check_external_writes())
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
            .map(|_| ())
    }

    /// On a replica: notices that the file changed (through SQLite's `data_version`, or its
    /// size, time and Litestream's transaction id) and, if it did, marks everything changed (a
    /// replica cannot know which pages an applied transaction touched), so every cache made
    /// before is stale. Answers whether it changed. Cheap: one pragma and two `stat`s.
    pub async fn check_replication(&self) -> Result<bool, StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.check_replication())
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

impl Inner {
    /// Moves the generation on for what a write changed, stamping the pages it changed with the
    /// new generation first (a reader that sees the new generation also sees the stamps).
    fn record(&self, changed: &Changed) {
        if *changed == Changed::Nothing {
            return;
        }
        let mut stamps = self
            .stamps
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let generation = self.generation.load(Ordering::Acquire) + 1;
        stamps.record(changed, generation);
        self.generation.store(generation, Ordering::Release);
        drop(stamps);
        // Nobody listening (no purges configured) is not an error.
        let _ = self.announcements.send(changed.clone());
    }

    /// Runs `f` on the writer; then, unless it changed nothing shown, moves the generation on
    /// (after the commit, before the caller hears of it: caches must not outlive it).
    fn write_now<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
        changes: Changes,
    ) -> Result<T, StoreError> {
        changes::clear();
        let result = f(&mut lock(&self.writer));
        let changed = changes::take();
        if changes == Changes::Content {
            self.record(&changed);
        }
        result
    }

    fn check_external_writes(&self) -> Result<bool, StoreError> {
        let writer = lock(&self.writer);
        let version: i64 = writer.pragma_query_value(None, "data_version", |row| row.get(0))?;
        drop(writer);
        let version = version as u64;
        let changed = self.external_version.swap(version, Ordering::AcqRel) != version;
        if changed {
            self.record(&Changed::Unknown);
        }
        Ok(changed)
    }

    /// [`check_external_writes`](Self::check_external_writes), and on a replica also the
    /// file's [`Signature`] (Litestream's writes that `data_version` does not see).
    fn check_replication(&self) -> Result<bool, StoreError> {
        let by_sqlite = self.check_external_writes()?;
        let Some(seen) = &self.replica else {
            return Ok(by_sqlite);
        };
        let now = Signature::of(&self.path);
        let mut seen = lock(seen);
        if *seen == now {
            return Ok(by_sqlite);
        }
        *seen = now;
        drop(seen);
        if !by_sqlite {
            self.record(&Changed::Unknown);
        }
        Ok(true)
    }

    /// Takes the writer and runs every queued job in one transaction (nothing to do when another
    /// thread already ran ours).
    fn run_queue(&self) {
        let mut conn = lock(&self.writer);
        let jobs = std::mem::take(&mut *lock(&self.queue));
        let mut pending: Vec<Completion> = Vec::with_capacity(jobs.len());
        // What the jobs of a group hear if SQLite rolls the group back by itself (it may, after
        // some I/O errors): their changes are gone.
        let lost = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
            Some("the transaction was rolled back after an I/O error".into()),
        );
        for job in jobs {
            if conn.is_autocommit() {
                fail_all(&mut pending, &lost);
                if conn.execute_batch("BEGIN IMMEDIATE").is_err() {
                    // No group: the job runs on its own, its own transaction decides (and it
                    // reports why it could not write).
                    if let Some(completion) = run_job(job, &mut conn) {
                        completion(Ok(()));
                    }
                    continue;
                }
            }
            let Some(completion) = run_job(job, &mut conn) else {
                continue;
            };
            if conn.is_autocommit() {
                // This job's error made SQLite roll the group back: it reports its own error,
                // the jobs before it lost their changes.
                fail_all(&mut pending, &lost);
                completion(Ok(()));
            } else {
                pending.push(completion);
            }
        }
        if conn.is_autocommit() {
            fail_all(&mut pending, &lost);
            return;
        }
        match conn.execute_batch("COMMIT") {
            Ok(()) => {
                for completion in pending {
                    completion(Ok(()));
                }
            }
            Err(e) => {
                if !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                fail_all(&mut pending, &e);
            }
        }
    }

    fn readers(&self, lane: Lane) -> &Readers {
        match lane {
            Lane::Pages => &self.pages,
            Lane::Search => &self.search,
        }
    }

    /// Runs `f` on a reader of `lane` whose progress handler obeys `watch`. A read that was
    /// stopped answers [`StoreError::Interrupted`], whatever `f` made of SQLite's error (and
    /// even if `f` swallowed it: its answer may be incomplete).
    fn read_watched<T>(
        &self,
        lane: Lane,
        watch: &Arc<Watch>,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let readers = self.readers(lane);
        let pooled = lock(&readers.connections).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_reader(
                &self.path,
                if self.replica.is_some() {
                    ReaderCache::Dropped
                } else {
                    ReaderCache::Kept
                },
            )?,
        };
        let watched = Arc::clone(watch);
        conn.progress_handler(STEPS_PER_CHECK, Some(move || watched.check().is_some()))?;
        let result = f(&conn);
        let _ = conn.progress_handler(0, None::<fn() -> bool>);
        // An interrupted read may leave its transaction open (a statement stopped inside it):
        // the next read on this connection must not see that old snapshot.
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        if conn.is_autocommit() {
            lock(&readers.connections).push(conn);
        }
        match watch.stopped() {
            Some(why) => Err(StoreError::Interrupted(why)),
            None => result,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// A read that never ends by itself: counting forever.
    fn endless(conn: &Connection) -> Result<i64, StoreError> {
        Ok(conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            [],
            |row| row.get(0),
        )?)
    }

    fn one(conn: &Connection) -> Result<i64, StoreError> {
        Ok(conn.query_row("SELECT 1", [], |row| row.get(0))?)
    }

    fn temporary() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = Db::open(&dir.path().join("d.db")).expect("open");
        (dir, db)
    }

    /// A guard against a test that would hang: never a timing assertion.
    const GUARD: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn a_read_past_its_deadline_is_interrupted_and_its_reader_reused() {
        let (_dir, db) = temporary();
        for lane_is_search in [false, true] {
            let deadline = Instant::now() + Duration::from_millis(50);
            let reads = db.clone();
            let read = deadline::within(deadline, async move {
                if lane_is_search {
                    reads.read_search(endless).await
                } else {
                    reads.read(endless).await
                }
            });
            let result = tokio::time::timeout(GUARD, read).await.expect("stopped");
            assert!(
                matches!(result, Err(StoreError::Interrupted(Interruption::Deadline))),
                "{result:?}"
            );
        }
        // Every reader is still there and usable.
        for _ in 0..PAGE_READERS + 1 {
            assert_eq!(db.read(one).await.expect("read"), 1);
        }
        assert_eq!(db.read_search(one).await.expect("search read"), 1);
    }

    #[tokio::test]
    async fn a_read_whose_caller_is_gone_is_interrupted() {
        let (_dir, db) = temporary();
        let (done, finished) = std::sync::mpsc::channel();
        let read = db.read(move |conn| {
            let result = endless(conn);
            let _ = done.send(result.is_err());
            result
        });
        // The caller gives up (like a client that closed its connection): the future is dropped.
        assert!(
            tokio::time::timeout(Duration::from_millis(50), read)
                .await
                .is_err()
        );
        let stopped = tokio::task::spawn_blocking(move || finished.recv_timeout(GUARD))
            .await
            .expect("join");
        assert_eq!(stopped, Ok(true), "the blocking read was interrupted");
    }

    #[tokio::test]
    async fn stopping_reads_interrupts_those_in_flight_and_refuses_new_ones() {
        let (_dir, db) = temporary();
        let reads = db.clone();
        let running = tokio::spawn(async move { reads.read_search(endless).await });
        tokio::time::sleep(Duration::from_millis(50)).await;
        db.stop_reads();
        let result = tokio::time::timeout(GUARD, running)
            .await
            .expect("stopped")
            .expect("join");
        assert!(
            matches!(
                result,
                Err(StoreError::Interrupted(Interruption::ShuttingDown))
            ),
            "{result:?}"
        );
        assert!(matches!(
            db.read(one).await,
            Err(StoreError::Interrupted(Interruption::ShuttingDown))
        ));
        // Writes are not stopped.
        db.write(|_| Ok(())).await.expect("write");
    }

    #[tokio::test]
    async fn private_writes_keep_the_generation_and_only_other_processes_count_as_external() {
        let (dir, db) = temporary();
        db.check_external_writes().await.expect("first look");
        let start = db.generation();
        db.write_private(|conn| Ok(conn.execute_batch("CREATE TABLE t (x)")?))
            .await
            .expect("private write");
        db.write_private_blocking(|conn| Ok(conn.execute_batch("INSERT INTO t VALUES (1)")?))
            .expect("private blocking write");
        db.check_external_writes().await.expect("look");
        assert_eq!(db.generation(), start, "nothing shown changed");

        db.write(|conn| Ok(conn.execute_batch("INSERT INTO t VALUES (2)")?))
            .await
            .expect("write");
        db.check_external_writes().await.expect("look");
        assert_eq!(db.generation(), start + 1, "our own write counted once");

        let other = Connection::open(dir.path().join("d.db")).expect("another process");
        other
            .execute_batch("INSERT INTO t VALUES (3)")
            .expect("its write");
        db.check_external_writes().await.expect("look");
        assert_eq!(db.generation(), start + 2, "another process's write counts");
    }

    #[tokio::test]
    async fn every_kind_of_write_moves_the_generation_on() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = Db::open(&dir.path().join("g.db")).expect("open");
        let start = db.generation();
        db.write(|_| Ok(())).await.expect("write");
        let after_write = db.generation();
        assert!(after_write > start);
        db.write_grouped(|_| Ok(())).await.expect("grouped write");
        let after_grouped = db.generation();
        assert!(after_grouped > after_write);
        db.write_blocking(|_| Ok(())).expect("blocking write");
        assert!(db.generation() > after_grouped);
    }
}
