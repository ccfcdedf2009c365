//! The explorer: a full-screen terminal UI over one `Analysis`.
//!
//! The state (`app`, `views/`, `search`, `cursor`, `layout`) has no terminal types and no file
//! I/O; `keymap` maps keys to actions; `render/` draws the state; `terminal` owns setup and
//! teardown; `run` is the event loop, which also performs the state's effects.

pub mod action;
pub mod app;
pub mod cursor;
pub mod keymap;
pub mod layout;
pub mod render;
pub mod search;
pub mod terminal;
pub mod views;

use std::time::{Duration, Instant};

use crossterm::event::{self, Event, MouseButton, MouseEventKind};

use lmms_core::error::{Error, Result};

use action::{Action, Effect};
use app::App;
use cursor::Move;

/// A search step never holds input longer than this.
const SEARCH_SLICE: Duration = Duration::from_millis(8);

/// Feeds an action to the app and performs what it asks for, feeding back the outcomes.
pub fn dispatch(app: &mut App, action: Action) {
    let mut pending: Vec<Effect> = app.update(action);
    while let Some(effect) = pending.pop() {
        pending.extend(app.update(action::perform(effect)));
    }
}

/// Runs the explorer on a prepared app until the user quits.
pub fn run(mut app: App) -> Result<()> {
    terminal::require_terminal()?;
    let mut session = terminal::Session::start()?;
    let size = session.terminal.size().map_err(terminal_error)?;
    dispatch(
        &mut app,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let started = Instant::now();
    // Drawn only after something changed: an idle explorer writes nothing to the terminal.
    let mut changed = true;
    loop {
        if terminal::take_resumed() {
            // The screen was given back while stopped: draw all of it, not a difference.
            session.terminal.clear().map_err(terminal_error)?;
            changed = true;
        }
        if changed {
            session
                .terminal
                .draw(|frame| render::render(&app, frame))
                .map_err(terminal_error)?;
            changed = false;
        }
        if app.quit() {
            break;
        }
        // While a search runs, poll without waiting and give it a slice between events.
        let wait = if app.search_pending() {
            Duration::ZERO
        } else {
            Duration::from_secs(60)
        };
        if event::poll(wait).map_err(terminal_error)? {
            changed |= drain_events(&mut app, started)?;
        }
        if app.search_pending() {
            app.step_search(SEARCH_SLICE);
            changed = true;
        }
    }
    drop(session);
    Ok(())
}

/// Reads and applies what is queued, so a burst of keys costs one redraw. Within a burst (a
/// paste arrives a few bytes at a time) it waits for more up to a frame's time before the
/// screen is drawn: a megabyte pasted is some sixty draws a second, not one a read.
/// Whether anything changed.
fn drain_events(app: &mut App, started: Instant) -> Result<bool> {
    let frame_end = Instant::now() + FRAME;
    let mut changed = false;
    let mut events = 0u32;
    loop {
        let ev = event::read().map_err(terminal_error)?;
        events += 1;
        if let Some(action) = action_for_event(app, ev, started) {
            dispatch(app, action);
            changed = true;
        }
        if app.quit() {
            return Ok(changed);
        }
        // Past the frame's end the screen is drawn, even mid-burst. (A zero timeout would
        // only look at crossterm's own queue, not at the terminal, so it never waits zero.)
        let left = frame_end.saturating_duration_since(Instant::now());
        let wait = if events > 1 { left } else { left.min(GAP) };
        if left.is_zero() || !event::poll(wait).map_err(terminal_error)? {
            return Ok(changed);
        }
    }
}

fn terminal_error(e: std::io::Error) -> Error {
    Error::new(format!("terminal error: {e}"))
}

/// The least time between two draws while input keeps coming.
const FRAME: Duration = Duration::from_millis(16);
/// How long a single key waits for a second one before the screen is drawn.
const GAP: Duration = Duration::from_millis(1);

fn action_for_event(app: &App, ev: Event, started: Instant) -> Option<Action> {
    match ev {
        Event::Key(key) => keymap::action_for(app.mode(), key),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
                at_ms: started.elapsed().as_millis() as u64,
            }),
            MouseEventKind::ScrollDown => Some(Action::Move(Move::Scroll(3))),
            MouseEventKind::ScrollUp => Some(Action::Move(Move::Scroll(-3))),
            _ => None,
        },
        _ => None,
    }
}
