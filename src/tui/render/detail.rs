//! The detail panel: the selected module's figures, chain, importers and what-if.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{BOLD, DIM};
use crate::output::alone::alone_text;
use crate::output::figures::delta_text;
use crate::output::units::{ms, percent, seconds};
use crate::tui::app::App;
use crate::tui::views::ViewId;
use crate::tui::views::tree::Node;
use lmms_core::model::{Importer, ModuleClass, ModuleId, Spread};

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let g = app.analysis().graph();
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(" detail ", BOLD));
    let on_startup = app.view() == ViewId::Tree
        && app.views().tree.selected().map(|r| r.node) == Some(Node::Startup);
    let lines = match app.selected_module() {
        _ if on_startup => vec![Line::from(vec![
            Span::styled("interpreter start-up", BOLD),
            Span::raw(format!(
                "  {} ms before the program's first import ({}% of total)",
                ms(g.startup_us()),
                percent(g.startup_us(), g.total_us())
            )),
        ])],
        Some(id) => module_lines(app, id),
        None if app.view() == ViewId::Importers => vec![Line::from(
            "the program imports it directly (a top-level import)",
        )],
        None => Vec::new(),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The selected module: figures, chain and class, importers, baseline, what-if.
fn module_lines(app: &App, id: ModuleId) -> Vec<Line<'static>> {
    let g = app.analysis().graph();
    let mut lines = Vec::new();
    // In "Importers of", how the selected importer imports the module comes first: its
    // figures are in the table already.
    if app.view() == ViewId::Importers
        && let Some(text) = app.views().importers.detail(g)
    {
        lines.push(Line::from(vec![
            Span::styled("why: ", BOLD),
            Span::raw(text),
        ]));
    }
    lines.push(figures_line(app, id));
    lines.push(Line::from(vec![
        Span::styled("chain: ", BOLD),
        Span::raw(crate::output::chain::first_import_text(g, id)),
        Span::styled(format!("  ({})", class_text(app, id)), DIM),
    ]));
    if let Some(d) = (app.analysis().comparison()).and_then(|c| c.module(g.name(id))) {
        lines.push(Line::from(vec![
            Span::styled("vs baseline: ", BOLD),
            Span::raw(format!("cumulative {}", delta_text(d))),
        ]));
    }
    // Before the importers, whose list can fill the panel: this is where decisions are made.
    lines.push(Line::from(vec![
        Span::styled("what-if: ", BOLD),
        Span::raw(whatif_text(app, id)),
    ]));
    lines.push(Line::from(vec![
        Span::styled("imported by: ", BOLD),
        Span::raw(importers_text(app, id)),
    ]));
    lines
}

/// Name, self and cumulative (with their spread over runs), share of total, runs seen in.
fn figures_line(app: &App, id: ModuleId) -> Line<'static> {
    let g = app.analysis().graph();
    let m = g.module(id);
    let spread = |s: Spread| {
        if g.runs() > 1 {
            format!("{} ms ({}–{})", ms(s.median), ms(s.min), ms(s.max))
        } else {
            format!("{} ms", ms(s.median))
        }
    };
    let name = Span::styled(
        lmms_core::printable::printable(g.name(id)).into_owned(),
        BOLD,
    );
    if let Some(untimed) = crate::output::untimed::untimed_text(g, id) {
        let untimed = lmms_core::printable::printable(&untimed).into_owned();
        return Line::from(vec![name, Span::raw(format!("  {untimed}"))]);
    }
    let mut first = vec![
        name,
        Span::raw(format!(
            "  self {}  cumulative {}  {}% of total",
            spread(g.self_spread(id)),
            spread(g.cumulative_spread(id)),
            percent(m.cumulative_us, g.total_us())
        )),
    ];
    if g.runs() > 1 {
        first.push(Span::raw(format!("  in {}/{} runs", m.samples, g.runs())));
    }
    Line::from(first)
}

/// Where it comes from: what an edit of the program can defer.
fn class_text(app: &App, id: ModuleId) -> String {
    let g = app.analysis().graph();
    let m = g.module(id);
    match (m.class, g.origin(id)) {
        (ModuleClass::Startup, _) => {
            "interpreter start-up: no edit of the program defers it".to_string()
        }
        _ if m.shutdown => "imported after the program ended: no part of cold start".to_string(),
        (ModuleClass::Unknown, _) => "origin unknown".to_string(),
        (class, Some(origin)) => format!("{} · {origin}", class.key()),
        (class, None) => class.key().to_string(),
    }
}

/// Each importer with where its import statements are, when recorded; the first import first.
fn importers_text(app: &App, id: ModuleId) -> String {
    let g = app.analysis().graph();
    let parent = g.module(id).parent;
    let by = |importer: Importer| {
        let who = lmms_core::printable::printable(importer.map_or("(the program)", |p| g.name(p)));
        let places: Vec<String> = (g.sites(id).iter())
            .filter(|s| s.importer == importer)
            .filter_map(|s| g.site_place(s))
            .collect();
        if places.is_empty() {
            who.to_string()
        } else {
            format!("{who} at {}", places.join(", "))
        }
    };
    let others: Vec<String> = (g.statement_importers(id))
        .filter(|i| *i != parent)
        .map(by)
        .collect();
    if !g.edges_complete() {
        format!(
            "{} (first import); other importers unknown: this trace has the first-import tree only",
            by(parent)
        )
    } else if others.is_empty() {
        format!("only {}", by(parent))
    } else {
        format!("{} (first), {}", by(parent), others.join(", "))
    }
}

/// What deferring it alone saves (in both scopes when they differ), its usage, and its daily
/// cost eager and deferred.
fn whatif_text(app: &App, id: ModuleId) -> String {
    let a = app.analysis();
    let retained = a.retained_us(id);
    let everywhere = a.retained_everywhere_us(id);
    let used = crate::output::usage::said(a, id);
    let (eager_s, lazy_s) = a.module_daily_s(id);
    let saves = if everywhere == retained {
        format!("deferring it alone saves {}", alone_text(a, id))
    } else {
        format!(
            "deferring it alone in your code saves {} ms (every import of it, key e: {} ms)",
            ms(retained),
            ms(everywhere)
        )
    };
    format!(
        "{saves} · {used} · loaded in {:.1}% of processes · {} s/day eager, {} s/day \
         deferred alone · rule of thumb: {}",
        a.projection().load_probability(id) * 100.0,
        seconds(eager_s),
        seconds(lazy_s),
        a.suggestion(id).label(),
    )
}
