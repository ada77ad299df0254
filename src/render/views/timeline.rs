//! Timelines drawn as SVG in the page: one person's life as a bar with their dated facts as
//! marks, and everyone's lives as one bar each. Every label goes through maud, so it is
//! escaped in the SVG as in the HTML; the same facts are listed as text under the drawing.

use maud::{Markup, html};

use super::{Layout, PageTabs, SignedIn, layout};
use crate::bio::{Event, FactDate};
use crate::render::page_url;

/// The drawing's width in SVG units (it scales to the page).
const WIDTH: f64 = 900.0;
/// Rows of labels under a person's bar, so that close marks do not overprint.
const LABEL_ROWS: usize = 10;
/// The height of a person's row in everyone's timeline.
const ROW: f64 = 24.0;
/// Room for names on the left of everyone's timeline.
const NAMES: f64 = 210.0;

/// A person's life, for drawing.
pub struct Life<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The person's name.
    pub name: &'a str,
    /// Born.
    pub born: Option<&'a FactDate>,
    /// Died.
    pub died: Option<&'a FactDate>,
}

impl Life<'_> {
    /// From the start of the birth date to the end of the death date (or the birth's end when
    /// the death is unknown).
    fn span(&self) -> Option<(f64, f64)> {
        let (start, born_end) = self.born?.years()?;
        let end = self.died.and_then(|d| d.years()).map_or(born_end, |d| d.1);
        Some((start, end.max(born_end)))
    }
}

/// A time axis: years to x positions.
struct Axis {
    min: f64,
    max: f64,
    left: f64,
    right: f64,
}

impl Axis {
    fn new(years: impl Iterator<Item = f64>, left: f64, right: f64) -> Option<Self> {
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for y in years.filter(|y| y.is_finite()) {
            min = min.min(y);
            max = max.max(y);
        }
        if !min.is_finite() {
            return None;
        }
        let step = Self::step(max - min);
        let min = (min / step).floor() * step;
        let max = ((max / step).ceil() * step).max(min + step);
        Some(Self {
            min,
            max,
            left,
            right,
        })
    }

    /// A round tick step giving at most about ten ticks.
    fn step(range: f64) -> f64 {
        [
            1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0, 1000.0,
        ]
        .into_iter()
        .find(|s| range / s <= 10.0)
        .unwrap_or(2000.0)
    }

    fn x(&self, year: f64) -> f64 {
        let share = (year - self.min) / (self.max - self.min);
        ((self.left + share.clamp(0.0, 1.0) * (self.right - self.left)) * 10.0).round() / 10.0
    }

    fn ticks(&self) -> Vec<f64> {
        let step = Self::step(self.max - self.min);
        let count = ((self.max - self.min) / step).round() as usize;
        (0..=count.min(20))
            .map(|i| self.min + step * i as f64)
            .collect()
    }

    fn draw(&self, top: f64, bottom: f64) -> Markup {
        html! {
            g.axis {
                line x1=(self.left) y1=(top) x2=(self.right) y2=(top) stroke="#72777d" {}
                @for tick in self.ticks() {
                    line x1=(self.x(tick)) y1=(top) x2=(self.x(tick)) y2=(bottom) stroke="#eaecf0" {}
                    text x=(self.x(tick)) y=(top - 6.0) text-anchor="middle" font-size="12" fill="#54595d" { (tick) }
                }
            }
        }
    }
}

/// A person's timeline page.
pub fn person(
    title: &str,
    life: &Life<'_>,
    events: &[Event],
    tabs: PageTabs<'_>,
    user: Option<SignedIn<'_>>,
) -> Markup {
    let heading = format!("Timeline of {title}");
    layout(
        Layout {
            title: &heading,
            tabs,
            user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @if events.is_empty() {
                p { "This page has no dated facts: a timeline needs an infobox with dates (" code { "birth_date" } ", " code { "term_start" } "…)." }
            } @else {
                figure.timeline {
                    (person_svg(life, events))
                    figcaption { (life.name) "’s life and dated facts" }
                }
                ol.timeline-events {
                    @for event in events {
                        li { time { (event.date.text) } " — " (event.label) }
                    }
                }
            }
            p { a href=(page_url(title)) { "Back to " (title) } }
        },
    )
}

fn person_svg(life: &Life<'_>, events: &[Event]) -> Markup {
    let years = events
        .iter()
        .filter_map(|e| e.date.years())
        .flat_map(|(a, b)| [a, b])
        .chain(life.span().into_iter().flat_map(|(a, b)| [a, b]));
    let Some(axis) = Axis::new(years, 20.0, WIDTH - 20.0) else {
        return html! {};
    };
    let bar = 50.0;
    let labels = place_labels(&axis, events);
    let rows = labels.iter().map(|l| l.row + 1).max().unwrap_or(1);
    let height = bar + 40.0 + rows as f64 * 18.0;
    html! {
        svg viewBox=(format!("0 0 {WIDTH} {height}")) role="img" aria-label=(format!("Timeline of {}", life.name)) {
            (axis.draw(30.0, height - 4.0))
            @if let Some((start, end)) = life.span() {
                rect.life x=(axis.x(start)) y=(bar) width=((axis.x(end) - axis.x(start)).max(2.0)) height="12" rx="3" fill="#cfe0f5" stroke="#3366cc" {
                    title { (life.name) }
                }
            }
            @for label in &labels {
                @let y = bar + 40.0 + label.row as f64 * 18.0;
                g.event {
                    line x1=(label.x) y1=(bar + 12.0) x2=(label.x) y2=(y - 12.0) stroke="#a2a9b1" {}
                    circle cx=(label.x) cy=(bar + 6.0) r="5" fill="#3366cc" {}
                    text x=(label.text_x) y=(y) text-anchor=(label.anchor) font-size="12" fill="#202122" {
                        (label.event.date.text) " — " (label.event.label)
                    }
                }
            }
        }
    }
}

/// Where an event's mark and label go.
struct Label<'e> {
    event: &'e Event,
    x: f64,
    text_x: f64,
    anchor: &'static str,
    row: usize,
}

/// Puts each label in the first row where it overlaps no other (labels near the right edge
/// end at their mark); at most [`LABEL_ROWS`] rows, the last one taking what does not fit.
fn place_labels<'e>(axis: &Axis, events: &'e [Event]) -> Vec<Label<'e>> {
    let mut taken: Vec<Vec<(f64, f64)>> = vec![Vec::new(); LABEL_ROWS];
    let mut labels = Vec::new();
    for event in events {
        let Some((start, _)) = event.date.years() else {
            continue;
        };
        let x = axis.x(start);
        // About 6.5 units a character at font size 12.
        let chars = event.date.text.chars().count() + event.label.chars().count() + 3;
        let width = chars as f64 * 6.5;
        let (from, to, text_x, anchor) = if x + width > WIDTH - 10.0 {
            (x - width - 4.0, x, x - 4.0, "end")
        } else {
            (x, x + width + 4.0, x + 4.0, "start")
        };
        let row = (0..LABEL_ROWS)
            .find(|r| taken[*r].iter().all(|(a, b)| to < *a || from > *b))
            .unwrap_or(LABEL_ROWS - 1);
        taken[row].push((from, to));
        labels.push(Label {
            event,
            x,
            text_x,
            anchor,
            row,
        });
    }
    labels
}

/// Everyone's timeline: one bar per person, a page of them, with a link to the next page.
pub fn everyone(lives: &[Life<'_>], more: Option<&str>, user: Option<SignedIn<'_>>) -> Markup {
    layout(
        Layout {
            title: "Timeline",
            user,
            ..Layout::default()
        },
        html! {
            h1.page-title { "Timeline" }
            p { "Everyone with a known birth date, earliest first. Each bar runs from birth to death; follow a name for that person’s own timeline." }
            @if lives.is_empty() {
                p { "No biography has a birth date yet." }
            } @else {
                figure.timeline { (everyone_svg(lives)) }
                ol.timeline-people {
                    @for life in lives {
                        li {
                            a href=(format!("{}/timeline", page_url(life.title))) { (life.name) }
                            " ("
                            (life.born.map_or("?", |d| d.text.as_str()))
                            " – "
                            (life.died.map_or("", |d| d.text.as_str()))
                            ")"
                        }
                    }
                }
            }
            @if let Some(more) = more { p.more { a href=(more) { "Later births" } } }
        },
    )
}

/// The first year everyone's axis shows: the earliest birth, unless a few lives lie long
/// before all the others (Plutarch among people of the last two centuries). Then the axis
/// starts after that gap, so that the others do not shrink to slivers, and the early lives are
/// drawn clipped at its left edge. "Long before" is a gap, between the end of the early lives
/// and the next birth, wider than the time the rest covers; "a few" is at most a third.
fn axis_from(spans: &[(f64, f64)]) -> Option<f64> {
    let mut sorted = spans.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let last = sorted.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
    let mut early_end = f64::NEG_INFINITY;
    for (i, pair) in sorted.windows(2).enumerate() {
        early_end = early_end.max(pair[0].1);
        let (next, early) = (pair[1].0, i + 1);
        if early * 3 <= sorted.len() && next - early_end > last - next {
            return Some(next);
        }
    }
    sorted.first().map(|s| s.0)
}

fn everyone_svg(lives: &[Life<'_>]) -> Markup {
    let spans: Vec<Option<(f64, f64)>> = lives.iter().map(Life::span).collect();
    let known: Vec<(f64, f64)> = spans.iter().flatten().copied().collect();
    let from = axis_from(&known).unwrap_or(f64::NEG_INFINITY);
    let years = known
        .iter()
        .flat_map(|(a, b)| [*a, *b])
        .filter(|y| *y >= from);
    let Some(axis) = Axis::new(years, NAMES, WIDTH - 20.0) else {
        return html! {};
    };
    let top = 30.0;
    let height = top + 10.0 + lives.len() as f64 * ROW;
    html! {
        svg viewBox=(format!("0 0 {WIDTH} {height}")) role="img" aria-label="Everyone’s lives on a time axis" {
            (axis.draw(top, height - 4.0))
            @for (i, (life, span)) in lives.iter().zip(&spans).enumerate() {
                @let y = top + 10.0 + i as f64 * ROW;
                a href=(format!("{}/timeline", page_url(life.title))) {
                    text x=(NAMES - 8.0) y=(y + 12.0) text-anchor="end" font-size="12" fill="#3366cc" { (life.name) }
                    @if let Some((start, end)) = span {
                        rect.life x=(axis.x(*start)) y=(y + 2.0) width=((axis.x(*end) - axis.x(*start)).max(2.0)) height="14" rx="3" fill="#cfe0f5" stroke="#3366cc" {
                            title { (life.name) ": " (life.born.map_or("", |d| d.text.as_str())) " – " (life.died.map_or("", |d| d.text.as_str())) }
                        }
                        @if *end < axis.min {
                            text.earlier x=(axis.x(axis.min) + 6.0) y=(y + 13.0) font-size="11" fill="#54595d" {
                                "◂ " (life.born.map_or("", |d| d.text.as_str())) " – " (life.died.map_or("", |d| d.text.as_str()))
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::axis_from;

    #[test]
    fn a_few_far_earlier_lives_do_not_set_the_axis() {
        let moderns = [
            (1805.0, 1881.0),
            (1815.0, 1852.0),
            (1867.0, 1934.0),
            (1912.0, 1954.0),
        ];
        let mut lives = vec![(46.0, 119.0)];
        lives.extend(moderns);
        assert_eq!(axis_from(&lives), Some(1805.0));
        assert_eq!(
            axis_from(&moderns),
            Some(1805.0),
            "no gap: the earliest birth"
        );
        // As many early lives as late ones: they are not outliers.
        let half = [
            (46.0, 119.0),
            (60.0, 120.0),
            (1815.0, 1852.0),
            (1912.0, 1954.0),
        ];
        assert_eq!(axis_from(&half), Some(46.0));
        // A gap shorter than the time the rest covers: one axis for all.
        let close = [
            (1700.0, 1750.0),
            (1800.0, 1850.0),
            (1805.0, 1900.0),
            (1810.0, 1950.0),
        ];
        assert_eq!(axis_from(&close), Some(1700.0));
        assert_eq!(axis_from(&[]), None);
    }
}
