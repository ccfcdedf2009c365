//! "Importers of": why a module is loaded, on the engine `lmms-tui why` uses — one row per
//! module outside it that imports it, each unfolding into its shortest chain from the program;
//! its own submodules (which load it as their package) in one folded row.

use crate::output::units::count;
use std::ops::Range;

use super::{Fold, Row, Rows, View, module_row};
use crate::output::why as words;
use crate::tui::cursor::Cursor;
use lmms_core::model::{ImportGraph, ModuleId, Sort, SortKey, Why};
use lmms_core::printable::printable;
use lmms_core::whatif::Analysis;

/// One visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// The module asked about, with the count of its importers.
    Target,
    /// What the trace cannot tell (first-import tree only).
    Note,
    /// An importer: index into `Why::importers`.
    Importer(usize),
    /// A link of an importer's chain, upward: `step` 0 is the importer's own importer.
    Link {
        importer: usize,
        step: usize,
    },
    /// The target's own submodules, folded into one row.
    Submodules,
    Submodule(usize),
}

#[derive(Debug, Clone, Default)]
pub struct Importers {
    why: Option<Why>,
    /// Importers in display order (indices into `Why::importers`), per the sort.
    order: Vec<usize>,
    /// Unfolded importers, by index into `Why::importers`.
    open: Vec<bool>,
    submodules_open: bool,
    note: bool,
    sorted_by: Option<Sort>,
    lines: Vec<Line>,
    cursor: Cursor,
}

impl View for Importers {
    fn name_header(&self) -> &'static str {
        "imported by"
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    fn cursor(&self) -> Cursor {
        self.cursor
    }

    fn cursor_mut(&mut self) -> &mut Cursor {
        &mut self.cursor
    }

    fn selected(&self, _a: &Analysis) -> Option<ModuleId> {
        let why = self.why.as_ref()?;
        match *self.lines.get(self.cursor.selected)? {
            Line::Target | Line::Note | Line::Submodules => Some(why.target),
            Line::Importer(i) => why.importers[i].importer,
            Line::Link { importer, step } => self.link(importer, step),
            Line::Submodule(i) => why.submodules.get(i).copied(),
        }
    }

    /// "Why is this loaded?" asks about whatever was selected where the user came from.
    fn on_show(&mut self, a: &Analysis, from: Option<ModuleId>) {
        let current = self.why.as_ref().map(|w| w.target);
        if let Some(target) = from.or(current)
            && Some(target) != current
        {
            *self = Importers::build(a.graph(), target);
        }
    }

    fn refresh(&mut self, a: &Analysis, sort: Sort) {
        if self.sorted_by == Some(sort) {
            return;
        }
        self.sorted_by = Some(sort);
        let selected = self.lines.get(self.cursor.selected).copied();
        self.sort(a.graph(), sort);
        self.relayout(selected);
    }

    fn rows(&self, a: &Analysis, sort: Sort, range: Range<usize>) -> Rows {
        let g = a.graph();
        Rows::Modules(
            self.lines[range]
                .iter()
                .map(|&line| self.row(a, g, sort, line))
                .collect(),
        )
    }

    fn folds(&self) -> bool {
        true
    }

    fn fold(&mut self, fold: Fold, a: &Analysis, _height: usize) -> Option<ModuleId> {
        let selected = self.lines.get(self.cursor.selected).copied()?;
        let foldable = |line| {
            matches!(line, Line::Importer(i) if self.has_chain(i)) || line == Line::Submodules
        };
        match fold {
            Fold::ExpandAll | Fold::CollapseAll => {
                let open = fold == Fold::ExpandAll;
                self.open.iter_mut().for_each(|o| *o = open);
                self.submodules_open = open;
                // Folding everything keeps the cursor on what holds the selection.
                let keep = match selected {
                    Line::Link { importer, .. } if !open => Line::Importer(importer),
                    Line::Submodule(_) if !open => Line::Submodules,
                    line => line,
                };
                self.relayout(Some(keep));
            }
            Fold::Expand | Fold::Toggle if foldable(selected) && !self.is_open(selected) => {
                self.set_open(selected, true);
                self.relayout(Some(selected));
            }
            Fold::Collapse | Fold::Toggle if foldable(selected) && self.is_open(selected) => {
                self.set_open(selected, false);
                self.relayout(Some(selected));
            }
            Fold::Collapse => {
                let up = match selected {
                    Line::Link { importer, .. } => Line::Importer(importer),
                    Line::Submodule(_) => Line::Submodules,
                    _ => return None,
                };
                self.set_open(up, false);
                self.relayout(Some(up));
            }
            // A leaf (a chain link, a submodule) shows in the tree.
            Fold::Expand | Fold::Toggle => return self.selected(a),
        }
        None
    }
}

impl Importers {
    /// Why `target` is loaded, every importer folded.
    pub fn build(graph: &ImportGraph, target: ModuleId) -> Importers {
        let why = graph.why(target);
        let mut view = Importers {
            order: (0..why.importers.len()).collect(),
            open: vec![false; why.importers.len()],
            note: words::caveat(graph, &why).is_some(),
            why: Some(why),
            ..Importers::default()
        };
        view.relayout(None);
        view
    }

    pub fn why(&self) -> Option<&Why> {
        self.why.as_ref()
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The line under the cursor.
    pub fn selected_line(&self) -> Option<Line> {
        self.lines.get(self.cursor.selected).copied()
    }

    /// Orders importers: by the importer's time for the time sorts, by name, or shortest
    /// chain first for import order (the engine's own order, kept as the tie-break).
    fn sort(&mut self, g: &ImportGraph, sort: Sort) {
        let Some(why) = &self.why else { return };
        let time = |i: usize| {
            let m = why.importers[i].importer.map(|m| g.module(m));
            match sort.key {
                SortKey::SelfTime => m.map_or(u64::MAX, |m| m.self_us),
                _ => m.map_or(u64::MAX, |m| m.cumulative_us),
            }
        };
        let name = |i: usize| why.importers[i].importer.map_or("", |m| g.name(m));
        self.order = (0..why.importers.len()).collect();
        match sort.key {
            SortKey::ImportOrder => {}
            SortKey::Name => self.order.sort_by(|&a, &b| name(a).cmp(name(b))),
            _ => self.order.sort_by_key(|&i| std::cmp::Reverse(time(i))),
        }
    }

    /// Rebuilds the visible lines; the cursor stays on `keep` when it is still shown.
    fn relayout(&mut self, keep: Option<Line>) {
        let Some(why) = &self.why else { return };
        let mut lines = vec![Line::Target];
        if self.note {
            lines.push(Line::Note);
        }
        for &i in &self.order {
            lines.push(Line::Importer(i));
            if self.open[i] {
                let links = why.importers[i].chain.as_ref().map_or(0, Vec::len);
                // The importer's own importers up to the program: the chain minus its last
                // link (the importer), then the program.
                lines.extend((0..links).map(|step| Line::Link { importer: i, step }));
            }
        }
        if !why.submodules.is_empty() {
            lines.push(Line::Submodules);
            if self.submodules_open {
                lines.extend((0..why.submodules.len()).map(Line::Submodule));
            }
        }
        self.lines = lines;
        if let Some(at) = keep.and_then(|k| self.lines.iter().position(|&l| l == k)) {
            self.cursor.selected = at;
        }
        self.cursor.selected = self.cursor.selected.min(self.lines.len().saturating_sub(1));
    }

    fn has_chain(&self, i: usize) -> bool {
        let why = self.why.as_ref().expect("lines only exist with an answer");
        why.importers[i]
            .chain
            .as_ref()
            .is_some_and(|c| !c.is_empty())
    }

    fn is_open(&self, line: Line) -> bool {
        match line {
            Line::Importer(i) => self.open[i],
            Line::Submodules => self.submodules_open,
            _ => false,
        }
    }

    fn set_open(&mut self, line: Line, open: bool) {
        match line {
            Line::Importer(i) => self.open[i] = open,
            Line::Submodules => self.submodules_open = open,
            _ => {}
        }
    }

    /// The module at `step` up an importer's chain; `None` is the program.
    fn link(&self, importer: usize, step: usize) -> Option<ModuleId> {
        let chain = self.why.as_ref()?.importers[importer].chain.as_ref()?;
        // chain = [top-level import, …, importer]; step 0 is the importer's importer.
        let at = chain.len().checked_sub(2 + step)?;
        Some(chain[at])
    }

    fn row(&self, a: &Analysis, g: &ImportGraph, sort: Sort, line: Line) -> Row {
        let why = self.why.as_ref().expect("lines only exist with an answer");
        let name = |m: ModuleId| printable(g.name(m));
        match line {
            Line::Target => {
                let n = why.importers.len();
                let yours = why.yours();
                let mut row = module_row(
                    a,
                    why.target,
                    format!(
                        "{} ← {}, {yours} yours",
                        name(why.target),
                        count(n, "importer")
                    ),
                    sort,
                );
                row.bold = true;
                row
            }
            Line::Note => text_row(
                format!("  {}", words::caveat(g, why).unwrap_or_default()),
                false,
                true,
            ),
            Line::Importer(i) => self.importer_row(a, g, sort, i),
            Line::Link { importer, step } => match self.link(importer, step) {
                Some(m) => module_row(a, m, format!("      ← {}", name(m)), sort),
                None => text_row("      ← (the program)".into(), true, false),
            },
            Line::Submodules => text_row(
                format!(
                    "  {} {} of its own submodules (they load it as their package; none explains it)",
                    marker(self.submodules_open),
                    why.submodules.len()
                ),
                false,
                true,
            ),
            Line::Submodule(i) => {
                let m = why.submodules[i];
                module_row(a, m, format!("      {}", name(m)), sort)
            }
        }
    }

    /// An importer's line: its fold marker, whose code it is, an import cycle if any.
    fn importer_row(&self, a: &Analysis, g: &ImportGraph, sort: Sort, i: usize) -> Row {
        let why = self.why.as_ref().expect("lines only exist with an answer");
        let reason = &why.importers[i];
        let fold = if self.has_chain(i) {
            marker(self.open[i])
        } else {
            " "
        };
        let yours = match words::ownership(g, reason) {
            "" => String::new(),
            own => format!(" · {own}"),
        };
        let cycle = if reason.is_cycle() {
            format!(
                "  ↻ import cycle: loaded only after {}",
                printable(g.name(why.target))
            )
        } else {
            String::new()
        };
        match reason.importer {
            // The class is in the `from` column.
            Some(m) => module_row(
                a,
                m,
                format!("  {fold} {}{yours}{cycle}", printable(g.name(m))),
                sort,
            ),
            None => text_row(format!("  {fold} (the program)"), true, false),
        }
    }

    /// What the detail panel adds for the selected line: how and where the importer imports
    /// the target, or how it reaches it.
    pub fn detail(&self, g: &ImportGraph) -> Option<String> {
        let why = self.why.as_ref()?;
        match self.selected_line()? {
            Line::Importer(i) | Line::Link { importer: i, .. } => {
                let reason = &why.importers[i];
                Some(format!(
                    "{} imports {}: {} — via {}",
                    words::importer_text(g, reason),
                    lmms_core::printable::printable(g.name(why.target)),
                    words::import_lines(g, why, reason).join("; "),
                    words::reach_text(g, why, reason)
                ))
            }
            Line::Submodules | Line::Submodule(_) => words::submodules_text(g, why),
            Line::Note => words::caveat(g, why),
            Line::Target => {
                let yours = why.yours();
                let mut text = format!(
                    "{} module{} outside {} import{} it, {yours} of them your code",
                    why.importers.len(),
                    if why.importers.len() == 1 { "" } else { "s" },
                    lmms_core::printable::printable(g.name(why.target)),
                    if why.importers.len() == 1 { "s" } else { "" },
                );
                if let Some(sub) = words::submodules_text(g, why) {
                    text.push_str("; ");
                    text.push_str(&sub);
                }
                Some(text)
            }
        }
    }
}

/// A line of text, not a module.
fn text_row(text: String, bold: bool, dim: bool) -> Row {
    Row {
        module: None,
        text,
        self_us: None,
        cumulative_us: None,
        share_us: 0,
        dim,
        bold,
    }
}

/// A fold's marker.
fn marker(open: bool) -> &'static str {
    if open { "▾" } else { "▸" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lmms_core::model::Sort;
    use lmms_core::whatif::Plan;

    #[test]
    fn one_row_per_importer_unfolding_into_its_chain() {
        // 3.14 trace: urllib3 first imported by botocore, then (cached) by requests.
        let text = "\
import time:        10 |         10 |     urllib3
import time:        20 |         30 |   botocore
import time:         5 |         35 | boto3
import time: cached    | cached     |   urllib3
import time:         5 |          5 | requests
";
        let g = lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap();
        let a = Analysis::new(g.clone(), Plan::new(&g), None);
        let mut v = Importers::build(&g, g.find("urllib3").unwrap());
        v.refresh(&a, Sort::default());
        let texts = |v: &Importers| match v.rows(&a, Sort::default(), 0..v.len()) {
            Rows::Modules(rows) => rows.into_iter().map(|r| r.text).collect::<Vec<_>>(),
            Rows::Changes(_) | Rows::Icicle => unreachable!(),
        };
        assert_eq!(
            texts(&v),
            [
                "urllib3 ← 2 importers, 2 yours",
                "  ▸ botocore · your code?",
                "  ▸ requests · your code?",
            ]
        );
        v.cursor_mut().selected = 1;
        assert_eq!(v.fold(Fold::Toggle, &a, 10), None);
        assert_eq!(
            texts(&v)[1..4],
            [
                "  ▾ botocore · your code?",
                "      ← boto3",
                "      ← (the program)"
            ]
        );
        // Collapsing from a link folds its importer and lands on it.
        v.cursor_mut().selected = 2;
        v.fold(Fold::Collapse, &a, 10);
        assert_eq!(v.len(), 3);
        assert!(matches!(v.selected_line(), Some(Line::Importer(_))));
        assert_eq!(v.selected(&a), g.find("botocore"));
    }
}
