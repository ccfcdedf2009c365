//! Text and markdown reports: one layout, two styles (`table.rs` draws the tables).

use std::io::{self, Write};

use super::figures::{decision_label, delta_text, projection_lines, summary};
use super::table::{Style, Table, write_table};
use super::units::{ms, percent, seconds, signed_ms};
use super::untimed::ms_or_untimed;
use lmms_core::model::{ModuleId, Sort, SortKey};
use lmms_core::whatif::Analysis;

pub fn write_text(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    write_human(a, top, Style::Text, out)
}

pub fn write_markdown(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    write_human(a, top, Style::Markdown, out)
}

fn write_human(a: &Analysis, top: usize, style: Style, out: &mut impl Write) -> io::Result<()> {
    write_summary(a, style, out)?;
    heading(style, out, "What-if")?;
    write_projection(a, style, out)?;
    if !a.projection().lazy.is_empty() {
        writeln!(out)?;
        write_lazy_table(a, style, out)?;
        write_edits(a, style, out)?;
    }
    if a.comparison().is_some() {
        heading(style, out, "Compared with the baseline")?;
        write_comparison(a, top, style, out)?;
    }
    for (title, key) in [
        ("by cumulative time", SortKey::Cumulative),
        ("by self time", SortKey::SelfTime),
    ] {
        heading(
            style,
            out,
            &format!("Import Profile (Slowest First, {title})"),
        )?;
        write_profile(a, top, key, style, out)?;
    }
    Ok(())
}

fn heading(style: Style, out: &mut impl Write, text: &str) -> io::Result<()> {
    match style {
        Style::Markdown => writeln!(out, "\n## {text}\n"),
        Style::Text => writeln!(out, "\n{text}"),
    }
}

/// A list item: indented in text, a bullet in markdown.
fn item(style: Style) -> &'static str {
    if style == Style::Text { "  " } else { "- " }
}

fn write_summary(a: &Analysis, style: Style, out: &mut impl Write) -> io::Result<()> {
    let graph = a.graph();
    match style {
        Style::Markdown => writeln!(
            out,
            "# Import profile\n\n{}",
            lmms_core::printable::markdown(&summary(graph))
        )?,
        Style::Text => writeln!(out, "{}", summary(graph))?,
    }
    if !graph.edges_complete() {
        writeln!(
            out,
            "{}Import edges: first-import tree only (imports of already-loaded modules are not in this trace)",
            if style == Style::Markdown { "\n" } else { "" }
        )?;
    }
    Ok(())
}

/// The projection's labelled lines.
fn write_projection(a: &Analysis, style: Style, out: &mut impl Write) -> io::Result<()> {
    let lines = projection_lines(a);
    let width = lines
        .iter()
        .map(|(f, _)| f.label().chars().count())
        .max()
        .unwrap_or(0);
    for (figure, value) in lines {
        let label = figure.label();
        match style {
            Style::Markdown => writeln!(
                out,
                "- **{label}**: {}",
                lmms_core::printable::markdown(&value)
            )?,
            Style::Text => writeln!(out, "  {label:<width$} {value}")?,
        }
    }
    Ok(())
}

/// Each deferred module: its usage, load probability, cost, and daily time eager and lazy.
fn write_lazy_table(a: &Analysis, style: Style, out: &mut impl Write) -> io::Result<()> {
    let rows = (a.projection().lazy.iter())
        .map(|l| {
            let usage = super::usage::cell(a.usage(l.module));
            let (eager, lazy) = a.module_daily_s(l.module);
            vec![
                usage,
                format!("{:.3}", l.load_probability),
                ms(l.cost_us),
                seconds(eager),
                seconds(lazy),
                a.graph().name(l.module).to_string(),
            ]
        })
        .collect();
    let headers = [
        "usage %",
        "P(load)",
        "lazy cost ms",
        "eager s/day",
        "lazy s/day",
        "deferred module",
    ];
    let table = Table {
        headers: headers.map(String::from).to_vec(),
        right: vec![true, true, true, true, true, false],
        rows,
    };
    write_table(out, style, &table)
}

/// The lines the deferrals edit, where the trace recorded them.
fn write_edits(a: &Analysis, style: Style, out: &mut impl Write) -> io::Result<()> {
    let graph = a.graph();
    let edits: Vec<String> = (a.projection().lazy.iter())
        .flat_map(|l| {
            super::figures::edit_sites(graph, l.module)
                .into_iter()
                .map(|site| super::figures::edit_text(graph, site, l.module))
        })
        .collect();
    if edits.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}The edit, in your code:",
        if style == Style::Text { "  " } else { "" }
    )?;
    for edit in edits {
        match style {
            Style::Markdown => writeln!(out, "- {}", lmms_core::printable::markdown(&edit))?,
            Style::Text => writeln!(out, "    {edit}")?,
        }
    }
    Ok(())
}

/// The total, new and vanished modules, then what moved most, by package and by module.
fn write_comparison(
    a: &Analysis,
    top: usize,
    style: Style,
    out: &mut impl Write,
) -> io::Result<()> {
    let Some(c) = a.comparison() else {
        return Ok(());
    };
    writeln!(
        out,
        "{}total import time: {}",
        item(style),
        delta_text(&c.total())
    )?;
    let new = c.new_modules().count();
    let gone = c.vanished_modules().count();
    writeln!(out, "{}modules: {new} new, {gone} vanished", item(style))?;
    writeln!(out)?;
    for (what, list) in [
        ("package (Σ self)", &c.packages),
        ("module (cumulative)", &c.modules),
    ] {
        let rows: Vec<Vec<String>> = list
            .iter()
            .filter(|d| d.change_us() != 0)
            .take(top)
            .map(|d| {
                vec![
                    d.before_us.map(ms).unwrap_or_else(|| "—".into()),
                    d.after_us.map(ms).unwrap_or_else(|| "—".into()),
                    signed_ms(d.change_us() as f64),
                    d.change_pct().map_or("new".into(), |p| format!("{p:+.1}%")),
                    d.name.clone(),
                ]
            })
            .collect();
        let table = Table {
            headers: ["before ms", "after ms", "Δ ms", "Δ %", what]
                .map(String::from)
                .to_vec(),
            right: vec![true, true, true, true, false],
            rows,
        };
        write_table(out, style, &table)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The `top` slowest modules by `key` (cumulative or self), with their figures and decisions.
fn write_profile(
    a: &Analysis,
    top: usize,
    key: SortKey,
    style: Style,
    out: &mut impl Write,
) -> io::Result<()> {
    let order = Sort::by(key).top(&a.keys(), top);
    let by_self = key == SortKey::SelfTime;
    let spread = a.graph().runs() > 1;
    let mut headers = vec!["#", "cumul ms", "self ms", "retained ms", "% total"];
    if spread {
        headers.push(if by_self {
            "self min–max"
        } else {
            "cumulative min–max"
        });
    }
    headers.extend([
        "usage %",
        "decision",
        "suggestion",
        "class",
        "module (import chain)",
    ]);
    let rows = (order.iter().enumerate())
        .map(|(rank, &id)| profile_row(a, rank, id, by_self, spread))
        .collect();
    let right = (headers.iter())
        .map(|h| {
            !matches!(
                *h,
                "decision" | "suggestion" | "class" | "module (import chain)"
            )
        })
        .collect();
    let table = Table {
        headers: headers.into_iter().map(String::from).collect(),
        right,
        rows,
    };
    write_table(out, style, &table)?;
    if order.len() > top {
        writeln!(out, "… {} more (--top N)", order.len() - top)?;
    }
    Ok(())
}

/// One module's row of the profile, `rank` from 0.
fn profile_row(
    a: &Analysis,
    rank: usize,
    id: ModuleId,
    by_self: bool,
    spread: bool,
) -> Vec<String> {
    let graph = a.graph();
    let m = graph.module(id);
    let shown = if by_self {
        graph.self_spread(id)
    } else {
        graph.cumulative_spread(id)
    };
    let mut row = vec![
        (rank + 1).to_string(),
        ms_or_untimed(graph, id, m.cumulative_us),
        ms_or_untimed(graph, id, m.self_us),
        super::alone::retained_cell(a, id),
        format!("{}%", percent(shown.median, graph.total_us())),
    ];
    if spread {
        row.push(format!("{}–{}", ms(shown.min), ms(shown.max)));
    }
    row.push(super::usage::cell(a.usage(id)));
    row.push(decision_label(a.plan().decision(id)).into());
    row.push(a.suggestion(id).label().into());
    row.push(m.class.key().into());
    row.push(if m.parent.is_some() {
        format!(
            "{}  ({})",
            graph.name(id),
            super::chain::first_import_text(graph, id)
        )
    } else {
        graph.name(id).to_string()
    });
    row
}
