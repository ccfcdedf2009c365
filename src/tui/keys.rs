//! Keys → actions, by mode. The help overlay is generated from `HELP`, so it lists every key.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Action, Mode, View};
use super::cursor::Move;

pub fn action_for(mode: Mode, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Help => match key.code {
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
                Some(Action::CloseHelp)
            }
            _ => None,
        },
        Mode::Search => match key.code {
            KeyCode::Esc => Some(Action::SearchCancel),
            KeyCode::Enter => Some(Action::SearchConfirm),
            KeyCode::Backspace => Some(Action::SearchBackspace),
            KeyCode::Up => Some(Action::SearchUp),
            KeyCode::Down => Some(Action::SearchDown),
            KeyCode::Char('p') if ctrl => Some(Action::SearchUp),
            KeyCode::Char('n') if ctrl => Some(Action::SearchDown),
            KeyCode::Char(c) if !ctrl => Some(Action::SearchChar(c)),
            _ => None,
        },
        Mode::Normal => normal(key, ctrl),
        Mode::Params => match key.code {
            KeyCode::Esc | KeyCode::Char('p') | KeyCode::Char('q') => Some(Action::CloseParams),
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Move(Move::Down)),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Move(Move::Up)),
            KeyCode::Enter | KeyCode::Char(' ') => Some(Action::EditParam),
            _ => None,
        },
        Mode::Input => match key.code {
            KeyCode::Esc => Some(Action::InputCancel),
            KeyCode::Enter => Some(Action::InputConfirm),
            KeyCode::Backspace => Some(Action::InputBackspace),
            KeyCode::Char(c) if !ctrl => Some(Action::InputChar(c)),
            _ => None,
        },
        Mode::Confirm => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm(true)),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(Action::Confirm(false)),
            _ => None,
        },
    }
}

fn normal(key: KeyEvent, ctrl: bool) -> Option<Action> {
    use Action::*;
    Some(match key.code {
        KeyCode::Char('q') => Quit,
        KeyCode::Char('j') | KeyCode::Down => Move(self::Move::Down),
        KeyCode::Char('k') | KeyCode::Up => Move(self::Move::Up),
        KeyCode::Char('f') if ctrl => Move(self::Move::PageDown),
        KeyCode::Char('b') if ctrl => Move(self::Move::PageUp),
        KeyCode::PageDown => Move(self::Move::PageDown),
        KeyCode::PageUp => Move(self::Move::PageUp),
        KeyCode::Char('g') | KeyCode::Home => Move(self::Move::Home),
        KeyCode::Char('G') | KeyCode::End => Move(self::Move::End),
        KeyCode::Char('l') | KeyCode::Right | KeyCode::Enter => Expand,
        KeyCode::Char('h') | KeyCode::Left => Collapse,
        KeyCode::Char(' ') => Toggle,
        KeyCode::Char('E') | KeyCode::Char('*') => ExpandAll,
        KeyCode::Char('C') => CollapseAll,
        KeyCode::Char('s') => CycleSort,
        KeyCode::Char('S') => ReverseSort,
        KeyCode::Char('/') => StartSearch,
        KeyCode::Char('n') => NextMatch,
        KeyCode::Char('N') => PrevMatch,
        KeyCode::Tab => NextView,
        KeyCode::BackTab => PrevView,
        KeyCode::Char(c @ '1'..='5') => ShowView(View::ALL[c as usize - '1' as usize]),
        KeyCode::Char('?') => Help,
        KeyCode::Char('L') => ToggleLazy,
        KeyCode::Char('+') | KeyCode::Char('=') => UsageStep(1),
        KeyCode::Char('-') => UsageStep(-1),
        KeyCode::Char('u') => EditUsage,
        KeyCode::Char('a') => ApplySuggestions,
        KeyCode::Char('r') => ResetPlan,
        KeyCode::Char('w') => SavePlan,
        KeyCode::Char('x') => ExportFastPath,
        KeyCode::Char('p') => OpenParams,
        _ => return None,
    })
}

/// Every key, as the help overlay and the README list them.
pub const HELP: &[(&str, &str)] = &[
    ("j k ↓ ↑", "move"),
    ("PgDn PgUp ^F ^B", "page down / up"),
    ("g G Home End", "top / bottom"),
    (
        "l → Enter",
        "expand (or step in); in other views: show in tree",
    ),
    ("h ←", "collapse, or go to the parent"),
    ("Space", "toggle"),
    ("E *", "expand everything under the selection"),
    ("C", "collapse all"),
    (
        "s / S",
        "cycle sort (cumulative, self, name, import order) / reverse",
    ),
    ("/", "fuzzy search; Enter jumps, ↑↓ choose, Esc cancels"),
    ("n N", "next / previous match"),
    (
        "Tab ⇧Tab 1-4",
        "views: tree, slowest, packages, importers of selection",
    ),
    (
        "mouse",
        "click selects, double-click toggles, wheel scrolls, header sorts",
    ),
    (
        "L",
        "what-if: defer the selected module (lazy), or make it eager again",
    ),
    ("+ -", "what-if: usage of the selected module ±5 %"),
    ("u", "what-if: type the selected module's usage %"),
    (
        "a",
        "what-if: apply the rule of thumb (defer what it labels `function`)",
    ),
    ("r", "what-if: reset (all eager, usage 100 %)"),
    (
        "p",
        "what-if: parameters (requests/day, cold starts, latency, budget…)",
    ),
    ("w", "save the plan (JSON; --plan FILE loads one)"),
    ("x", "write fast_path.py for the plan"),
    ("?", "this help"),
    ("q ^C", "quit"),
];

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
            Some(Action::ShowView(View::Packages))
        );
    }
}
