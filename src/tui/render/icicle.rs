//! The icicle view drawn: under a line saying what is shown, each bar a run of cells as wide as
//! its share of the screen, coloured by origin, starting with `▏` so neighbours stay apart; the
//! selected bar in reverse video, a module the plan leaves out of cold start dimmed and crossed
//! out; labels where they fit. Bars narrower than a cell are counted in the line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

use super::{BOLD, SELECTED};
use crate::output::units::ms;
use crate::tui::app::App;
use lmms_core::model::icicle::Bar;
use lmms_core::model::{ImportGraph, ModuleClass};
use lmms_core::printable::printable;

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let icicle = app.views().icicle.icicle();
    let a = app.analysis();
    let g = a.graph();
    let selected = app.current().cursor().selected;
    let buf = frame.buffer_mut();
    let mut hidden = icicle.narrow + icicle.deeper;
    for (i, bar) in icicle.bars.iter().enumerate() {
        let (x0, x1) = icicle.cells(bar, area.width);
        let y = area.y + 1 + bar.depth as u16;
        if x1 <= x0 || y >= area.y + area.height {
            hidden += 1;
            continue;
        }
        let mut style = class_style(g.module(bar.module).class);
        if a.leaves_cold_start(bar.module) {
            style = style.add_modifier(Modifier::DIM | Modifier::CROSSED_OUT);
        }
        if i == selected {
            style = style.patch(SELECTED);
        }
        let cells = usize::from(x1 - x0);
        let label = label(g, bar, cells);
        buf.set_stringn(area.x + x0, y, label, cells, style);
    }
    let title = title_line(app, icicle.total_us, hidden);
    buf.set_stringn(area.x, area.y, title, usize::from(area.width), BOLD);
}

/// `▏name`, padded to the bar's cells (cut to them).
fn label(g: &ImportGraph, bar: &Bar, cells: usize) -> String {
    let name = printable(g.name(bar.module));
    let text: String = std::iter::once('▏')
        .chain(name.chars())
        .chain(std::iter::repeat(' '))
        .take(cells)
        .collect();
    text
}

/// What is shown, its total, how to zoom, and what did not fit.
fn title_line(app: &App, total_us: u64, hidden: usize) -> String {
    let what = match app.views().icicle.zoom() {
        Some(m) => format!("zoomed into {}", printable(app.analysis().graph().name(m))),
        None => "the whole program".into(),
    };
    let hidden = match hidden {
        0 => String::new(),
        n => format!(" · {n} bars too narrow or deep to draw"),
    };
    format!(
        "{what}: {} ms as traced · Enter/→ zooms in, ← out · colour: origin, dim: the plan \
         leaves it out{hidden}",
        ms(total_us)
    )
}

fn class_style(class: ModuleClass) -> Style {
    let bg = match class {
        ModuleClass::Program => Color::Yellow,
        ModuleClass::ThirdParty => Color::Blue,
        ModuleClass::Stdlib => Color::Green,
        ModuleClass::Startup => Color::DarkGray,
        ModuleClass::Unknown => Color::Cyan,
    };
    Style::new().bg(bg).fg(Color::Black)
}
