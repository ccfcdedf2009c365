//! The what-if panel: the projection's lines, as many as fit, most important first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{BOLD, RED};
use crate::output::figures::{Figure, projection_lines};
use crate::tui::app::App;
use crate::tui::layout::elide;

/// The label column's width.
const LABEL: usize = 24;

/// What matters most stays when the panel is short (lower first); lines keep the reports'
/// order. A match, so a new figure cannot be left unranked.
fn rank(figure: Figure) -> u8 {
    match figure {
        Figure::ColdStart => 0,
        Figure::Latency => 1,
        Figure::Daily => 2,
        Figure::KeptLoaded => 3,
        // The title says within or over the budget already.
        Figure::Budget => 4,
        Figure::Measured => 5,
        Figure::Dropped => 6,
        Figure::Usage => 7,
        Figure::Note => 8,
        Figure::Gc => 9,
        Figure::ColdRequest => 10,
        Figure::Parameters => 11,
    }
}

/// The projection, as much of it as fits: the same lines as the reports.
pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let all = projection_lines(app.analysis());
    let budget = match app.analysis().within_budget() {
        Some(true) => Span::styled(" ✓ within budget ", BOLD),
        Some(false) => Span::styled(" ✗ over budget ", RED),
        None => Span::raw(""),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(" what-if ", BOLD))
        .title(budget);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A line that does not fit ends in `…`, never mid-word without one.
    let room = (inner.width as usize).saturating_sub(LABEL + 1);
    let lines: Vec<Line> = if inner.height >= 2 {
        let mut kept: Vec<usize> = (0..all.len()).collect();
        kept.sort_by_key(|&i| rank(all[i].0));
        kept.truncate(inner.height as usize);
        kept.sort_unstable();
        kept.iter()
            .map(|&i| {
                let (figure, v) = &all[i];
                let over =
                    *figure == Figure::Budget && app.analysis().within_budget() == Some(false);
                let v = elide(v, room);
                Line::from(vec![
                    Span::styled(format!("{:<LABEL$} ", figure.label()), BOLD),
                    if over {
                        Span::styled(v, RED)
                    } else {
                        Span::raw(v)
                    },
                ])
            })
            .collect()
    } else {
        let find = |figure: Figure| {
            all.iter()
                .find(|(f, _)| *f == figure)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        vec![Line::from(vec![
            Span::styled("cold start ", BOLD),
            Span::raw(find(Figure::ColdStart)),
            Span::styled("  daily ", BOLD),
            Span::raw(find(Figure::Daily)),
        ])]
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
