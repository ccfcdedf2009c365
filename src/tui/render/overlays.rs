//! What opens over the table: search, parameters and help.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{BOLD, DIM, MATCH, SELECTED};
use crate::output::figures::Figure;
use crate::output::units::ms;
use crate::tui::app::App;
use crate::tui::keymap;
use lmms_core::whatif::PARAMS;

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
    // Shorter than the list: the selected parameter stays in view.
    let shown = inner.height as usize;
    let skip = (app.param_cursor() + 1).saturating_sub(shown);
    let lines: Vec<Line> = lines.into_iter().skip(skip).collect();
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
        format!("{} matches", s.match_count())
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
    for (i, id) in (first..).zip(s.matched_from(first)).take(shown) {
        let name = g.name(id);
        let hits = s.indices(name);
        let mut spans: Vec<Span> = name
            .chars()
            .enumerate()
            .map(|(ci, c)| {
                // Control and bidi characters are shown escaped, never sent raw.
                let c = lmms_core::printable::printable(c.encode_utf8(&mut [0; 4])).into_owned();
                if hits.contains(&ci) {
                    Span::styled(c, MATCH)
                } else {
                    Span::raw(c)
                }
            })
            .collect();
        spans.push(Span::styled(
            format!("  {} ms", ms(g.module(id).cumulative_us)),
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

/// Every key, its description wrapped to the screen, then what each what-if line means;
/// scrolls when taller than the screen (the title says how).
pub(super) fn help(frame: &mut Frame, area: Rect, scroll: usize) {
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
    let wrap = (width as usize).saturating_sub(key_width + 4).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for (k, what) in &help {
        for (i, part) in wrap_words(what, wrap).into_iter().enumerate() {
            let key: &str = if i == 0 { k.as_ref() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:<key_width$}  "), BOLD),
                Span::raw(part),
            ]));
        }
    }
    // The what-if panel's lines, each in one sentence, from the figures' own home.
    let inner = (width as usize).saturating_sub(2).max(10);
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("the what-if panel", BOLD)));
    for figure in Figure::ALL {
        let text = format!("{}: {}", figure.label(), figure.explain());
        for (i, part) in wrap_words(&text, inner - 2).into_iter().enumerate() {
            lines.push(if i == 0 {
                // The label bold, the sentence plain.
                let (label, rest) = part.split_at(part.find(':').unwrap_or(part.len()));
                Line::from(vec![
                    Span::styled(label.to_string(), BOLD),
                    Span::raw(rest.to_string()),
                ])
            } else {
                Line::from(format!("  {part}"))
            });
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let shown = height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(shown));
    let more = lines.len() > shown;
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" keys · what-if panel ", BOLD));
    if more {
        block = block.title(Span::raw(format!(
            " {}–{} of {} · j k PgDn PgUp scroll ",
            scroll + 1,
            (scroll + shown).min(lines.len()),
            lines.len()
        )));
    }
    let lines: Vec<Line> = lines.into_iter().skip(scroll).take(shown).collect();
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// `text` in lines of at most `width` characters, broken at spaces where it can be (a word
/// longer than a line is cut).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut len = 0usize;
    for word in text.split(' ') {
        let mut chars: Vec<char> = word.chars().collect();
        if len > 0 && len + 1 + chars.len() > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        while len + chars.len() > width {
            let room = width - len;
            line.extend(chars.drain(..room));
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        len += chars.len();
        line.extend(chars);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The patch preview (`P`): its lines from the scroll on, diff lines coloured, names escaped.
pub(super) fn patch(app: &App, frame: &mut Frame, area: Rect) {
    let Some((text, scroll)) = app.patch_preview() else {
        return;
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" patch of your files ", BOLD))
        .title_bottom(" j/k scroll · w write · Esc close ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = (text.lines().skip(scroll).take(inner.height as usize))
        .map(|line| {
            let shown = lmms_core::printable::printable(line).into_owned();
            let style = match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++") => Style::new().fg(Color::Green),
                Some(b'-') if !line.starts_with("---") => Style::new().fg(Color::Red),
                Some(b'#') => DIM,
                _ => Style::new(),
            };
            Line::from(Span::styled(shown, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(
            super::wrap_words("expand (or step in); in other views", 14),
            ["expand (or", "step in); in", "other views"]
        );
        assert_eq!(super::wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        for w in 1..40 {
            for line in super::wrap_words("what-if: defer it in your code (your imports of it)", w)
            {
                assert!(line.chars().count() <= w, "{w}: {line:?}");
            }
        }
    }
}
