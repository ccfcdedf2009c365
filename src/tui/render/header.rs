//! The header: what the trace is, and the view tabs with the sort.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{BOLD, RED, SELECTED};
use crate::output::figures::{delta_text, noise_line};
use crate::output::units::{count, duration, ms};
use crate::tui::app::App;
use crate::tui::views::ViewId;

pub(super) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let g = app.analysis().graph();
    let first = fit(pieces(app), area.width as usize);
    let edges = if g.edges_complete() {
        "edges: complete"
    } else {
        "edges: first-import tree only"
    };
    let mut second = Vec::new();
    for v in app.available_views() {
        // The number is the view's key, whichever views are there.
        let key = ViewId::ALL.iter().position(|&w| w == v).unwrap_or(0) + 1;
        let label = format!(" {key} {} ", v.title());
        second.push(if v == app.view() {
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
    frame.render_widget(Paragraph::new(vec![first, Line::from(second)]), area);
}

/// The header's pieces in display order, each with its priority (0 first): the figures that
/// say what the trace is come before its file names, which give way first on a narrow screen.
fn pieces(app: &App) -> Vec<(u8, Vec<Span<'static>>)> {
    let g = app.analysis().graph();
    let mut pieces = vec![(3, vec![Span::styled("lmms-tui", BOLD)])];
    // The source: one file as given (its name alone when long), or the first and a count.
    let files = &g.meta().files;
    let name = |f: &str| {
        std::path::Path::new(f)
            .file_name()
            .map_or(f.to_string(), |n| n.to_string_lossy().into_owned())
    };
    let source = match &files[..] {
        [] => None,
        [one] if one.chars().count() <= 40 => Some(one.clone()),
        [one] => Some(name(one)),
        [first, rest @ ..] => Some(format!("{} and {} more", name(first), rest.len())),
    };
    if let Some(source) = source {
        pieces.push((4, vec![Span::raw(source)]));
    }
    pieces.push((0, vec![Span::raw(count(g.runs(), "run"))]));
    pieces.push((1, vec![Span::raw(count(g.len(), "module"))]));
    pieces.push((
        0,
        vec![Span::raw(format!("total {}", duration(g.total_us())))],
    ));
    if let Some(c) = app.analysis().comparison() {
        let total = c.total();
        let style = if c.after_total_us > c.before_total_us {
            BOLD
        } else {
            Style::new()
        };
        pieces.push((
            1,
            vec![
                Span::raw("vs baseline "),
                Span::styled(delta_text(&total), style),
            ],
        ));
    }
    if !g.meta().level_jumps.is_empty() {
        pieces.push((
            2,
            vec![Span::styled("uncertain tree: interleaved lines", RED)],
        ));
    }
    let failed = g.meta().failed_runs.len();
    if failed > 0 {
        let text = format!("program failed in {}", count(failed, "run"));
        pieces.push((1, vec![Span::styled(text, RED)]));
    }
    let total = g.total();
    if noise_line(g).is_some() {
        let apart = (total.relative() * 100.0).round();
        pieces.push((2, vec![Span::styled(format!("noisy: {apart}% apart"), RED)]));
    }
    if let Some(python) = &g.meta().python {
        pieces.push((3, vec![Span::raw(format!("Python {python}"))]));
    }
    if let Some(config) = app.config() {
        pieces.push((5, vec![Span::raw(format!("config: {config}"))]));
    }
    if g.runs() > 1 {
        pieces.push((
            5,
            vec![Span::raw(format!(
                "runs {}–{} ms",
                ms(total.min),
                ms(total.max)
            ))],
        ));
    }
    pieces
}

/// The pieces that fit in `width`, in their order, separated by ` │ `: the lowest-priority
/// piece goes first while the line is too long.
pub(super) fn fit(mut pieces: Vec<(u8, Vec<Span<'static>>)>, width: usize) -> Line<'static> {
    const SEPARATOR: &str = " │ ";
    let length = |pieces: &[(u8, Vec<Span>)]| -> usize {
        let text: usize = pieces
            .iter()
            .flat_map(|(_, spans)| spans)
            .map(Span::width)
            .sum();
        text + Span::raw(SEPARATOR).width() * pieces.len().saturating_sub(1)
    };
    while pieces.len() > 1 && length(&pieces) > width {
        // The least important; of equals, the last.
        let drop = (0..pieces.len())
            .max_by_key(|&i| (pieces[i].0, i))
            .expect("more than one piece");
        pieces.remove(drop);
    }
    let mut spans = Vec::new();
    for (i, (_, piece)) in pieces.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(SEPARATOR));
        }
        spans.extend(piece);
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use ratatui::text::Span;

    fn text(line: &ratatui::text::Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn lowest_priority_pieces_give_way_first() {
        let pieces = || {
            vec![
                (3, vec![Span::raw("lmms-tui")]),
                (4, vec![Span::raw("warm1.txt and 4 more")]),
                (0, vec![Span::raw("5 runs")]),
                (1, vec![Span::raw("869 modules")]),
                (0, vec![Span::raw("total 286.8 ms")]),
                (5, vec![Span::raw("runs 276.1–472.0 ms")]),
            ]
        };
        let wide = super::fit(pieces(), 200);
        assert_eq!(
            text(&wide),
            "lmms-tui │ warm1.txt and 4 more │ 5 runs │ 869 modules │ total 286.8 ms │ runs 276.1–472.0 ms"
        );
        let narrow = super::fit(pieces(), 50);
        assert_eq!(
            text(&narrow),
            "lmms-tui │ 5 runs │ 869 modules │ total 286.8 ms"
        );
        assert!(narrow.width() <= 50);
        let tiny = super::fit(pieces(), 30);
        assert_eq!(text(&tiny), "5 runs │ total 286.8 ms");
    }
}
