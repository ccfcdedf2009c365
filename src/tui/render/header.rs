//! The header: what the trace is, and the view tabs with the sort.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{BOLD, RED, SELECTED};
use crate::output::figures::{delta_text, noise_line};
use crate::output::units::ms;
use crate::tui::app::App;

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let g = app.analysis().graph();
    let files = g.meta().files.join(", ");
    let mut first = vec![
        Span::styled("lmms-tui ", BOLD),
        Span::raw(format!(
            "{files} │ {} run{} │ {} modules │ total {} ms",
            g.runs(),
            if g.runs() == 1 { "" } else { "s" },
            g.len(),
            ms(g.total_us())
        )),
    ];
    if let Some(python) = &g.meta().python {
        first.push(Span::raw(format!(" │ Python {python}")));
    }
    if let Some(c) = app.analysis().comparison() {
        let total = c.total();
        let style = if c.after_total_us > c.before_total_us {
            BOLD
        } else {
            Style::new()
        };
        first.push(Span::raw(" │ vs baseline "));
        first.push(Span::styled(delta_text(&total), style));
    }
    // The runs' spread last: the line is cut on narrow terminals.
    let total = g.total();
    if g.runs() > 1 {
        first.push(Span::raw(format!(
            " │ runs {}–{} ms",
            ms(total.min),
            ms(total.max)
        )));
    }
    if !g.meta().level_jumps.is_empty() {
        first.push(Span::styled(" uncertain tree: interleaved lines", RED));
    }
    if noise_line(g).is_some() {
        let apart = (total.relative() * 100.0).round();
        first.push(Span::styled(format!(" noisy: {apart}% apart"), RED));
    }
    let edges = if g.edges_complete() {
        "edges: complete"
    } else {
        "edges: first-import tree only"
    };
    let mut second = Vec::new();
    for (i, v) in app.available_views().iter().enumerate() {
        let label = format!(" {} {} ", i + 1, v.title());
        second.push(if *v == app.view() {
            Span::styled(label, SELECTED)
        } else {
            Span::raw(label)
        });
    }
    second.push(Span::raw(format!(
        "  sort: {} {}  │ {edges}",
        app.sort().key.label(),
        app.sort().arrow()
    )));
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}
