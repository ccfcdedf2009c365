//! Drawing: a function of the app state, nothing else; one file per panel.

mod detail;
mod footer;
mod header;
mod icicle;
mod overlays;
mod table;
mod whatif;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Cell, Paragraph, Wrap};

use super::app::{App, InputTarget, Mode};
use super::layout::{self, Area, MIN_HEIGHT, MIN_WIDTH};

const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
const DIM: Style = Style::new().add_modifier(Modifier::DIM);
/// Magenta reads on dark and light backgrounds alike.
const BAR: Style = Style::new().fg(Color::Magenta);
const RED: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
const MATCH: Style = Style::new()
    .fg(Color::Red)
    .add_modifier(Modifier::BOLD)
    .add_modifier(Modifier::UNDERLINED);

fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.width, a.height)
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let screen = Area::new(area.x, area.y, area.width, area.height);
    if layout::too_small(screen) {
        let text = format!(
            "terminal too small: {}×{} (need {MIN_WIDTH}×{MIN_HEIGHT})",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let areas = app.areas_in(screen);
    header::render(app, frame, rect(areas.header));
    table::render(app, frame, rect(areas.table));
    detail::render(app, frame, rect(areas.detail));
    footer::render(app, frame, rect(areas.footer));
    whatif::render(app, frame, rect(areas.whatif));
    let editing_param = matches!(app.input(), Some((InputTarget::Param(_), _)));
    match app.mode() {
        Mode::Search => overlays::search(app, frame, rect(areas.table)),
        Mode::Help => overlays::help(frame, area, app.help_scroll()),
        Mode::Patch => overlays::patch(app, frame, rect(areas.below_header())),
        Mode::Params => overlays::params(app, frame, rect(areas.below_header())),
        Mode::Input if editing_param => overlays::params(app, frame, rect(areas.below_header())),
        _ => {}
    }
}

fn right(text: String, width: u16) -> Cell<'static> {
    Cell::from(format!("{text:>w$}", w = width as usize))
}
