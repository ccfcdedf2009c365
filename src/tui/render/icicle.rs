//! The icicle view drawn: under a line saying what is shown (with a legend), each bar a run of
//! cells as wide as its share of the screen, coloured by origin, starting with `▏` so
//! neighbours stay apart; the selected bar in reverse video, a module the plan leaves out of
//! cold start dimmed and crossed out, the search's matches in magenta; labels where they fit,
//! elided with `…`. A parent's imports narrower than a cell are one `+N` sliver.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use super::header::fit;
use super::{BOLD, DIM, SELECTED};
use crate::output::units::ms;
use crate::tui::app::App;
use lmms_core::model::icicle::{Bar, Icicle};
use lmms_core::model::{ImportGraph, ModuleClass};
use lmms_core::printable::printable;

/// A search match: magenta reads on dark and light backgrounds alike.
const FOUND: Style = Style::new()
    .bg(Color::Magenta)
    .fg(Color::Black)
    .add_modifier(Modifier::BOLD);
/// Cells a bar's name needs to be worth drawing (`pa…`), besides its `▏`.
const LEAST_NAME: usize = 3;
/// Imports narrower than a cell, together.
const MORE: Style = Style::new().bg(Color::Gray).fg(Color::Black);

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let icicle = app.views().icicle.icicle();
    let buf = frame.buffer_mut();
    let drawn = bars(app, buf, area, icicle);
    let slivers = more(buf, area, icicle);
    let hidden = icicle.bars.len() - drawn + icicle.deeper + icicle.narrow - slivers;
    let title = fit(title(app, icicle, hidden), usize::from(area.width));
    buf.set_line(area.x, area.y, &title, area.width);
}

/// Draws the bars that fit; how many did.
fn bars(app: &App, buf: &mut Buffer, area: Rect, icicle: &Icicle) -> usize {
    let a = app.analysis();
    let g = a.graph();
    let selected = app.current().cursor().selected;
    let search = app.search();
    let mut drawn = 0;
    for (i, bar) in icicle.bars.iter().enumerate() {
        let (x0, x1) = icicle.cells(bar, area.width);
        let y = area.y + 1 + bar.depth as u16;
        if x1 <= x0 || y >= area.y + area.height {
            continue;
        }
        let name = g.name(bar.module);
        let mut style = class_style(g.module(bar.module).class);
        if search.is_match(name) {
            style = FOUND;
        }
        if a.leaves_cold_start(bar.module) {
            style = style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT);
        }
        if i == selected {
            style = style.patch(SELECTED);
        }
        let cells = usize::from(x1 - x0);
        buf.set_stringn(area.x + x0, y, label(g, bar, cells), cells, style);
        drawn += 1;
    }
    drawn
}

/// Draws the `+N` slivers at least a cell wide; how many modules they hold.
fn more(buf: &mut Buffer, area: Rect, icicle: &Icicle) -> usize {
    let mut held = 0;
    for more in &icicle.more {
        let (x0, x1) = icicle.more_cells(more, area.width);
        let y = area.y + 1 + more.depth as u16;
        if x1 <= x0 || y >= area.y + area.height {
            continue;
        }
        let cells = usize::from(x1 - x0);
        // Apart from a neighbour as bars are, once there is room for more than the `+`.
        let count = format!("+{}", more.count);
        let text = [format!("▏{count}"), count]
            .into_iter()
            .find(|t| t.chars().count() <= cells)
            .unwrap_or_else(|| "+".into());
        let text = format!("{text:<cells$}");
        buf.set_stringn(area.x + x0, y, text, cells, MORE);
        held += more.count;
    }
    held
}

/// `▏name`, padded to the bar's cells, its name elided to fit; no name where three
/// characters would not show one.
fn label(g: &ImportGraph, bar: &Bar, cells: usize) -> String {
    let room = cells.saturating_sub(1);
    let name = match room {
        0..LEAST_NAME => String::new(),
        _ => short_name(&printable(g.name(bar.module)), room),
    };
    format!("▏{name:<room$}")
}

/// The name when it fits; else its last dotted part (the parent's bar above holds the rest),
/// cut with `…` when that is still too long.
fn short_name(name: &str, room: usize) -> String {
    if name.chars().count() <= room {
        return name.to_string();
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    let tail = format!("…{last}");
    if tail.chars().count() <= room {
        return tail;
    }
    let cut: String = last.chars().take(room - 1).collect();
    format!("{cut}…")
}

/// What is shown and its total, the legend, the search's matches, the keys and what did not
/// fit — the least needed giving way first.
fn title(app: &App, icicle: &Icicle, hidden: usize) -> Vec<(u8, Vec<Span<'static>>)> {
    let view = &app.views().icicle;
    let g = app.analysis().graph();
    let what = match view.zoom() {
        Some(m) => format!("zoomed into {}", printable(g.name(m))),
        None => "the whole program".into(),
    };
    let (shown, other) = match view.after() {
        true => ("with the plan", "b: as traced"),
        false => ("as traced", "b: with the plan"),
    };
    let head = format!("{what}: {} ms {shown}", ms(icicle.total_us));
    let mut pieces = vec![(0, vec![Span::styled(head, BOLD)]), (1, legend())];
    let query = &app.search().query;
    if !query.is_empty() {
        let found = format!("magenta: matches “{}”", printable(query));
        pieces.push((1, vec![Span::styled(found, FOUND)]));
    }
    pieces.push((2, vec![Span::raw(other)]));
    pieces.push((3, vec![Span::raw("Enter/→ zoom in, ← out")]));
    if !view.after() {
        pieces.push((4, vec![Span::styled("dim: the plan leaves it out", DIM)]));
    }
    if hidden > 0 {
        let said = format!("{hidden} too narrow or deep to draw");
        pieces.push((5, vec![Span::raw(said)]));
    }
    pieces
}

/// A swatch and a word per origin.
fn legend() -> Vec<Span<'static>> {
    let origins = [
        (ModuleClass::Program, "yours"),
        (ModuleClass::ThirdParty, "third-party"),
        (ModuleClass::Stdlib, "stdlib"),
        (ModuleClass::Startup, "start-up"),
    ];
    let mut spans = Vec::new();
    for (i, (class, word)) in origins.into_iter().enumerate() {
        let gap = if i == 0 { "" } else { " " };
        spans.push(Span::styled(
            format!("{gap}■"),
            Style::new().fg(class_colour(class)),
        ));
        spans.push(Span::raw(word));
    }
    spans
}

fn class_colour(class: ModuleClass) -> Color {
    match class {
        ModuleClass::Program => Color::Yellow,
        ModuleClass::ThirdParty => Color::Blue,
        ModuleClass::Stdlib => Color::Green,
        ModuleClass::Startup => Color::DarkGray,
        ModuleClass::Unknown => Color::Cyan,
    }
}

fn class_style(class: ModuleClass) -> Style {
    Style::new().bg(class_colour(class)).fg(Color::Black)
}
