//! Text and markdown reports: one layout, two styles (`table.rs` draws the tables).

use std::io::{self, Write};

use super::figures::{decision_label, delta_text, projection_lines, summary};
use super::table::{Style, Table, write_table};
use super::units::{ms, number, percent, seconds, signed_ms};
use lmms_core::model::{Sort, SortKey};
use lmms_core::whatif::Analysis;

pub fn write_text(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    write_human(a, top, Style::Text, out)
}

pub fn write_markdown(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    write_human(a, top, Style::Markdown, out)
}

fn write_human(a: &Analysis, top: usize, style: Style, out: &mut impl Write) -> io::Result<()> {
    let graph = a.graph();
    let heading = |out: &mut dyn Write, text: &str| -> io::Result<()> {
        match style {
            Style::Markdown => writeln!(out, "\n## {text}\n"),
            Style::Text => writeln!(out, "\n{text}"),
        }
    };
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

    heading(out, "What-if")?;
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
    if !a.projection().lazy.is_empty() {
        writeln!(out)?;
        let rows = a
            .projection()
            .lazy
            .iter()
            .map(|l| {
                let usage = a.plan().usage_pct(l.module);
                let (eager, lazy) = a.module_daily_s(l.module);
                vec![
                    number(usage),
                    format!("{:.3}", l.load_probability),
                    ms(l.cost_us),
                    seconds(eager),
                    seconds(lazy),
                    graph.name(l.module).to_string(),
                ]
            })
            .collect();
        write_table(
            out,
            style,
            &Table {
                headers: [
                    "usage %",
                    "P(load)",
                    "lazy cost ms",
                    "eager s/day",
                    "lazy s/day",
                    "deferred module",
                ]
                .map(String::from)
                .to_vec(),
                right: vec![true, true, true, true, true, false],
                rows,
            },
        )?;
        // The lines the deferrals edit, where the trace recorded them.
        let edits: Vec<String> = a
            .projection()
            .lazy
            .iter()
            .flat_map(|l| {
                super::figures::edit_sites(graph, l.module)
                    .into_iter()
                    .map(|site| super::figures::edit_text(graph, site, l.module))
            })
            .collect();
        if !edits.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{}The edit, in your code:",
                if style == Style::Text { "  " } else { "" }
            )?;
            for edit in edits {
                match style {
                    Style::Markdown => {
                        writeln!(out, "- {}", lmms_core::printable::markdown(&edit))?
                    }
                    Style::Text => writeln!(out, "    {edit}")?,
                }
            }
        }
    }

    if let Some(c) = a.comparison() {
        heading(out, "Compared with the baseline")?;
        writeln!(
            out,
            "{}total import time: {}",
            if style == Style::Text { "  " } else { "- " },
            delta_text(&c.total())
        )?;
        let new = c.new_modules().count();
        let gone = c.vanished_modules().count();
        writeln!(
            out,
            "{}modules: {new} new, {gone} vanished",
            if style == Style::Text { "  " } else { "- " }
        )?;
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
            write_table(
                out,
                style,
                &Table {
                    headers: ["before ms", "after ms", "Δ ms", "Δ %", what]
                        .map(String::from)
                        .to_vec(),
                    right: vec![true, true, true, true, false],
                    rows,
                },
            )?;
            writeln!(out)?;
        }
    }

    let total = graph.total_us();
    let spread = graph.runs() > 1;
    for (title, order, by_self) in [
        (
            "by cumulative time",
            Sort::by(SortKey::Cumulative).top(&a.keys(), top),
            false,
        ),
        (
            "by self time",
            Sort::by(SortKey::SelfTime).top(&a.keys(), top),
            true,
        ),
    ] {
        heading(out, &format!("Import Profile (Slowest First, {title})"))?;
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
        let rows = order
            .iter()
            .enumerate()
            .map(|(rank, &id)| {
                let m = graph.module(id);
                let shown = if by_self {
                    graph.self_spread(id)
                } else {
                    graph.cumulative_spread(id)
                };
                let usage = a.plan().usage_pct(id);
                let retained = a.retained_us(id);
                let mut row = vec![
                    (rank + 1).to_string(),
                    ms(m.cumulative_us),
                    ms(m.self_us),
                    ms(retained),
                    format!("{}%", percent(shown.median, total)),
                ];
                if spread {
                    row.push(format!("{}–{}", ms(shown.min), ms(shown.max)));
                }
                row.push(number(usage));
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
            })
            .collect();
        let right = headers
            .iter()
            .map(|h| {
                !matches!(
                    *h,
                    "decision" | "suggestion" | "class" | "module (import chain)"
                )
            })
            .collect();
        write_table(
            out,
            style,
            &Table {
                headers: headers.into_iter().map(String::from).collect(),
                right,
                rows,
            },
        )?;
        if order.len() > top {
            writeln!(out, "… {} more (--top N)", order.len() - top)?;
        }
    }
    Ok(())
}
