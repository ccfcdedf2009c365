//! The files the explorer writes, as effects: the event loop writes them and answers with
//! `Action::Wrote`; files this session did not write are asked about first.

use super::{App, Modal, OutputFile, Question};
use crate::tui::action::{Effect, WriteResult, Written};
use lmms_core::whatif::plan;

impl App {
    fn file(&mut self, what: Written) -> &mut OutputFile {
        match what {
            Written::Plan => &mut self.plan_file,
            Written::FastPath => &mut self.export_file,
            Written::Patch => &mut self.patch_file,
        }
    }

    /// The effect that writes `what` (none, said in the status line, when it cannot be
    /// written); files this session did not write are asked about first.
    pub(super) fn write(&mut self, what: Written, confirmed: bool) -> Vec<Effect> {
        let contents = match what {
            Written::Plan => Ok(plan::to_json(self.analysis.plan(), self.analysis.graph())),
            Written::FastPath => crate::output::fast_path::render(
                &self.analysis,
                crate::output::fast_path::Style::FastPath,
            ),
            Written::Patch => match self.patch_preview() {
                Some((text, _)) => Ok(text.to_string()),
                None => Err("no patch shown: P previews one".into()),
            },
        };
        let contents = match contents {
            Ok(contents) => contents,
            Err(why) => {
                self.status = Some(why);
                return Vec::new();
            }
        };
        let file = self.file(what).clone();
        vec![Effect::Write {
            what,
            path: file.path,
            contents,
            replace: confirmed || file.owned,
        }]
    }

    pub(super) fn wrote(&mut self, what: Written, result: WriteResult) {
        let path = self.file(what).path.clone();
        match result {
            WriteResult::Done => {
                self.status = Some(format!("wrote {}", path.display()));
                self.file(what).owned = true;
                if what == Written::Plan {
                    self.saved_plan = plan::to_json(self.analysis.plan(), self.analysis.graph());
                    self.quit |= std::mem::take(&mut self.quit_after_save);
                }
            }
            WriteResult::Exists => {
                self.modal = Modal::Confirm {
                    question: Question::Overwrite(what),
                    text: format!(
                        "{} exists and was not written here: overwrite? (y/n)",
                        path.display()
                    ),
                };
            }
            WriteResult::Failed(e) => {
                // A save asked for on the way out that failed: stay, and say why.
                self.quit_after_save = false;
                self.status = Some(e);
            }
        }
    }
}

impl App {
    /// `P`: asks the event loop to analyse your files (under `patch_root`) for the plan's
    /// patch, function style.
    pub(super) fn preview_patch(&mut self) -> Vec<Effect> {
        let python = crate::patch::recorded_python(&self.analysis);
        let style = crate::patch::PatchStyle::Function;
        match crate::patch::request(&self.analysis, style, &self.patch_root, &python) {
            Ok(request) => vec![Effect::AnalysePatch(request)],
            Err(e) => {
                self.status = Some(e.to_string());
                Vec::new()
            }
        }
    }

    /// The analysis answered: the patch shown, or why there is none.
    pub(super) fn patch_ready(&mut self, patch: Result<crate::patch::Patch, String>) {
        match patch {
            Ok(p) if !p.diff.is_empty() => {
                let style = crate::patch::PatchStyle::Function;
                let text = crate::output::patch::render(&self.analysis, style, &p);
                self.modal = Modal::Patch { text, scroll: 0 };
            }
            Ok(p) => {
                let why: Vec<String> = (p.refused.iter())
                    .map(|r| format!("{}:{}: {}", r.0, r.1, r.3))
                    .collect();
                self.status = Some(format!("no import could be moved: {}", why.join("; ")));
            }
            Err(e) => self.status = Some(e),
        }
    }

    /// Scrolls the patch preview (drawing clamps to its length).
    pub(super) fn scroll_patch(&mut self, m: crate::tui::cursor::Move) {
        let page = self.height.saturating_sub(4).max(1) as usize;
        if let Modal::Patch { scroll, text } = &mut self.modal {
            let most = text.lines().count().saturating_sub(1);
            *scroll = match m {
                crate::tui::cursor::Move::Down => *scroll + 1,
                crate::tui::cursor::Move::Up => scroll.saturating_sub(1),
                crate::tui::cursor::Move::PageDown => *scroll + page,
                crate::tui::cursor::Move::PageUp => scroll.saturating_sub(page),
                crate::tui::cursor::Move::Home => 0,
                crate::tui::cursor::Move::End => most,
                crate::tui::cursor::Move::Scroll(n) => scroll.saturating_add_signed(n),
            }
            .min(most);
        }
    }
}
