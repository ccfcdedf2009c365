//! What each action does to the explorer's state, and the effects it asks of the event loop.

use super::headline::Headline;
use super::{App, HELP_SCROLL_MAX, InputTarget, Modal, Mode, Question};
use crate::output::units::count;
use crate::tui::action::{Action, Effect, Written};
use crate::tui::cursor::{Cursor, Move};
use crate::tui::search::Search;
use crate::tui::views::{Fold, ViewId};
use lmms_core::model::{ModuleId, Sort};
use lmms_core::whatif::params::Value;
use lmms_core::whatif::{Decision, PARAMS, Param, Suggestion, check_deferrable, plan};

impl App {
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.act(action);
        // The icicle with the plan applied follows every edit of it.
        self.views.icicle.follow_plan(&self.analysis);
        effects
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        self.status = None;
        match action {
            Action::Quit => self.ask_before_quitting(),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                self.refresh_view();
            }
            Action::Help => {
                self.modal = Modal::Help;
                self.help_scroll = 0;
            }
            Action::Move(m) if self.mode() == Mode::Help => self.scroll_help(m),
            Action::CloseHelp => self.modal = Modal::Normal,
            Action::Move(m) if self.mode() == Mode::Params => self.move_param_cursor(m),
            Action::Move(m) if self.mode() == Mode::Patch => self.scroll_patch(m),
            Action::Move(m) => {
                // Measured here only: laying the screen out formats the what-if panel, which
                // a burst of other keys (a paste into search) should not pay for each time.
                let height = self.body_height();
                self.views.get_mut(self.view).move_cursor(m, height)
            }
            Action::Expand => self.fold(Fold::Expand),
            Action::Collapse => self.fold(Fold::Collapse),
            Action::Toggle => self.fold(Fold::Toggle),
            Action::ExpandAll => self.fold(Fold::ExpandAll),
            Action::CollapseAll => self.fold(Fold::CollapseAll),
            Action::CycleSort | Action::ReverseSort if !self.current().sorts() => {
                self.say_view_keeps_its_order()
            }
            Action::CycleSort => self.set_sort(Sort::by(self.sort.key.next())),
            Action::ReverseSort => self.set_sort(Sort {
                descending: !self.sort.descending,
                ..self.sort
            }),
            Action::StartSearch => {
                self.modal = Modal::Search;
                self.search = Search::new(self.analysis.graph());
            }
            Action::SearchChar(c) => self.search.push(self.analysis.graph(), c),
            Action::SearchBackspace => self.search.pop(self.analysis.graph()),
            Action::SearchUp => self.search.select_previous(),
            Action::SearchDown => self.search.select_next(),
            Action::SearchConfirm => self.confirm_search(),
            Action::SearchCancel => self.modal = Modal::Normal,
            Action::NextMatch | Action::PrevMatch => self.next_match(action == Action::NextMatch),
            Action::NextView | Action::PrevView => self.step_view(action),
            Action::ShowView(v) => self.show_view(v),
            Action::Click { column, row, at_ms } => self.click(column, row, at_ms),
            Action::ToggleLazy(scope) => self.toggle_lazy(scope),
            Action::CycleClass => self.cycle_class(),
            Action::BeforeAfter => self.before_after(),
            Action::UsageStep(step) => self.step_usage(step),
            Action::EditUsage => self.edit_usage(),
            Action::InputChar(c) => self.edit_input(|text| text.push(c)),
            Action::InputBackspace => self.edit_input(|text| {
                text.pop();
            }),
            Action::InputCancel => drop(self.finish_input()),
            Action::InputConfirm => self.confirm_input(),
            Action::ApplySuggestions => self.apply_suggestions(),
            Action::ResetPlan => {
                self.analysis.edit_plan(|plan| plan.reset());
                self.status = Some(
                    "plan reset: every module eager, no usage set (measured, else 100 %)".into(),
                );
            }
            Action::SavePlan if self.mode() == Mode::Patch => {
                return self.write(Written::Patch, false);
            }
            Action::SavePlan => return self.write(Written::Plan, false),
            Action::PreviewPatch => return self.preview_patch(),
            Action::PatchReady(patch) => self.patch_ready(patch),
            Action::ClosePatch => self.modal = Modal::Normal,
            Action::ExportFastPath => return self.write(Written::FastPath, false),
            Action::Confirm(yes) => return self.answer(yes),
            Action::ConfirmCancel => self.cancel_question(),
            Action::Wrote { what, result } => self.wrote(what, result),
            Action::OpenParams => self.modal = Modal::Params,
            Action::CloseParams => self.modal = Modal::Normal,
            Action::EditParam => self.edit_param(),
        }
        Vec::new()
    }

    /// The help's lines depend on the width it wraps to: drawing clamps the scroll.
    fn scroll_help(&mut self, m: Move) {
        let page = self.height.saturating_sub(4).max(1) as usize;
        // Drawing clamps to the help's real length, which depends on the width.
        let most = HELP_SCROLL_MAX;
        self.help_scroll = match m {
            Move::Down => self.help_scroll + 1,
            Move::Up => self.help_scroll.saturating_sub(1),
            Move::PageDown => self.help_scroll + page,
            Move::PageUp => self.help_scroll.saturating_sub(page),
            Move::Home => 0,
            Move::End => most,
            Move::Scroll(n) => self.help_scroll.saturating_add_signed(n),
        }
        .min(most);
    }

    /// Moves the parameters panel's selection.
    fn move_param_cursor(&mut self, m: Move) {
        let mut c = Cursor {
            selected: self.param_cursor,
            scroll: 0,
        };
        c.apply(m, PARAMS.len(), PARAMS.len());
        self.param_cursor = c.selected;
    }

    /// `s`/`S` on a view with an order of its own: said, not silently nothing.
    fn say_view_keeps_its_order(&mut self) {
        self.status = Some(format!(
            "the {} view keeps its own order (most grown first, most shrunk last); s and S sort the \
             other views",
            self.view.title()
        ))
    }

    /// Enter in search: jumps to the selected match.
    fn confirm_search(&mut self) {
        self.search.finish(self.analysis.graph());
        self.modal = Modal::Normal;
        match self.search.selected_module() {
            Some(m) => {
                self.match_index = self.search.selected;
                self.jump_to(m);
            }
            None => self.status = Some(format!("no module matches “{}”", self.search.query)),
        }
    }

    /// Tab / Shift-Tab: the next or previous view this trace has.
    fn step_view(&mut self, action: Action) {
        let views = self.available_views();
        let i = views.iter().position(|v| *v == self.view).unwrap_or(0);
        let step = if action == Action::NextView {
            1
        } else {
            views.len() - 1
        };
        self.show_view(views[(i + step) % views.len()]);
    }

    /// `c`: the Slowest view, filtered by the next module class.
    fn cycle_class(&mut self) {
        if self.view != ViewId::Slowest {
            self.show_view(ViewId::Slowest);
        }
        self.views.slowest.cycle_filter(&self.analysis);
        self.refresh_view();
    }

    /// `b`: the icicle view, as traced or with the plan applied.
    fn before_after(&mut self) {
        if self.view != ViewId::Icicle {
            self.show_view(ViewId::Icicle);
        }
        self.views.icicle.toggle_after(&self.analysis);
        let cold = crate::output::units::ms(self.analysis.projection().cold_start_us);
        self.status = Some(if self.views.icicle.after() {
            format!("icicle with the plan applied: cold start {cold} ms; b: as traced")
        } else {
            "icicle as traced; b: with the plan applied".into()
        });
    }

    /// `+`/`-`: the selected module's usage to the next multiple of 5.
    fn step_usage(&mut self, step: i8) {
        if let Some(m) = self.selected_module() {
            let before = Headline::of(self.analysis.projection());
            // From the usage shown, measured or set; steps land on multiples of 5 (42 → 45).
            let u = self.analysis.usage_pct(m);
            let next = self.analysis.edit_plan(|plan| {
                let next = if step > 0 {
                    ((u / 5.0).floor() + 1.0) * 5.0
                } else {
                    ((u / 5.0).ceil() - 1.0) * 5.0
                };
                plan.set_usage_pct(m, next);
                plan.usage_pct(m)
            });
            let what = format!(
                "{} used by {next} % of requests",
                self.analysis.graph().name(m)
            );
            self.status = Some(before.said(&what, self.analysis.projection()));
        } else {
            self.say_no_module("usage");
        }
    }

    /// `u`: types a usage for the selected module.
    fn edit_usage(&mut self) {
        if let Some(m) = self.selected_module() {
            self.modal = Modal::Input {
                target: InputTarget::Usage(m),
                text: String::new(),
            };
        } else {
            self.say_no_module("usage");
        }
    }

    /// `a`: the rule of thumb's suggestions become the plan, and what it did is said.
    fn apply_suggestions(&mut self) {
        let a = &self.analysis;
        let decisions: Vec<(ModuleId, Decision)> = a
            .graph()
            .ids()
            .map(|m| match a.suggestion(m) {
                Suggestion::Function if check_deferrable(a.graph(), m).is_ok() => {
                    (m, Decision::Lazy)
                }
                _ => (m, Decision::Eager),
            })
            .collect();
        let deferred = decisions
            .iter()
            .filter(|(_, d)| *d == Decision::Lazy)
            .count();
        // Start-up modules were left eager above, so none is refused.
        let before = Headline::of(self.analysis.projection());
        let _ = self.analysis.set_decisions(decisions);
        let t = &self.analysis.plan().thresholds;
        self.status = Some(if deferred > 0 {
            let what = format!(
                "rule of thumb applied: {} deferred",
                count(deferred, "module")
            );
            before.said(&what, self.analysis.projection())
        } else {
            // A dead key otherwise: say what the rule wants and what to set.
            let hot = self
                .analysis
                .graph()
                .ids()
                .filter(|&m| self.analysis.suggestion(m) == Suggestion::HotPath)
                .count();
            format!(
                "rule of thumb: nothing to defer (usage is 100% until set: u, +/-) — it \
                 defers modules ≥ {} ms used by ≤ {}% of requests; {hot} heavy \
                 module{} hot-path",
                lmms_core::whatif::params::number(t.module_below_ms),
                lmms_core::whatif::params::number(t.hot_path_usage_pct),
                if hot == 1 { " is" } else { "s are" },
            )
        });
    }

    /// y/n to the question asked.
    fn answer(&mut self, yes: bool) -> Vec<Effect> {
        let question = self.close_question();
        match question {
            Some(Question::Overwrite(what)) if yes => return self.write(what, true),
            Some(Question::UnsavedPlan) if yes => {
                self.quit_after_save = true;
                return self.write(Written::Plan, false);
            }
            Some(Question::UnsavedPlan) => self.quit = true,
            _ => {
                self.quit_after_save = false;
                self.status = Some("not written".into());
            }
        }

        Vec::new()
    }

    /// Esc to the question asked: nothing is written, nothing quits.
    fn cancel_question(&mut self) {
        self.quit_after_save = false;
        self.status = match self.close_question() {
            Some(Question::UnsavedPlan) => Some("not quitting".into()),
            _ => Some("not written".into()),
        };
    }

    /// Enter on a parameter: a switch flips, any other value is typed.
    fn edit_param(&mut self) {
        let index = self.param_cursor.min(PARAMS.len() - 1);
        let param: &Param = &PARAMS[index];
        match self.analysis.plan().get(param) {
            Value::Switch(on) => self
                .analysis
                .edit_plan(|plan| plan.set(param, Value::Switch(!on))),
            _ => {
                let text = self.analysis.plan().text(param);
                self.modal = Modal::Input {
                    target: InputTarget::Param(index),
                    text,
                };
            }
        }
    }

    fn next_match(&mut self, forward: bool) {
        let n = self.search.match_count();
        if n == 0 {
            self.status = Some("no search: press / to search".into());
            return;
        }
        self.match_index = if forward {
            (self.match_index + 1) % n
        } else {
            (self.match_index + n - 1) % n
        };
        let Some(m) = self.search.match_at(self.match_index) else {
            return;
        };
        self.status = Some(format!(
            "match {}/{} for “{}”",
            self.match_index + 1,
            n,
            self.search.query
        ));
        self.jump_to(m);
    }

    /// Changes the value being typed, while one is.
    fn edit_input(&mut self, edit: impl FnOnce(&mut String)) {
        if let Modal::Input { text, .. } = &mut self.modal {
            edit(text);
        }
    }

    fn confirm_input(&mut self) {
        let Some((target, text)) = self.finish_input() else {
            return;
        };
        let before = Headline::of(self.analysis.projection());
        let result = match target {
            // Nothing typed: the usage set is forgotten (measured again, or 100 %).
            InputTarget::Usage(m) if text.trim().is_empty() => {
                self.analysis.edit_plan(|plan| plan.clear_usage(m));
                let name = self.analysis.graph().name(m);
                Ok(format!(
                    "{name}: {}",
                    crate::output::usage::short(&self.analysis, m)
                ))
            }
            InputTarget::Usage(m) => plan::parse_usage(&text).map(|v| {
                self.analysis.edit_plan(|plan| plan.set_usage_pct(m, v));
                let name = self.analysis.graph().name(m);
                format!("{name} used by {v} % of requests")
            }),
            // Parsed (and bounds-checked) before the plan changes, so a bad value changes nothing.
            InputTarget::Param(i) => PARAMS[i].parse(&text).map(|v| {
                self.analysis.edit_plan(|plan| plan.set(&PARAMS[i], v));
                format!("{} set to {}", PARAMS[i].key, text.trim())
            }),
        };
        self.status = Some(match result {
            Ok(what) => before.said(&what, self.analysis.projection()),
            Err(e) => e,
        });
    }

    /// Leaves typing for where it began (the parameters panel, or the view); what was typed.
    fn finish_input(&mut self) -> Option<(InputTarget, String)> {
        let Modal::Input { target, text } = std::mem::replace(&mut self.modal, Modal::Normal)
        else {
            return None;
        };
        if let InputTarget::Param(_) = target {
            self.modal = Modal::Params;
        }
        Some((target, text))
    }

    /// Leaves a question for the view; which question it was.
    fn close_question(&mut self) -> Option<Question> {
        match std::mem::replace(&mut self.modal, Modal::Normal) {
            Modal::Confirm { question, .. } => Some(question),
            _ => None,
        }
    }
}
