//! The job queue page (`/admin/jobs`): each job's kind, state and progress, and a form to start
//! a job.

use maud::{Markup, html};

use super::account::csrf_field;
use super::{Layout, SignedIn, layout, when};

/// One job, as shown.
#[derive(Debug, Clone, Copy)]
pub struct JobLine<'a> {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: &'a str,
    /// queued, running, done or failed.
    pub state: &'a str,
    /// Work done.
    pub done: i64,
    /// Work in all, once known.
    pub total: Option<i64>,
    /// Failed attempts.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<&'a str>,
    /// Who asked for it (`None`: the system).
    pub created_by: Option<&'a str>,
    /// When (RFC 3339).
    pub created_at: &'a str,
    /// When it last changed (RFC 3339).
    pub updated_at: &'a str,
}

/// A kind of job an admin can start, as (name, description).
pub type Startable<'a> = (&'a str, &'a str);

/// The job queue page.
pub fn jobs_page(jobs: &[JobLine<'_>], startable: &[Startable<'_>], user: SignedIn<'_>) -> Markup {
    layout(
        Layout {
            title: "Jobs",
            user: Some(user),
            ..Layout::default()
        },
        html! {
            h1 { "Jobs" }
            p { "Background work the server does a small batch at a time between edits, newest first. See also the " a href="/admin/log" { "audit log" } "." }
            @for (kind, description) in startable {
                form.start-job method="post" action="/admin/jobs" {
                    (csrf_field(user.csrf))
                    input type="hidden" name="kind" value=(kind);
                    button type="submit" { "Start " (kind) }
                    " " span.hint { (description) }
                }
            }
            @if jobs.is_empty() {
                p.empty { "No job has run yet." }
            } @else {
                table.jobs {
                    thead { tr { th { "Job" } th { "Kind" } th { "State" } th { "Progress" } th { "Attempts" } th { "Last error" } th { "Started by" } th { "Queued" } th { "Updated" } } }
                    tbody {
                        @for job in jobs {
                            tr {
                                td { (job.id) }
                                td.kind { (job.kind) }
                                td.state { (job.state) }
                                td.progress {
                                    @match job.total {
                                        Some(total) => { progress value=(job.done) max=(total.max(1)) {} " " (job.done) " / " (total) }
                                        None => { (job.done) " / ?" }
                                    }
                                }
                                td { (job.attempts) }
                                td { (job.last_error.unwrap_or("")) }
                                td { @if let Some(who) = job.created_by { (who) } @else { em { "system" } } }
                                td { (when::time(job.created_at)) }
                                td { (when::time(job.updated_at)) }
                            }
                        }
                    }
                }
            }
        },
    )
}
