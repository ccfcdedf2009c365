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
