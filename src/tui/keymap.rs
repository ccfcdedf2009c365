//! Every key, in one table: key handling, the help screen and the footer's key bar are all
//! generated from `bindings()`, so they cannot disagree. Adding a key: one entry here.

use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::app::Mode;
use super::cursor::Move;
use super::views::ViewId;
use lmms_core::whatif::Decision;

/// A key as bindings name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    fn matches(self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Char(c) => !ctrl && key.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && key.code == KeyCode::Char(c),
            Key::Code(code) => key.code == code,
        }
    }

    /// How the help and the key bar write it.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("^{}", c.to_ascii_uppercase()),
            Key::Code(code) => match code {
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "⇧Tab".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Backspace => "Backspace".into(),
                other => format!("{other:?}"),
            },
        }
    }
}

/// One line of help: the keys that do one thing in one mode.
pub struct Binding {
    pub mode: Mode,
    pub keys: Vec<(Key, Action)>,
    pub help: String,
    /// A word for the footer's key bar (normal mode), if the key belongs there.
    pub bar: Option<&'static str>,
}

fn bind(mode: Mode, keys: &[(Key, Action)], help: &str, bar: Option<&'static str>) -> Binding {
    Binding {
        mode,
        keys: keys.to_vec(),
        help: help.to_string(),
        bar,
    }
}

/// Every binding, in the order the help lists them.
pub fn bindings() -> &'static [Binding] {
    static TABLE: OnceLock<Vec<Binding>> = OnceLock::new();
    TABLE.get_or_init(table)
}

fn table() -> Vec<Binding> {
    use Action::*;
    use Key::{Char, Code, Ctrl};
    use Mode::{Help as HelpMode, Input, Normal, Params, Search};
    let views: Vec<(Key, Action)> = ViewId::ALL
        .iter()
        .enumerate()
        .map(|(i, &v)| (Char(char::from(b'1' + i as u8)), ShowView(v)))
        .collect();
    let mut view_keys = vec![
        (Code(KeyCode::Tab), NextView),
        (Code(KeyCode::BackTab), PrevView),
    ];
    view_keys.extend(views);
    let view_names: Vec<String> = ViewId::ALL
        .iter()
        .map(|v| v.title().to_lowercase())
        .collect();
    let views = bind(
        Normal,
        &view_keys,
        &format!("views: {}", view_names.join(", ")),
        Some("view"),
    );
    vec![
        bind(
            Normal,
            &[
                (Char('j'), Move(self::Move::Down)),
                (Char('k'), Move(self::Move::Up)),
                (Code(KeyCode::Down), Move(self::Move::Down)),
                (Code(KeyCode::Up), Move(self::Move::Up)),
            ],
            "move",
            None,
        ),
        bind(
            Normal,
            &[
                (Code(KeyCode::PageDown), Move(self::Move::PageDown)),
                (Code(KeyCode::PageUp), Move(self::Move::PageUp)),
                (Ctrl('f'), Move(self::Move::PageDown)),
                (Ctrl('b'), Move(self::Move::PageUp)),
            ],
            "page down / up",
            None,
        ),
        bind(
            Normal,
            &[
                (Char('g'), Move(self::Move::Home)),
                (Char('G'), Move(self::Move::End)),
                (Code(KeyCode::Home), Move(self::Move::Home)),
                (Code(KeyCode::End), Move(self::Move::End)),
            ],
            "top / bottom",
            None,
        ),
        bind(
            Normal,
            &[
                (Char('l'), Expand),
                (Code(KeyCode::Right), Expand),
                (Code(KeyCode::Enter), Expand),
            ],
            "expand (or step in); in the icicle: zoom in; in other views: show in tree",
            None,
        ),
        bind(
            Normal,
            &[(Char('h'), Collapse), (Code(KeyCode::Left), Collapse)],
            "collapse, or go to the parent; in the icicle: zoom out",
            Some("fold"),
        ),
        bind(Normal, &[(Char(' '), Toggle)], "toggle", None),
        bind(
            Normal,
            &[(Char('E'), ExpandAll), (Char('*'), ExpandAll)],
            "expand everything under the selection",
            None,
        ),
        bind(Normal, &[(Char('C'), CollapseAll)], "collapse all", None),
        bind(
            Normal,
            &[(Char('s'), CycleSort), (Char('S'), ReverseSort)],
            &format!(
                "cycle sort ({}) / reverse",
                lmms_core::model::SortKey::ALL.map(|k| k.label()).join(", ")
            ),
            Some("sort"),
        ),
        bind(
            Normal,
            &[(Char('/'), StartSearch)],
            "fuzzy search; Enter jumps, ↑↓ choose, Esc cancels",
            Some("search"),
        ),
        bind(
            Normal,
            &[(Char('n'), NextMatch), (Char('N'), PrevMatch)],
            "next / previous match",
            None,
        ),
        views,
        bind(
            Normal,
            &[(Char('L'), ToggleLazy(Decision::Lazy))],
            "what-if: defer it in your code (your imports of it lazy; in Packages, of every module \
             in the package), or eager again",
            Some("defer"),
        ),
        bind(
            Normal,
            &[(Char('c'), CycleClass)],
            "Slowest view: only your code, third-party, stdlib, start-up… (cycles; then all)",
            None,
        ),
        bind(
            Normal,
            &[(Char('b'), BeforeAfter)],
            "Icicle view: as traced, or with the plan applied (what it leaves out gone)",
            None,
        ),
        bind(
            Normal,
            &[(Char('e'), ToggleLazy(Decision::LazyEverywhere))],
            "what-if: defer every import of it, packages' too (upper bound); in Packages, of the \
             whole package",
            None,
        ),
        bind(
            Normal,
            &[
                (Char('+'), UsageStep(1)),
                (Char('='), UsageStep(1)),
                (Char('-'), UsageStep(-1)),
            ],
            "what-if: usage of the selected module ±5 %",
            None,
        ),
        bind(
            Normal,
            &[(Char('u'), EditUsage)],
            "what-if: type the selected module's usage % (nothing typed: measured again, or 100)",
            Some("usage"),
        ),
        bind(
            Normal,
            &[(Char('a'), ApplySuggestions)],
            "what-if: apply the rule of thumb (defer what it labels `function`)",
            None,
        ),
        bind(
            Normal,
            &[(Char('r'), ResetPlan)],
            "what-if: reset (all eager, no usage set: measured, else 100 %)",
            None,
        ),
        bind(
            Normal,
            &[(Char('p'), OpenParams)],
            "what-if: parameters (requests/day, cold starts, latency, budget…)",
            Some("params"),
        ),
        bind(
            Normal,
            &[(Char('w'), SavePlan)],
            "save the plan (JSON; --plan FILE loads one)",
            Some("save"),
        ),
        bind(
            Normal,
            &[(Char('x'), ExportFastPath)],
            "write fast_path.py for the plan",
            None,
        ),
        bind(
            Normal,
            &[(Char('P'), PreviewPatch)],
            "preview the plan as a patch of your files (imports moved into the functions that \
             use them); w there writes it",
            None,
        ),
        bind(
            Normal,
            &[(Char('?'), Help)],
            "this help: every key, then what each what-if line means",
            Some("help"),
        ),
        bind(
            Normal,
            &[(Char('q'), Quit), (Ctrl('c'), Quit)],
            "quit (with unsaved plan changes it asks: y save, n discard, Esc stay)",
            Some("quit"),
        ),
        bind(
            HelpMode,
            &[
                (Code(KeyCode::Esc), CloseHelp),
                (Char('?'), CloseHelp),
                (Char('q'), CloseHelp),
                (Code(KeyCode::Enter), CloseHelp),
            ],
            "closes this help",
            None,
        ),
        bind(HelpMode, &scrolling(), "scrolls this help", None),
        bind(
            Search,
            &[
                (Code(KeyCode::Enter), SearchConfirm),
                (Code(KeyCode::Esc), SearchCancel),
                (Code(KeyCode::Backspace), SearchBackspace),
                (Code(KeyCode::Up), SearchUp),
                (Code(KeyCode::Down), SearchDown),
                (Ctrl('p'), SearchUp),
                (Ctrl('n'), SearchDown),
            ],
            "search: jump, cancel, erase, choose",
            None,
        ),
        bind(
            Params,
            &[
                (Char('j'), Move(self::Move::Down)),
                (Char('k'), Move(self::Move::Up)),
                (Code(KeyCode::Down), Move(self::Move::Down)),
                (Code(KeyCode::Up), Move(self::Move::Up)),
                (Code(KeyCode::Enter), EditParam),
                (Char(' '), EditParam),
                (Code(KeyCode::Esc), CloseParams),
                (Char('p'), CloseParams),
                (Char('q'), CloseParams),
            ],
            "parameters: choose, edit (Space toggles), close",
            None,
        ),
        bind(
            Input,
            &[
                (Code(KeyCode::Enter), InputConfirm),
                (Code(KeyCode::Esc), InputCancel),
                (Code(KeyCode::Backspace), InputBackspace),
            ],
            "typing a value: set, cancel, erase",
            None,
        ),
        bind(
            Mode::Patch,
            &[
                (Char('w'), SavePlan),
                (Code(KeyCode::Esc), ClosePatch),
                (Char('q'), ClosePatch),
                (Char('P'), ClosePatch),
            ],
            "patch preview: w writes it (to lmms-defer.patch), Esc q P close",
            None,
        ),
        bind(Mode::Patch, &scrolling(), "scrolls the patch", None),
        bind(
            Mode::Confirm,
            &[
                (Char('y'), Action::Confirm(true)),
                (Char('Y'), Action::Confirm(true)),
                (Char('n'), Action::Confirm(false)),
                (Char('N'), Action::Confirm(false)),
                (Code(KeyCode::Esc), Action::ConfirmCancel),
            ],
            "answer the question: yes / no / leave it",
            None,
        ),
    ]
}

/// The keys that scroll a text overlay (the help, the patch preview).
fn scrolling() -> Vec<(Key, Action)> {
    use Key::{Char, Code};
    vec![
        (Char('j'), Action::Move(Move::Down)),
        (Char('k'), Action::Move(Move::Up)),
        (Code(KeyCode::Down), Action::Move(Move::Down)),
        (Code(KeyCode::Up), Action::Move(Move::Up)),
        (Code(KeyCode::PageDown), Action::Move(Move::PageDown)),
        (Code(KeyCode::PageUp), Action::Move(Move::PageUp)),
        (Char(' '), Action::Move(Move::PageDown)),
    ]
}

/// The action a key asks for in a mode. ^C quits from anywhere; in the text modes, any other
/// printable key is typed.
pub fn action_for(mode: Mode, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if Key::Ctrl('c').matches(&key) {
        return Some(Action::Quit);
    }
    let bound = bindings()
        .iter()
        .filter(|b| b.mode == mode)
        .flat_map(|b| &b.keys)
        .find(|(k, _)| k.matches(&key))
        .map(|(_, a)| a.clone());
    if bound.is_some() {
        return bound;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match (mode, key.code) {
        (Mode::Search, KeyCode::Char(c)) if !ctrl => Some(Action::SearchChar(c)),
        (Mode::Input, KeyCode::Char(c)) if !ctrl => Some(Action::InputChar(c)),
        _ => None,
    }
}

/// The help screen's lines: (keys, what they do), normal mode first.
pub fn help() -> Vec<(String, &'static str)> {
    bindings()
        .iter()
        .map(|b| {
            let mut labels: Vec<String> = Vec::new();
            for (key, _) in &b.keys {
                let label = key.label();
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
            (compact_digits(labels).join(" "), b.help.as_str())
        })
        .collect()
}

/// `1 2 3 4 5` reads better as `1-5`.
fn compact_digits(labels: Vec<String>) -> Vec<String> {
    let digits: Vec<&String> = labels
        .iter()
        .filter(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if digits.len() < 3 {
        return labels;
    }
    let range = format!("{}-{}", digits[0], digits[digits.len() - 1]);
    let mut out: Vec<String> = labels
        .iter()
        .filter(|l| !digits.contains(l))
        .cloned()
        .collect();
    out.push(range);
    out
}

/// The footer's key bar: (first key, word) for every binding that has a word.
pub fn bar() -> Vec<(String, &'static str)> {
    bindings()
        .iter()
        .filter_map(|b| Some((b.keys.first()?.0.label(), b.bar?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_agree() {
        for (a, b) in [
            (KeyCode::Char('j'), KeyCode::Down),
            (KeyCode::Char('k'), KeyCode::Up),
            (KeyCode::Char('l'), KeyCode::Right),
            (KeyCode::Char('h'), KeyCode::Left),
            (KeyCode::Char('g'), KeyCode::Home),
            (KeyCode::Char('G'), KeyCode::End),
        ] {
            assert_eq!(
                action_for(Mode::Normal, key(a)),
                action_for(Mode::Normal, key(b))
            );
            assert!(action_for(Mode::Normal, key(a)).is_some());
        }
    }

    #[test]
    fn modes_read_keys_differently() {
        assert_eq!(
            action_for(Mode::Search, key(KeyCode::Char('q'))),
            Some(Action::SearchChar('q'))
        );
        assert_eq!(
            action_for(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(Mode::Help, key(KeyCode::Char('q'))),
            Some(Action::CloseHelp)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Normal, Mode::Search, Mode::Help] {
            assert_eq!(action_for(mode, ctrl_c), Some(Action::Quit));
        }
        assert_eq!(
            action_for(Mode::Normal, key(KeyCode::Char('3'))),
            Some(Action::ShowView(ViewId::Packages))
        );
    }

    #[test]
    fn the_help_names_every_view_and_sort() {
        let help = help();
        let views = help
            .iter()
            .find(|(_, what)| what.starts_with("views:"))
            .unwrap();
        assert_eq!(views.0, format!("Tab ⇧Tab 1-{}", ViewId::ALL.len()));
        for v in ViewId::ALL {
            assert!(views.1.contains(&v.title().to_lowercase()));
        }
        let sort = help.iter().find(|(k, _)| k == "s S").unwrap();
        for k in lmms_core::model::SortKey::ALL {
            assert!(sort.1.contains(k.label()), "{}", k.label());
        }
        // Every key bound once per mode.
        for mode in [
            Mode::Normal,
            Mode::Search,
            Mode::Params,
            Mode::Input,
            Mode::Confirm,
            Mode::Patch,
        ] {
            let keys: Vec<Key> = bindings()
                .iter()
                .filter(|b| b.mode == mode)
                .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k:?} twice in {mode:?}");
            }
        }
    }
}
