//! Drawing: a function of the app state, nothing else.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};

use crate::model::ModuleId;
use crate::units::{ms, percent};

use super::app::{App, InputTarget, Mode, Param, View};
use super::keys::HELP;
use super::layout::{self, Column, MIN_HEIGHT, MIN_WIDTH};
use super::tree::Node;
use crate::model::order::SortKey;
use crate::plan::Decision;
use crate::report;

const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
const DIM: Style = Style::new().add_modifier(Modifier::DIM);
/// Magenta reads on dark and light backgrounds alike.
const BAR: Style = Style::new().fg(Color::Magenta);
const MATCH: Style = Style::new()
    .fg(Color::Red)
    .add_modifier(Modifier::BOLD)
    .add_modifier(Modifier::UNDERLINED);

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small(area) {
        let text = format!(
            "terminal too small: {}×{} (need {MIN_WIDTH}×{MIN_HEIGHT})",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let areas = layout::areas(area);
    header(app, frame, areas.header);
    table(app, frame, areas.table);
    detail(app, frame, areas.detail);
    footer(app, frame, areas.footer);
    whatif(app, frame, areas.whatif);
    let editing_param = matches!(app.input, Some((InputTarget::Param(_), _)));
    match app.mode {
        Mode::Search => search(app, frame, areas.table),
        Mode::Help => help(frame, area),
        Mode::Params => params(app, frame, areas.table),
        Mode::Input if editing_param => params(app, frame, areas.table),
        _ => {}
    }
}

fn header(app: &App, frame: &mut Frame, area: Rect) {
    let g = &app.graph;
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
    if let Some(c) = &app.comparison {
        let total = c.total();
        let style = if c.after_total_us > c.before_total_us {
            BOLD
        } else {
            Style::new()
        };
        first.push(Span::raw(" │ vs baseline "));
        first.push(Span::styled(report::delta_text(&total), style));
    }
    let edges = if g.edges_complete() {
        "edges: complete"
    } else {
        "edges: first-import tree only"
    };
    let mut second = Vec::new();
    for (i, v) in app.views().iter().enumerate() {
        let label = format!(" {} {} ", i + 1, v.label());
        second.push(if *v == app.view {
            Span::styled(label, SELECTED)
        } else {
            Span::raw(label)
        });
    }
    second.push(Span::raw(format!(
        "  sort: {} {}  │ {edges}",
        app.sort.key.label(),
        app.sort.arrow()
    )));
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// One table row's content, whatever the view.
struct RowData {
    /// The module behind the row, for the what-if columns.
    module: Option<ModuleId>,
    name: Vec<Span<'static>>,
    self_us: Option<u64>,
    cumulative_us: Option<u64>,
    /// What % and the bar show.
    share_us: u64,
    dim: bool,
}

fn table(app: &App, frame: &mut Frame, area: Rect) {
    if app.view == View::Baseline {
        return baseline_table(app, frame, area);
    }
    let g = &app.graph;
    let columns = layout::columns(area.width);
    let height = area.height.saturating_sub(1) as usize;
    let cursor = app.cursor();
    let start = cursor.scroll.min(app.row_count());
    let end = (start + height).min(app.row_count());
    let module_row = |id: ModuleId, prefix: String, suffix: &str| RowData {
        module: Some(id),
        name: vec![Span::raw(format!("{prefix}{}{suffix}", g.name(id)))],
        self_us: Some(g.module(id).self_us.median),
        cumulative_us: Some(g.module(id).cumulative_us.median),
        share_us: if app.sort.key == SortKey::SelfTime {
            g.module(id).self_us.median
        } else {
            g.module(id).cumulative_us.median
        },
        dim: g.module(id).startup,
    };
    let data: Vec<RowData> = (start..end)
        .map(|i| match app.view {
            View::Tree => {
                let row = app.tree.rows()[i];
                let marker = match (row.has_children, row.expanded) {
                    (false, _) => "  ",
                    (true, true) => "▾ ",
                    (true, false) => "▸ ",
                };
                let indent = "  ".repeat(row.depth as usize);
                match row.node {
                    Node::Module(id) => {
                        let mut r = module_row(id, format!("{indent}{marker}"), "");
                        r.share_us = g.module(id).cumulative_us.median;
                        r
                    }
                    Node::Startup => RowData {
                        module: None,
                        name: vec![Span::raw(format!("{indent}{marker}(interpreter start-up)"))],
                        self_us: None,
                        cumulative_us: Some(g.startup_us()),
                        share_us: g.startup_us(),
                        dim: true,
                    },
                }
            }
            View::Flat => module_row(app.flat[i], String::new(), ""),
            // Drawn by `baseline_table`, which has columns of its own.
            View::Baseline => RowData {
                module: None,
                name: Vec::new(),
                self_us: None,
                cumulative_us: None,
                share_us: 0,
                dim: false,
            },
            View::Packages => {
                let p = &app.packages[i];
                RowData {
                    module: None,
                    name: vec![Span::raw(format!("{}  ({} modules)", p.name, p.modules))],
                    self_us: Some(p.self_us),
                    cumulative_us: None,
                    share_us: p.self_us,
                    dim: false,
                }
            }
            View::Importers => {
                let r = app.importers.rows[i];
                let indent = "  ".repeat(r.depth as usize);
                let arrow = if r.depth == 0 { "" } else { "← " };
                match r.importer {
                    Some(id) => {
                        let suffix = if r.cycle { "  ↻ import cycle" } else { "" };
                        module_row(id, format!("{indent}{arrow}"), suffix)
                    }
                    None => RowData {
                        module: None,
                        name: vec![Span::styled(
                            format!("{indent}{arrow}(the program itself)"),
                            BOLD,
                        )],
                        self_us: None,
                        cumulative_us: None,
                        share_us: 0,
                        dim: false,
                    },
                }
            }
        })
        .collect();

    let total = g.total_us();
    let bar_share = |us: u64| {
        if total == 0 {
            0.0
        } else {
            us as f64 / total as f64
        }
    };
    let header_cells: Vec<Cell> = columns
        .iter()
        .map(|(col, _)| {
            let (label, key) = match col {
                Column::Name => (
                    match app.view {
                        View::Packages => "package",
                        View::Importers => "imported by",
                        _ => "module",
                    },
                    Some(SortKey::Name),
                ),
                Column::SelfMs => (
                    if app.view == View::Packages {
                        "self Σ ms"
                    } else {
                        "self ms"
                    },
                    Some(SortKey::SelfTime),
                ),
                Column::CumulativeMs => ("cumul ms", Some(SortKey::Cumulative)),
                Column::RetainedMs => ("retained", Some(SortKey::Retained)),
                Column::UsagePct => ("use %", None),
                Column::Decision => ("defer", None),
                Column::Suggestion => ("rule", None),
                Column::Percent => ("% total", None),
                Column::Bar => ("", None),
            };
            let mut text = label.to_string();
            let sorted_here = key == Some(app.sort.key)
                || (*col == Column::Name && app.sort.key == SortKey::ImportOrder);
            if sorted_here {
                text = if *col == Column::Name && app.sort.key == SortKey::ImportOrder {
                    format!("{text} (import order {})", app.sort.arrow())
                } else {
                    format!("{text} {}", app.sort.arrow())
                };
            }
            if matches!(col, Column::Name | Column::Decision | Column::Suggestion) {
                Cell::from(text).style(BOLD)
            } else {
                right(text, width_of(&columns, *col)).style(BOLD)
            }
        })
        .collect();
    let header = Row::new(header_cells).style(Style::new().add_modifier(Modifier::UNDERLINED));
    let rows: Vec<Row> = data
        .into_iter()
        .enumerate()
        .map(|(offset, d)| {
            let cells: Vec<Cell> = columns
                .iter()
                .map(|(col, width)| match col {
                    Column::Name => Cell::from(Line::from(d.name.clone())),
                    Column::SelfMs => right(d.self_us.map(ms).unwrap_or_default(), *width),
                    Column::CumulativeMs => {
                        right(d.cumulative_us.map(ms).unwrap_or_default(), *width)
                    }
                    Column::RetainedMs => right(
                        d.module
                            .map(|m| ms(app.dominators.retained_us(m)))
                            .unwrap_or_default(),
                        *width,
                    ),
                    Column::UsagePct => right(
                        d.module
                            .map(|m| crate::units::number(app.plan.usage_pct(m)))
                            .unwrap_or_default(),
                        *width,
                    ),
                    Column::Decision => Cell::from(d.module.map_or("", |m| decision_mark(app, m))),
                    Column::Suggestion => Cell::from(d.module.map_or("", |m| {
                        app.plan
                            .thresholds
                            .suggest(app.dominators.retained_us(m), app.plan.usage_pct(m))
                            .label()
                    })),
                    Column::Percent => right(format!("{}%", percent(d.share_us, total)), *width),
                    Column::Bar => Cell::from(bar(bar_share(d.share_us), *width)).style(BAR),
                })
                .collect();
            let mut style = if d.dim { DIM } else { Style::new() };
            if start + offset == cursor.selected {
                style = style.patch(SELECTED);
            }
            Row::new(cells).style(style)
        })
        .collect();
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|(_, w)| Constraint::Length(*w))
        .collect();
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

/// `lazy` for a deferred module; `↳lazy` for one that leaves cold start with a deferred importer.
fn decision_mark(app: &App, m: ModuleId) -> &'static str {
    if app.plan.decision(m) == Decision::Lazy {
        "lazy"
    } else if app.projection.load_probability[m.index()] < 1.0 {
        "↳lazy"
    } else {
        ""
    }
}

fn width_of(columns: &[(Column, u16)], col: Column) -> u16 {
    columns.iter().find(|c| c.0 == col).map_or(0, |c| c.1)
}

/// Modules by change against the baseline, biggest regression first.
fn baseline_table(app: &App, frame: &mut Frame, area: Rect) {
    let Some(c) = &app.comparison else { return };
    let cursor = app.cursor();
    let height = area.height.saturating_sub(1) as usize;
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
        .skip(cursor.scroll)
        .take(height)
        .map(|(i, d)| {
            let cells = vec![
                Cell::from(d.name.clone()),
                right(d.before_us.map(ms).unwrap_or_default(), widths[0]),
                right(d.after_us.map(ms).unwrap_or_default(), widths[1]),
                right(report::signed_ms(d.change_us() as f64), widths[2]),
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

fn right(text: String, width: u16) -> Cell<'static> {
    Cell::from(format!("{text:>w$}", w = width as usize))
}

/// A proportional bar with eighth-cell resolution.
pub fn bar(share: f64, width: u16) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (share.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(PARTS[eighths % 8]);
    s
}

fn detail(app: &App, frame: &mut Frame, area: Rect) {
    let g = &app.graph;
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(" detail ", BOLD));
    let mut lines: Vec<Line> = Vec::new();
    let title = match (app.view, app.selected_tree_node()) {
        (View::Tree, Some(Node::Startup)) => {
            lines.push(Line::from(vec![
                Span::styled("interpreter start-up", BOLD),
                Span::raw(format!(
                    "  {} ms before the program's first import ({}% of total)",
                    ms(g.startup_us()),
                    percent(g.startup_us(), g.total_us())
                )),
            ]));
            frame.render_widget(
                Paragraph::new(lines)
                    .block(block)
                    .wrap(Wrap { trim: false }),
                area,
            );
            return;
        }
        _ => app.selected_module(),
    };
    if let Some(id) = title {
        let m = g.module(id);
        let spread = |s: crate::model::Spread| {
            if g.runs() > 1 {
                format!("{} ms ({}–{})", ms(s.median), ms(s.min), ms(s.max))
            } else {
                format!("{} ms", ms(s.median))
            }
        };
        let mut first = vec![
            Span::styled(g.name(id).to_string(), BOLD),
            Span::raw(format!(
                "  self {}  cumulative {}  {}% of total",
                spread(m.self_us),
                spread(m.cumulative_us),
                percent(m.cumulative_us.median, g.total_us())
            )),
        ];
        if g.runs() > 1 {
            first.push(Span::raw(format!("  in {}/{} runs", m.samples, g.runs())));
        }
        if m.startup {
            first.push(Span::styled("  interpreter start-up", DIM));
        }
        lines.push(Line::from(first));
        lines.push(Line::from(vec![
            Span::styled("chain: ", BOLD),
            Span::raw(g.chain_text(id)),
        ]));
        let others: Vec<String> = g
            .importers(id)
            .iter()
            .filter(|i| **i != m.parent)
            .map(|i| i.map_or("(the program)".to_string(), |p| g.name(p).to_string()))
            .collect();
        let importers = if !g.edges_complete() {
            format!(
                "{} (first import); other importers unknown: this trace has the first-import tree only",
                m.parent.map_or("(the program)", |p| g.name(p))
            )
        } else if others.is_empty() {
            format!("only {}", m.parent.map_or("(the program)", |p| g.name(p)))
        } else {
            format!(
                "{} (first), {}",
                m.parent.map_or("(the program)", |p| g.name(p)),
                others.join(", ")
            )
        };
        lines.push(Line::from(vec![
            Span::styled("imported by: ", BOLD),
            Span::raw(importers),
        ]));
        if let Some(d) = app.comparison.as_ref().and_then(|c| c.module(g.name(id))) {
            lines.push(Line::from(vec![
                Span::styled("vs baseline: ", BOLD),
                Span::raw(format!("cumulative {}", report::delta_text(d))),
            ]));
        }
        let retained = app.dominators.retained_us(id);
        let usage = app.plan.usage_pct(id);
        let (eager_s, lazy_s) = crate::whatif::module_daily_s(&app.plan, retained, usage);
        lines.push(Line::from(vec![
            Span::styled("what-if: ", BOLD),
            Span::raw(format!(
                "deferring it alone saves {} ms · used by {}% of requests · loaded in {:.1}% of \
                 processes · {} s/day eager, {} s/day deferred alone · rule of thumb: {}",
                ms(retained),
                crate::units::number(usage),
                app.projection.load_probability[id.index()] * 100.0,
                report::seconds(eager_s),
                report::seconds(lazy_s),
                app.plan.thresholds.suggest(retained, usage).label(),
            )),
        ]));
    } else if app.view == View::Importers {
        lines.push(Line::from(
            "the program imports it directly (a top-level import)",
        ));
    }
    if app.view == View::Importers && app.importers.truncated {
        lines.push(Line::from(Span::styled(
            format!(
                "(showing the first {} paths' rows)",
                super::importers::MAX_ROWS
            ),
            DIM,
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let line = match (&app.input, &app.question, &app.status) {
        (Some((target, text)), _, _) => {
            let what = match target {
                InputTarget::Usage(m) => format!("usage % of {}", app.graph.name(*m)),
                InputTarget::Param(p) => p.label().to_string(),
            };
            Line::from(vec![
                Span::styled(format!("{what}: "), BOLD),
                Span::raw(text.clone()),
                Span::styled("▏", BOLD),
                Span::styled("  Enter sets · Esc cancels", DIM),
            ])
        }
        (None, Some((_, question)), _) => Line::from(Span::styled(question.clone(), BOLD)),
        (None, None, Some(status)) => Line::from(Span::styled(status.clone(), BOLD)),
        (None, None, None) => Line::from(
            [
                ("q", "quit"),
                ("?", "help"),
                ("/", "search"),
                ("hl", "fold"),
                ("s", "sort"),
                ("Tab", "view"),
                ("L", "defer"),
                ("+-u", "usage"),
                ("p", "params"),
                ("w", "save"),
            ]
            .iter()
            .flat_map(|(k, what)| [Span::styled(*k, BOLD), Span::raw(format!(" {what}  "))])
            .collect::<Vec<_>>(),
        ),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The projection, as much of it as fits: the same lines as the reports.
fn whatif(app: &App, frame: &mut Frame, area: Rect) {
    let all = report::projection_lines(&app.context());
    let budget = match app.projection.within_budget(&app.plan) {
        Some(true) => Span::styled(" ✓ within budget ", BOLD),
        Some(false) => Span::styled(
            " ✗ over budget ",
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        None => Span::raw(""),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(" what-if ", BOLD))
        .title(budget);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // What matters most stays when the panel is short; lines keep the reports' order.
    const PRIORITY: [&str; 9] = [
        "cold start",
        "budget",
        "daily import time",
        "request import latency",
        "measured",
        "leave cold start",
        "note",
        "cold request",
        "parameters",
    ];
    let rank = |label: &str| {
        PRIORITY
            .iter()
            .position(|p| *p == label)
            .unwrap_or(PRIORITY.len())
    };
    let lines: Vec<Line> = if inner.height >= 2 {
        let mut kept: Vec<usize> = (0..all.len()).collect();
        kept.sort_by_key(|&i| rank(&all[i].0));
        kept.truncate(inner.height as usize);
        kept.sort_unstable();
        kept.iter()
            .map(|&i| {
                let (l, v) = &all[i];
                Line::from(vec![
                    Span::styled(format!("{l:<23}"), BOLD),
                    Span::raw(v.clone()),
                ])
            })
            .collect()
    } else {
        let find = |label: &str| {
            all.iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        vec![Line::from(vec![
            Span::styled("cold start ", BOLD),
            Span::raw(find("cold start")),
            Span::styled("  daily ", BOLD),
            Span::raw(find("daily import time")),
        ])]
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

fn params(app: &App, frame: &mut Frame, table: Rect) {
    let label_width = Param::ALL
        .iter()
        .map(|p| p.label().chars().count())
        .max()
        .unwrap_or(0);
    let width = table.width.min(label_width as u16 + 20);
    let height = (Param::ALL.len() as u16 + 2).min(table.height);
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
    let lines: Vec<Line> = Param::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let line = Line::from(vec![
                Span::raw(format!("{:<label_width$}  ", p.label())),
                Span::styled(p.value(&app.plan), BOLD),
            ]);
            if i == app.param_cursor {
                line.style(SELECTED)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn search(app: &App, frame: &mut Frame, table: Rect) {
    let g = &app.graph;
    let s = &app.search;
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

fn help(frame: &mut Frame, area: Rect) {
    let key_width = HELP
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_width = HELP
        .iter()
        .map(|(_, w)| w.chars().count())
        .max()
        .unwrap_or(0);
    let width = area.width.min((key_width + text_width + 4) as u16);
    let height = (HELP.len() as u16 + 4).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<key_width$}  "), BOLD),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::from(Span::styled(
        "Esc, ? or q closes this help",
        DIM,
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" keys ", BOLD));
    frame.render_widget(Paragraph::new(lines).block(block), popup);
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
