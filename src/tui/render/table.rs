//! The table: the current view's rows with their figures and what-if columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::{BAR, BOLD, DIM, SELECTED, right};
use crate::output::alone::retained_cell;
use crate::output::units::{ms, percent, signed_ms};
use crate::tui::app::App;
use crate::tui::layout::{self, Column};
use crate::tui::views::{Row as ViewRow, Rows};
use lmms_core::model::{ModuleClass, ModuleId, SortKey};
use lmms_core::whatif::PlanEffect;

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let view = app.current();
    let height = area.height.saturating_sub(1) as usize;
    let cursor = view.cursor();
    let start = cursor.scroll.min(view.len());
    let end = (start + height).min(view.len());
    let data = match view.rows(app.analysis(), app.sort(), start..end) {
        Rows::Changes(range) => return changes_table(app, frame, area, range),
        Rows::Icicle => return super::icicle::render(app, frame, area),
        Rows::Modules(rows) => rows,
    };
    let columns = app.columns(area.width);
    let header = Row::new(
        columns
            .iter()
            .map(|(col, _)| header_cell(app, &columns, *col)),
    )
    .style(Style::new().add_modifier(Modifier::UNDERLINED));
    let rows: Vec<Row> = (data.into_iter().enumerate())
        .map(|(offset, d)| {
            let cells = columns
                .iter()
                .map(|&(col, width)| cell(app, &d, col, width));
            let mut style = if d.dim { DIM } else { Style::new() };
            if d.bold {
                style = style.patch(BOLD);
            }
            if start + offset == cursor.selected {
                style = style.patch(SELECTED);
            }
            Row::new(cells.collect::<Vec<_>>()).style(style)
        })
        .collect();
    let widths: Vec<Constraint> = (columns.iter())
        .map(|(_, w)| Constraint::Length(*w))
        .collect();
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

/// A column's header, with the sort arrow where the table is sorted by it.
fn header_cell(app: &App, columns: &[(Column, u16)], col: Column) -> Cell<'static> {
    let view = app.current();
    let (label, key) = match col {
        Column::Name => (view.name_header(), Some(SortKey::Name)),
        Column::SelfMs => (view.self_header(), Some(SortKey::SelfTime)),
        Column::CumulativeMs => (view.cumulative_header(), Some(SortKey::Cumulative)),
        Column::RetainedMs => ("retained", Some(SortKey::Retained)),
        Column::UsagePct => ("use %", None),
        Column::Decision => ("defer", None),
        Column::Suggestion => ("rule", None),
        Column::Class => ("from", None),
        Column::Percent => ("% total", None),
        Column::Bar => ("", None),
    };
    let mut text = label.to_string();
    let in_import_order = col == Column::Name && app.sort().key == SortKey::ImportOrder;
    if in_import_order {
        text = format!("{text} (import order {})", app.sort().arrow());
    } else if key == Some(app.sort().key) {
        text = format!("{text} {}", app.sort().arrow());
    }
    if matches!(
        col,
        Column::Name | Column::Decision | Column::Suggestion | Column::Class
    ) {
        Cell::from(text).style(BOLD)
    } else {
        right(text, width_of(columns, col)).style(BOLD)
    }
}

/// A time in ms; a module's row without one is a module no run timed.
fn figure(d: &ViewRow, us: Option<u64>) -> String {
    match (us, d.module) {
        (Some(us), _) => ms(us),
        (None, Some(_)) => "untimed".into(),
        (None, None) => String::new(),
    }
}

/// One row's cell in `col`, `width` wide.
fn cell(app: &App, d: &ViewRow, col: Column, width: u16) -> Cell<'static> {
    let a = app.analysis();
    let g = a.graph();
    let total = g.total_us();
    let of_module = |f: &dyn Fn(ModuleId) -> String| d.module.map(f).unwrap_or_default();
    match col {
        Column::Name => Cell::from(Line::from(layout::elide(&d.text, width as usize))),
        Column::SelfMs => right(figure(d, d.self_us), width),
        Column::CumulativeMs => right(figure(d, d.cumulative_us), width),
        Column::RetainedMs => right(of_module(&|m| retained_cell(a, m)), width),
        Column::UsagePct => right(
            of_module(&|m| crate::output::usage::cell(a.usage(m))),
            width,
        ),
        Column::Decision => Cell::from(d.module.map_or("", |m| decision_mark(app, m))),
        Column::Suggestion => Cell::from(d.module.map_or("", |m| a.suggestion(m).label())),
        Column::Class => Cell::from(d.module.map_or("", |m| class_mark(g.module(m).class))),
        Column::Percent => match (d.module, d.cumulative_us) {
            (Some(_), None) => right("—".into(), width),
            _ => right(format!("{}%", percent(d.share_us, total)), width),
        },
        Column::Bar => {
            let share = if total == 0 {
                0.0
            } else {
                d.share_us as f64 / total as f64
            };
            Cell::from(bar(share, width)).style(BAR)
        }
    }
}

/// `lazy` for a module deferred in your code, `lazy+` for every import of it, `kept` for a
/// deferred module other code still loads at start-up; `↳lazy` for one that leaves cold start
/// with a deferred importer.
fn decision_mark(app: &App, m: ModuleId) -> &'static str {
    match app.analysis().effect(m) {
        PlanEffect::KeptByOthers => "kept",
        PlanEffect::Lazy => "lazy",
        PlanEffect::LazyEverywhere => "lazy+",
        PlanEffect::WithDeferred => "↳lazy",
        PlanEffect::Eager => "",
    }
}

/// The class column: where the module comes from, in five letters at most.
fn class_mark(class: ModuleClass) -> &'static str {
    match class {
        ModuleClass::Program => "prog",
        ModuleClass::ThirdParty => "3rd",
        ModuleClass::Stdlib => "std",
        ModuleClass::Startup => "start",
        ModuleClass::Unknown => "?",
    }
}

fn width_of(columns: &[(Column, u16)], col: Column) -> u16 {
    columns.iter().find(|c| c.0 == col).map_or(0, |c| c.1)
}

/// Modules by change against the baseline, biggest regression first.
fn changes_table(app: &App, frame: &mut Frame, area: Rect, range: std::ops::Range<usize>) {
    let Some(c) = app.analysis().comparison() else {
        return;
    };
    let cursor = app.current().cursor();
    let widths = [10u16, 10, 11, 9, 5];
    let name_width = area
        .width
        .saturating_sub(widths.iter().map(|w| w + 1).sum::<u16>())
        .max(1);
    let header = Row::new(
        std::iter::once(Cell::from("module (cumulative)").style(BOLD)).chain(
            ["before ms", "after ms", "Δ ms ▼", "Δ %", ""]
                .iter()
                .zip(widths)
                .map(|(h, w)| right(h.to_string(), w).style(BOLD)),
        ),
    )
    .style(Style::new().add_modifier(Modifier::UNDERLINED));
    let rows: Vec<Row> = c
        .modules
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
        .map(|(i, d)| {
            let cells = vec![
                Cell::from(d.name.clone()),
                right(d.before_us.map(ms).unwrap_or_default(), widths[0]),
                right(d.after_us.map(ms).unwrap_or_default(), widths[1]),
                right(signed_ms(d.change_us() as f64), widths[2]),
                right(
                    d.change_pct()
                        .map_or(String::new(), |p| format!("{p:+.1}%")),
                    widths[3],
                ),
                Cell::from(match (d.before_us, d.after_us) {
                    (None, _) => "new",
                    (_, None) => "gone",
                    _ => "",
                }),
            ];
            let style = if i == cursor.selected {
                SELECTED
            } else {
                Style::new()
            };
            Row::new(cells).style(style)
        })
        .collect();
    let constraints: Vec<Constraint> = std::iter::once(name_width)
        .chain(widths)
        .map(Constraint::Length)
        .collect();
    frame.render_widget(
        Table::new(rows, constraints)
            .header(header)
            .column_spacing(1),
        area,
    );
}

/// A proportional bar with eighth-cell resolution.
pub fn bar(share: f64, width: u16) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (share.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(PARTS[eighths % 8]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional() {
        assert_eq!(bar(0.0, 10), "");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██");
        assert_eq!(bar(0.5, 1), "▌");
        assert_eq!(bar(1.0 / 8.0, 1), "▏");
        assert_eq!(bar(2.0, 2), "██");
    }
}
