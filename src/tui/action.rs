//! What the explorer can be asked to do (actions, from keys, the mouse and effects' results)
//! and what it asks the event loop to do for it (effects: the state itself does no I/O).

use std::path::PathBuf;

use super::cursor::Move;
use super::views::ViewId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Move(Move),
    Expand,
    Collapse,
    Toggle,
    ExpandAll,
    CollapseAll,
    CycleSort,
    ReverseSort,
    StartSearch,
    SearchChar(char),
    SearchBackspace,
    SearchUp,
    SearchDown,
    SearchConfirm,
    SearchCancel,
    NextMatch,
    PrevMatch,
    NextView,
    PrevView,
    ShowView(ViewId),
    Help,
    CloseHelp,
    /// A left click at a screen cell; `at_ms` tells double clicks apart.
    Click {
        column: u16,
        row: u16,
        at_ms: u64,
    },
    Resize {
        width: u16,
        height: u16,
    },
    Quit,
    /// `L` (your imports) / `e` (every import): defer the selected module, or make it eager.
    ToggleLazy(lmms_core::whatif::Decision),
    /// `c`: the Slowest view, showing one class of module at a time.
    CycleClass,
    /// `b`: the icicle as traced, or with the plan applied.
    BeforeAfter,
    /// `+`/`-`: usage of the selected module by ±5 points.
    UsageStep(i8),
    /// `u`: type the selected module's usage.
    EditUsage,
    InputChar(char),
    InputBackspace,
    InputConfirm,
    InputCancel,
    /// `a`: decide every module by the rule of thumb.
    ApplySuggestions,
    /// `r`: all eager, no usage set.
    ResetPlan,
    /// `w`: save the plan.
    SavePlan,
    /// `x`: write fast_path.py for the plan.
    ExportFastPath,
    Confirm(bool),
    /// Leave the question unanswered: nothing written, nothing quit.
    ConfirmCancel,
    /// `p`: the parameters panel.
    OpenParams,
    CloseParams,
    /// Enter in the parameters panel: edit (or toggle) the selected one.
    EditParam,
    /// `P`: a patch of your files for the plan, previewed.
    PreviewPatch,
    ClosePatch,
    /// The event loop's answer to `Effect::AnalysePatch`: the patch, or why there is none.
    PatchReady(Result<crate::patch::Patch, String>),
    /// The event loop's answer to `Effect::Write`.
    Wrote {
        what: Written,
        result: WriteResult,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteResult {
    Done,
    /// Something is there that this session neither loaded nor wrote.
    Exists,
    Failed(String),
}

/// The files the explorer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Plan,
    FastPath,
    /// The patch shown by `P`.
    Patch,
}

/// Work for the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write `contents` to `path` atomically; unless `replace`, answer `Exists` when something is
    /// already there.
    Write {
        what: Written,
        path: PathBuf,
        contents: String,
        replace: bool,
    },
    /// Run the patch analysis (the program's interpreter reads its files).
    AnalysePatch(crate::patch::Request),
}

/// Performs an effect and says how it went, as the action to feed back.
pub fn perform(effect: Effect) -> Action {
    match effect {
        Effect::Write {
            what,
            path,
            contents,
            replace,
        } => {
            let result = if !replace && path.exists() {
                WriteResult::Exists
            } else {
                // The event loop performs this: a FIFO without a reader must not hold it.
                match crate::outfile::write_now(&path, contents.as_bytes()) {
                    Ok(()) => WriteResult::Done,
                    Err(e) => WriteResult::Failed(e.to_string()),
                }
            };
            Action::Wrote { what, result }
        }
        Effect::AnalysePatch(request) => {
            Action::PatchReady(crate::patch::run(&request).map_err(|e| e.to_string()))
        }
    }
}
