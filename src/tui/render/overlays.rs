//! What opens over the table: search, parameters and help.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{BOLD, DIM, MATCH, SELECTED};
use crate::output::units::ms;
use crate::tui::app::App;
use crate::tui::keymap;
use crate::whatif::PARAMS;

pub(super) fn params(app: &App, frame: &mut Frame, table: Rect) {
    let label_width = PARAMS
        .iter()
        .map(|p| p.label().chars().count())
        .max()
        .unwrap_or(0);
    let width = table.width.min(label_width as u16 + 20);
    let height = (PARAMS.len() as u16 + 2).min(table.height);
    let area = Rect {
        x: table.x + table.width.saturating_sub(width),
        y: table.y,
        width,
        height,
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" parameters ", BOLD))
        .title_bottom(" Enter edits · Space toggles · Esc closes ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let plan = app.analysis().plan();
    let lines: Vec<Line> = PARAMS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let line = Line::from(vec![
                Span::raw(format!("{:<label_width$}  ", p.label())),
                Span::styled(plan.text(p), BOLD),
            ]);
            if i == app.param_cursor() {
                line.style(SELECTED)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn search(app: &App, frame: &mut Frame, table: Rect) {
    let g = app.analysis().graph();
    let s = app.search();
    let area = Rect {
        height: table.height.clamp(3, 20),
        ..table
    };
    frame.render_widget(Clear, area);
    let status = if !s.done {
        "searching…".to_string()
    } else if s.query.is_empty() {
        "type a module name".to_string()
    } else {
        format!("{} matches", s.matches().len())
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" search ", BOLD))
        .title_bottom(format!(" {status} · Enter jump · ↑↓ choose · Esc cancel "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", BOLD),
        Span::raw(s.query.clone()),
        Span::styled("▏", BOLD),
    ])];
    let shown = inner.height.saturating_sub(1) as usize;
    let first = s.selected.saturating_sub(shown.saturating_sub(1));
    for (i, &(_, id)) in s.matches().iter().enumerate().skip(first).take(shown) {
        let name = g.name(id);
        let hits = s.indices(name);
        let mut spans: Vec<Span> = name
            .chars()
            .enumerate()
            .map(|(ci, c)| {
                if hits.contains(&ci) {
                    Span::styled(c.to_string(), MATCH)
                } else {
                    Span::raw(c.to_string())
                }
            })
            .collect();
        spans.push(Span::styled(
            format!("  {} ms", ms(g.module(id).cumulative_us.median)),
            DIM,
        ));
        let mut line = Line::from(spans);
        if i == s.selected {
            line = line.style(SELECTED);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn help(frame: &mut Frame, area: Rect) {
    let help = keymap::help();
    let key_width = help
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_width = help
        .iter()
        .map(|(_, w)| w.chars().count())
        .max()
        .unwrap_or(0);
    let width = area.width.min((key_width + text_width + 4) as u16);
    let height = (help.len() as u16 + 4).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let lines: Vec<Line> = help
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<key_width$}  "), BOLD),
                Span::raw(*what),
            ])
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" keys ", BOLD));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
