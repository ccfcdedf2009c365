//! The footer: a value being typed, a question, a status, or the key bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{BOLD, DIM};
use crate::tui::app::{App, InputTarget};
use crate::tui::keymap;
use crate::tui::layout::elide;
use lmms_core::whatif::PARAMS;

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    // A line that does not fit ends in `…`; names in it are drawn escaped.
    let fit = |text: &str| elide(&lmms_core::printable::printable(text), area.width as usize);
    let line = match (app.input(), app.question(), app.status()) {
        (Some((target, text)), _, _) => {
            let what = match target {
                InputTarget::Usage(m) => format!(
                    "usage % of {}",
                    lmms_core::printable::printable(app.analysis().graph().name(m))
                ),
                InputTarget::Param(i) => PARAMS[i].label(),
            };
            Line::from(vec![
                Span::styled(format!("{what}: "), BOLD),
                Span::raw(text.to_string()),
                Span::styled("▏", BOLD),
                Span::styled("  Enter sets · Esc cancels", DIM),
            ])
        }
        (None, Some(question), _) => Line::from(Span::styled(fit(question), BOLD)),
        (None, None, Some(status)) => Line::from(Span::styled(fit(status), BOLD)),
        (None, None, None) => Line::from(
            keymap::bar()
                .into_iter()
                .flat_map(|(k, what)| [Span::styled(k, BOLD), Span::raw(format!(" {what}  "))])
                .collect::<Vec<_>>(),
        ),
    };
    frame.render_widget(Paragraph::new(line), area);
}
