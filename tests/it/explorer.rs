//! Journeys through the explorer: keys in, rendered TestBackend buffer out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use lmms_core::model::ImportGraph;
use lmms_core::trace as graph;
use lmms_core::whatif::{Analysis, Decision};
use lmms_tui::output::units::ms;
use lmms_tui::tui::action::Action;
use lmms_tui::tui::app::{App, DEFAULT_PLAN, Mode, OutputFile};
use lmms_tui::tui::keymap;
use lmms_tui::tui::render::render;
use lmms_tui::tui::views::ViewId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

fn lambda() -> ImportGraph {
    // Relative (tests run in the package root), so snapshots hold the same path everywhere.
    graph::load(&["assets/lambda-handler-5runs.txt"]).unwrap()
}

struct Screen {
    app: App,
    terminal: Terminal<TestBackend>,
}

impl Screen {
    fn new(width: u16, height: u16) -> Screen {
        Screen::with(Analysis::of(lambda()), width, height)
    }

    fn with(analysis: Analysis, width: u16, height: u16) -> Screen {
        Screen {
            app: App::new(
                analysis,
                OutputFile {
                    path: DEFAULT_PLAN.into(),
                    owned: false,
                },
                width,
                height,
            ),
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
        }
    }

    fn keys(&mut self, keys: &[KeyCode]) -> &mut Self {
        for &code in keys {
            let key = KeyEvent::new(code, KeyModifiers::NONE);
            if let Some(action) = keymap::action_for(self.app.mode(), key) {
                lmms_tui::tui::dispatch(&mut self.app, action);
            }
            if self.app.search_pending() {
                self.app.step_search(std::time::Duration::from_secs(10));
            }
        }
        self
    }

    fn typed(&mut self, text: &str) -> &mut Self {
        let codes: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
        self.keys(&codes)
    }

    fn action(&mut self, action: Action) -> &mut Self {
        lmms_tui::tui::dispatch(&mut self.app, action);
        self
    }

    fn resize(&mut self, width: u16, height: u16) -> &mut Self {
        self.terminal.backend_mut().resize(width, height);
        self.action(Action::Resize { width, height })
    }

    fn draw(&mut self) -> &Buffer {
        let app = &self.app;
        self.terminal.draw(|f| render(app, f)).unwrap();
        self.terminal.backend().buffer()
    }

    fn lines(&mut self) -> Vec<String> {
        let buffer = self.draw().clone();
        let area = buffer.area;
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    fn text(&mut self) -> String {
        self.lines().join("\n")
    }

    /// The screen line whose every cell is drawn reversed: the selection.
    fn selected_line(&mut self) -> Option<String> {
        let buffer = self.draw().clone();
        let area = buffer.area;
        (0..area.height)
            .find(|&y| {
                (0..area.width).all(|x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
            })
            .map(|y| {
                (0..area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
    }
}

fn row_of<'a>(lines: &'a [String], name: &str) -> Option<&'a String> {
    lines
        .iter()
        .find(|l| l.split_whitespace().any(|w| w == name))
}

#[test]
fn first_screen_shows_where_the_time_goes() {
    let mut s = Screen::new(120, 40);
    let g = lambda();
    let lines = s.lines();
    for name in ["pandas", "boto3", "requests"] {
        let m = g.module(g.find(name).unwrap());
        let row = row_of(&lines, name).unwrap_or_else(|| panic!("{name} on the first screen"));
        assert!(row.contains(&ms(m.cumulative_us)), "{row}");
        assert!(row.contains(&ms(m.self_us)), "{row}");
    }
    let text = lines.join("\n");
    assert!(
        text.contains("5 runs │ 869 modules │ total 286.8 ms"),
        "{text}"
    );
    assert!(text.contains("edges: first-import tree only"));
    assert!(text.contains("cumul ms ▼"));
    assert!(text.contains("(interpreter start-up)"));
    // pandas sits above boto3: heaviest first.
    let pos = |n| {
        lines
            .iter()
            .position(|l| l.split_whitespace().any(|w| w == n))
            .unwrap()
    };
    assert!(pos("pandas") < pos("boto3"));
    // The selection is visible without colour: reverse video.
    assert!(s.selected_line().unwrap().contains("handler"));
}

/// Every screen at 80×24, 100×30, 160×45 and 200×60, so layout changes show in review: the
/// tree with the what-if panel, the help, each view (importers of boto3) and the parameters.
#[test]
fn screens_at_every_size_snapshot() {
    let screens: [(&str, &[KeyCode]); 7] = [
        ("tree", &[]),
        ("icicle", &[KeyCode::Char('6')]),
        ("help", &[KeyCode::Char('?')]),
        ("slowest", &[KeyCode::Char('2')]),
        ("packages", &[KeyCode::Char('3')]),
        (
            "importers",
            &[KeyCode::Down, KeyCode::Down, KeyCode::Char('4')],
        ),
        ("params", &[KeyCode::Char('p')]),
    ];
    for (w, h) in [(80, 24), (100, 30), (160, 45), (200, 60)] {
        for (name, keys) in screens {
            let mut s = Screen::new(w, h);
            s.keys(keys);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), s.text());
        }
    }
}

/// The help fits any screen: taller than it, it scrolls, and says so.
#[test]
fn the_help_scrolls_on_a_small_screen() {
    let mut s = Screen::new(80, 24);
    s.keys(&[KeyCode::Char('?')]);
    let first = s.text();
    assert!(first.contains("j k PgDn PgUp scroll"), "{first}");
    assert!(!first.contains("answer the question"), "{first}");
    let mut pages = String::new();
    for _ in 0..3 {
        s.keys(&[KeyCode::PageDown]);
        pages.push_str(&s.text());
    }
    assert!(pages.contains("answer the question"), "{pages}");
    assert!(pages.contains("quit"), "{pages}");
    // The end: the last what-if line's meaning.
    s.keys(&[KeyCode::End]);
    let last = s.text();
    assert!(last.contains("note: a caveat"), "{last}");
}

#[test]
fn search_lands_on_urllib3_with_its_chain() {
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Char('/')]).typed("urllib3");
    assert_eq!(s.app.mode(), Mode::Search);
    let text = s.text();
    assert!(text.contains("/ urllib3"), "{text}");
    assert!(text.contains("matches"));
    s.keys(&[KeyCode::Enter]);
    assert_eq!(s.app.mode(), Mode::Normal);
    let text = s.text();
    assert!(
        text.contains("chain: handler › boto3 › boto3.compat › s3transfer.manager › s3transfer › botocore.compat › urllib3"),
        "{text}"
    );
    assert!(s.selected_line().unwrap().contains("urllib3"));
    // n goes to the next match, N back.
    s.keys(&[KeyCode::Char('n')]);
    let next = s.selected_line().unwrap();
    assert!(next.contains("urllib3."), "{next}");
    s.keys(&[KeyCode::Char('N')]);
    assert!(row_of(&[s.selected_line().unwrap()], "urllib3").is_some());
}

#[test]
fn search_highlights_matched_characters_and_esc_cancels() {
    let mut s = Screen::new(100, 30);
    s.keys(&[KeyCode::Char('/')]).typed("s3tm");
    let buffer = s.draw().clone();
    // The first result, s3transfer.manager, has s, 3, t and m highlighted.
    let row = (0..buffer.area.height)
        .find(|&y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .contains("s3transfer.manager")
        })
        .unwrap();
    let highlighted: String = (0..buffer.area.width)
        .filter(|&x| buffer[(x, row)].modifier.contains(Modifier::UNDERLINED))
        .map(|x| buffer[(x, row)].symbol().to_string())
        .collect();
    assert_eq!(highlighted.len(), 4, "{highlighted}");
    s.keys(&[KeyCode::Esc]);
    assert_eq!(s.app.mode(), Mode::Normal);
    assert!(!s.text().contains("/ s3tm"));
}

#[test]
fn search_list_scrolls_with_the_selection() {
    let mut s = Screen::new(100, 30);
    s.keys(&[KeyCode::Char('/')]).typed("pandas");
    let many = s.app.search().match_count();
    assert!(many > 60, "{many}");
    // Past the ~17 rows the list shows: it scrolls, and the highlight stays on the selection.
    for picked in [30, 55] {
        while s.app.search().selected < picked {
            s.keys(&[KeyCode::Down]);
        }
        let g = s.app.analysis().graph();
        let want = g.name(s.app.search().match_at(picked).unwrap()).to_string();
        let buffer = s.draw().clone();
        let reversed: Vec<String> = (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .filter(|&x| buffer[(x, y)].modifier.contains(Modifier::REVERSED))
                    .map(|x| buffer[(x, y)].symbol())
                    .collect()
            })
            .collect();
        assert!(
            reversed
                .iter()
                .any(|line| line.split_whitespace().next() == Some(want.as_str())),
            "{want} highlighted: {reversed:?}"
        );
    }
}

#[test]
fn expand_collapse_and_sort_keys() {
    let mut s = Screen::new(120, 40);
    let before = s.app.views().tree.rows().len();
    s.keys(&[KeyCode::Char('j'), KeyCode::Char('l')]); // open pandas
    assert!(s.app.views().tree.rows().len() > before);
    s.keys(&[KeyCode::Char('h')]);
    assert_eq!(s.app.views().tree.rows().len(), before);
    s.keys(&[KeyCode::Char('E')]);
    let pandas_modules = s.app.views().tree.rows().len() - before;
    assert!(pandas_modules > 100, "{pandas_modules}");
    s.keys(&[KeyCode::Char('C')]);
    assert!(s.app.views().tree.rows().len() < before);
    assert!(s.selected_line().unwrap().contains("handler"));
    s.keys(&[KeyCode::Char('s')]);
    assert!(s.text().contains("self ms ▼"));
    s.keys(&[KeyCode::Char('S')]);
    assert!(s.text().contains("self ms ▲"));
    s.keys(&[KeyCode::Char('s')]);
    assert!(s.text().contains("retained ▼"));
    // Retained: handler's children by what deferring each alone saves.
    s.keys(&[KeyCode::Char('l')]);
    let g = lambda();
    let children: Vec<String> = s
        .app
        .views()
        .tree
        .rows()
        .iter()
        .filter(|r| r.depth == 1)
        .filter_map(|r| match r.node {
            lmms_tui::tui::views::tree::Node::Module(m) => Some(g.name(m).to_string()),
            _ => None,
        })
        .collect();
    let retained: Vec<u64> = children
        .iter()
        .map(|n| s.app.analysis().retained_us(g.find(n).unwrap()))
        .collect();
    assert!(
        retained.windows(2).all(|w| w[0] >= w[1]),
        "{children:?} {retained:?}"
    );
    assert_eq!(&children[..2], ["pandas", "boto3"]);
    s.keys(&[KeyCode::Char('C')]);
    s.keys(&[KeyCode::Char('s')]);
    assert!(s.text().contains("module ▲"));
    s.keys(&[KeyCode::Char('s')]);
    assert!(s.text().contains("(import order ▲)"));
    s.keys(&[KeyCode::Char('G')]);
    assert_eq!(
        s.app.views().tree.cursor.selected,
        s.app.views().tree.rows().len() - 1
    );
    s.keys(&[KeyCode::Char('g')]);
    assert_eq!(s.app.views().tree.cursor.selected, 0);
}

#[test]
fn views_flat_packages_and_importers() {
    let mut s = Screen::new(120, 40);
    let g = lambda();
    s.keys(&[KeyCode::Tab]);
    assert_eq!(s.app.view(), ViewId::Slowest);
    let lines = s.lines();
    let body: Vec<&String> = lines[3..8].iter().collect();
    assert!(
        body[0].contains("handler") && body[1].contains("pandas"),
        "{body:?}"
    );
    s.keys(&[KeyCode::Char('3')]);
    assert_eq!(s.app.view(), ViewId::Packages);
    // By cumulative: the package's own module's (handler brings everything in).
    assert_eq!(s.app.views().packages.list[0].name, "handler");
    // `s` sorts by self: the packages' Σ self.
    s.keys(&[KeyCode::Char('s')]);
    let top = &s.app.views().packages.list[0];
    assert_eq!(top.name, "pandas");
    let pandas_self: u64 = g
        .ids()
        .filter(|&id| g.name(id) == "pandas" || g.name(id).starts_with("pandas."))
        .map(|id| g.module(id).self_us)
        .sum();
    assert_eq!(top.self_us, pandas_self);
    assert!(s.text().contains("self Σ ms"));
    // Importers of urllib3: search, then view 4.
    s.keys(&[KeyCode::Char('/')])
        .typed("urllib3")
        .keys(&[KeyCode::Enter, KeyCode::Char('4')]);
    assert_eq!(s.app.view(), ViewId::Importers);
    // One row per importer from outside urllib3, folded; the first unfolds into its shortest
    // chain from the program, which is a real chain of the trace's edges.
    let g = s.app.analysis().graph().clone();
    let urllib3 = g.find("urllib3").unwrap();
    let why = g.why(urllib3);
    let text = s.text();
    assert!(text.contains("urllib3 ← "), "{text}");
    assert!(text.contains("▸ botocore.compat"), "{text}");
    // A text trace knows only first importers, and says so in the second row.
    assert!(text.contains("first-import tree only"), "{text}");
    s.keys(&[KeyCode::Down, KeyCode::Down]);
    let importer = s.app.selected_module().unwrap();
    let reason = why
        .importers
        .iter()
        .find(|r| r.importer == Some(importer))
        .unwrap();
    let chain = reason.chain.clone().unwrap();
    s.keys(&[KeyCode::Enter]);
    let text = s.text();
    for &link in chain.iter().rev().skip(1) {
        assert!(text.contains(&format!("← {}", g.name(link))), "{text}");
    }
    assert!(text.contains("← (the program)"), "{text}");
    for pair in chain.windows(2) {
        assert!(g.imports(pair[0]).contains(&pair[1]), "{pair:?}");
    }
    // Folding from a link lands back on its importer; Enter on a link shows it in the tree.
    s.keys(&[KeyCode::Down, KeyCode::Left]);
    assert_eq!(s.app.selected_module(), Some(importer));
    assert!(s.text().contains("▸ "), "folded again");
    s.keys(&[KeyCode::Enter, KeyCode::Down, KeyCode::Enter]);
    assert_eq!(s.app.view(), ViewId::Tree);
    let link = chain[chain.len() - 2];
    assert!(s.selected_line().unwrap().contains(g.name(link)));
}

#[test]
fn help_lists_every_key() {
    // Wide enough that no description wraps.
    let mut s = Screen::new(200, 60);
    s.keys(&[KeyCode::Char('?')]);
    let text = s.text();
    for (key, what) in keymap::help() {
        assert!(text.contains(&key), "{key}");
        assert!(text.contains(what), "{what}");
    }
    s.keys(&[KeyCode::Char('q')]);
    assert_eq!(s.app.mode(), Mode::Normal);
    assert!(!s.app.quit());
    s.keys(&[KeyCode::Char('q')]);
    assert!(s.app.quit());
}

#[test]
fn mouse_clicks_select_toggle_and_sort() {
    let mut s = Screen::new(120, 40);
    let lines = s.lines();
    let boto3_row = lines.iter().position(|l| l.contains("▸ boto3")).unwrap() as u16;
    s.action(Action::Click {
        column: 5,
        row: boto3_row,
        at_ms: 1000,
    });
    assert!(s.selected_line().unwrap().contains("boto3"));
    let before = s.app.views().tree.rows().len();
    s.action(Action::Click {
        column: 5,
        row: boto3_row,
        at_ms: 1200,
    });
    assert!(
        s.app.views().tree.rows().len() > before,
        "double click opens"
    );
    s.action(Action::Click {
        column: 5,
        row: boto3_row,
        at_ms: 3000,
    });
    assert!(
        s.app.views().tree.rows().len() > before,
        "a slow second click only selects"
    );
    // Header: the self column sorts by self, a second click reverses.
    let header = &s.lines()[2];
    let x = header.find("self ms").unwrap() as u16;
    s.action(Action::Click {
        column: x + 2,
        row: 2,
        at_ms: 5000,
    });
    assert!(s.text().contains("self ms ▼"));
    s.action(Action::Click {
        column: x + 2,
        row: 2,
        at_ms: 6000,
    });
    assert!(s.text().contains("self ms ▲"));
    // The wheel scrolls.
    s.keys(&[KeyCode::Char('E')]);
    s.action(Action::Move(lmms_tui::tui::cursor::Move::Scroll(3)));
    assert_eq!(s.app.views().tree.cursor.scroll, 3);
}

#[test]
fn any_size_renders_without_panic() {
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Char('E')]);
    for (w, h) in [
        (1, 1),
        (2, 1),
        (10, 4),
        (39, 11),
        (40, 12),
        (41, 13),
        (60, 20),
        (300, 100),
        (120, 40),
    ] {
        s.resize(w, h);
        let text = s.text();
        if w < 40 || h < 12 {
            assert!(text.contains("too") || w * h < 20, "{w}×{h}: {text}");
        } else {
            // The header's figures come first: at 40 columns they are what it keeps.
            assert!(text.contains("5 runs"), "{w}×{h}: {text}");
            assert!(
                s.selected_line().is_some(),
                "{w}×{h}: selection visible\n{text}"
            );
        }
        for mode_keys in [
            &[KeyCode::Char('?')][..],
            &[KeyCode::Esc, KeyCode::Char('/'), KeyCode::Char('u')],
            &[KeyCode::Esc],
        ] {
            s.keys(mode_keys);
            s.draw();
        }
    }
}

fn press(s: &mut Screen, text: &str) {
    s.typed(text);
}

#[test]
fn deferring_pandas_moves_the_projection_at_once_and_agrees_with_report() {
    let mut s = Screen::new(130, 45);
    let g = lambda();
    let before = s.text();
    assert!(
        before.contains("286.8 ms traced → 286.8 ms with this plan"),
        "{before}"
    );
    // Select pandas, set its usage to 5 %, defer it.
    s.keys(&[KeyCode::Down]);
    assert!(s.selected_line().unwrap().contains("pandas"));
    s.keys(&[KeyCode::Char('u')]);
    assert_eq!(s.app.mode(), Mode::Input);
    press(&mut s, "5");
    s.keys(&[KeyCode::Enter, KeyCode::Char('L')]);
    let text = s.text();

    // The same plan through the model directly…
    let mut plan = lmms_core::whatif::Plan::new(&g);
    let pandas = g.find("pandas").unwrap();
    plan.set_decision(&g, pandas, lmms_core::whatif::Decision::Lazy)
        .unwrap();
    plan.set_usage_pct(pandas, 5.0);
    let p = lmms_core::whatif::project(&g, &plan);
    let cold = format!(
        "{} ms traced → {} ms with this plan",
        ms(p.traced_cold_start_us),
        ms(p.cold_start_us)
    );
    assert!(text.contains(&cold), "{cold} in\n{text}");
    let daily = format!(
        "{} → {}",
        lmms_tui::output::units::per_day(p.traced_daily_import_s),
        lmms_tui::output::units::per_day(p.daily_import_s)
    );
    assert!(text.contains(&daily), "{daily} in\n{text}");
    let p99 = format!("P99 {} ms", ms(p.percentiles.p99_us.round() as u64));
    assert!(text.contains(&p99), "{p99} in\n{text}");
    assert!(p.cold_start_us < p.traced_cold_start_us);
    // The footer said what `L` changed, with the cold start it moved.
    let said = format!(
        "pandas deferred in your code: cold start {} → {} ms",
        ms(p.traced_cold_start_us),
        ms(p.cold_start_us)
    );
    assert_eq!(s.app.status(), Some(said.as_str()));
    // On an 80×24 screen too, the footer shows it.
    let mut small = Screen::new(80, 24);
    small.keys(&[KeyCode::Down, KeyCode::Char('L')]);
    let footer = small.lines().join("\n");
    assert!(
        footer.contains("pandas deferred in your code: cold start 286.8 → "),
        "{footer}"
    );
    assert!(
        text.contains("savings may be overstated"),
        "tree-only trace says so"
    );
    let row = s.selected_line().unwrap();
    assert!(row.contains("lazy") && row.contains("function"), "{row}");

    // …and through `lmms-tui report` (the same engine, headless).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
        .args([
            "report",
            "assets/lambda-handler-5runs.txt",
            "--format",
            "json",
            "--top",
            "1",
            "--lazy",
            "pandas",
            "--usage",
            "pandas=5",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let proj = &report["projection"];
    assert_eq!(
        proj["cold_start_ms"].as_f64().unwrap(),
        p.cold_start_us as f64 / 1000.0
    );
    assert_eq!(proj["daily_import_s"].as_f64().unwrap(), p.daily_import_s);
    assert_eq!(
        proj["p99_ms"].as_f64().unwrap(),
        p.percentiles.p99_us / 1000.0
    );
    assert_eq!(proj["dropped_modules"][0], "pandas");

    // + and - step usage by 5 points; L again makes it eager.
    s.keys(&[KeyCode::Char('+'), KeyCode::Char('+')]);
    assert_eq!(s.app.analysis().plan().usage_pct(pandas), 15.0);
    s.keys(&[KeyCode::Char('-')]);
    assert_eq!(s.app.analysis().plan().usage_pct(pandas), 10.0);
    s.keys(&[KeyCode::Char('L')]);
    assert!(
        s.text()
            .contains("286.8 ms traced → 286.8 ms with this plan")
    );
}

/// The top row is the program's one import, `handler` (`-c "import handler"`): its code is
/// the program's, so `L` and `e` leave it eager and say why.
#[test]
fn the_program_itself_cannot_be_deferred() {
    let mut s = Screen::new(130, 48);
    let handler = lambda().find("handler").unwrap();
    assert!(s.selected_line().unwrap().contains("handler"));
    for key in ['L', 'e'] {
        s.keys(&[KeyCode::Char(key)]);
        assert_eq!(s.app.analysis().plan().lazy().count(), 0, "{key}");
        assert!(
            s.text().contains("`handler` is the program itself"),
            "{key}"
        );
    }
    assert_eq!(
        s.app.analysis().plan().decision(handler),
        lmms_core::whatif::Decision::Eager
    );
}

#[test]
fn rule_of_thumb_reset_and_parameters() {
    let mut s = Screen::new(130, 48);
    let g = lambda();
    let pandas = g.find("pandas").unwrap();
    // At the defaults (usage 100 %) nothing qualifies, and `a` says why and what to set.
    s.keys(&[KeyCode::Char('a')]);
    assert_eq!(s.app.analysis().plan().lazy().count(), 0);
    let said = s.text();
    assert!(
        said.contains("rule of thumb: nothing to defer")
            && said.contains("usage is 100% until set"),
        "{said}"
    );
    s.keys(&[KeyCode::Down, KeyCode::Char('u')]);
    press(&mut s, "5");
    s.keys(&[KeyCode::Enter, KeyCode::Char('a')]);
    // pandas (159.2 ms retained, 5 %) is labelled `function` and deferred; nothing else is.
    assert_eq!(
        s.app.analysis().plan().decision(pandas),
        lmms_core::whatif::Decision::Lazy
    );
    assert_eq!(s.app.analysis().plan().lazy().count(), 1);
    assert!(
        s.text()
            .contains("rule of thumb applied: 1 module deferred")
    );
    // Parameters: a CLI (every request a cold start) and a budget.
    s.keys(&[KeyCode::Char('p')]);
    assert_eq!(s.app.mode(), Mode::Params);
    assert!(s.text().contains("cold-start rate %"));
    s.keys(&[KeyCode::Down, KeyCode::Enter]);
    assert_eq!(s.app.mode(), Mode::Input);
    s.keys(&[KeyCode::Backspace, KeyCode::Backspace]);
    press(&mut s, "100");
    s.keys(&[KeyCode::Enter]);
    assert_eq!(s.app.analysis().plan().params.cold_start_rate_pct, 100.0);
    assert_eq!(s.app.mode(), Mode::Params);
    for _ in 0..4 {
        s.keys(&[KeyCode::Down]);
    }
    s.keys(&[KeyCode::Enter]);
    press(&mut s, "100");
    s.keys(&[KeyCode::Enter, KeyCode::Esc]);
    assert_eq!(s.app.analysis().plan().params.budget_ms, Some(100.0));
    let text = s.text();
    assert!(text.contains("✗ over budget"), "{text}");
    assert!(
        text.contains("100% cold starts (1 request a process)"),
        "{text}"
    );
    // A bad value is refused with a message and changes nothing.
    s.keys(&[
        KeyCode::Char('p'),
        KeyCode::Up,
        KeyCode::Up,
        KeyCode::Up,
        KeyCode::Up,
        KeyCode::Enter,
    ]);
    s.keys(&[KeyCode::Backspace, KeyCode::Backspace, KeyCode::Backspace]);
    press(&mut s, "0");
    s.keys(&[KeyCode::Enter]);
    assert!(s.text().contains("cold-start rate must be ≥ 0.0001"));
    assert_eq!(s.app.analysis().plan().params.cold_start_rate_pct, 100.0);
    s.keys(&[KeyCode::Esc, KeyCode::Char('r')]);
    assert_eq!(s.app.analysis().plan().lazy().count(), 0);
    assert_eq!(s.app.analysis().plan().usage_pct(pandas), 100.0);
}

#[test]
fn saving_plans_is_atomic_and_asks_before_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "somebody else's file").unwrap();
    let mut s = Screen::new(130, 45);
    s.app.plan_file.path = path.clone();
    s.keys(&[KeyCode::Down, KeyCode::Char('L'), KeyCode::Char('w')]);
    assert_eq!(s.app.mode(), Mode::Confirm);
    assert!(
        s.text()
            .contains("exists and was not written here: overwrite? (y/n)")
    );
    s.keys(&[KeyCode::Char('n')]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "somebody else's file"
    );
    s.keys(&[KeyCode::Char('w'), KeyCode::Char('y')]);
    let g = lambda();
    let (plan, ignored) = lmms_core::whatif::plan::load(&path, &g).unwrap();
    assert!(ignored.is_empty());
    assert_eq!(&plan, s.app.analysis().plan());
    // Ours now: later saves go through without a question.
    s.keys(&[KeyCode::Char('+'), KeyCode::Char('w')]);
    assert_eq!(s.app.mode(), Mode::Normal);
    assert_eq!(
        lmms_core::whatif::plan::load(&path, &g).unwrap().0,
        *s.app.analysis().plan()
    );
    // No temporary files left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn x_writes_fast_path_py_for_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fast_path.py");
    let mut s = Screen::new(130, 45);
    s.app.export_file.path = path.clone();
    // pandas at 5 %, deferred; boto3 at 90 %, kept as the hot-path exception.
    s.keys(&[KeyCode::Down, KeyCode::Char('u')]);
    press(&mut s, "5");
    s.keys(&[
        KeyCode::Enter,
        KeyCode::Char('L'),
        KeyCode::Down,
        KeyCode::Char('u'),
    ]);
    press(&mut s, "90");
    s.keys(&[KeyCode::Enter, KeyCode::Char('x')]);
    assert!(s.text().contains("wrote"), "{}", s.text());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# Module level: hot-path exception (used by > 80% of requests)\nimport boto3  # 70.5 ms, used by 90% of requests"), "{text}");
    assert!(
        text.contains(
            "#   import pandas  # 159.2 ms, used by 5% of requests; loads in 40% of processes"
        ),
        "{text}"
    );
    assert!(
        text.contains("Cold start: 286.8 ms traced, 125.3 ms with this plan"),
        "{text}"
    );
}

#[test]
fn a_baseline_shows_in_the_header_and_the_detail() {
    let before = lambda();
    let mut after_text = std::fs::read_to_string("assets/lambda-handler-5runs.txt").unwrap();
    after_text = after_text.replace("|   pandas\n", "|   pandas_renamed\n");
    let mut builder = lmms_core::model::TraceBuilder::new();
    lmms_core::trace::read_bytes(
        std::path::Path::new("after.txt"),
        after_text.as_bytes(),
        &mut builder,
    )
    .unwrap();
    let after = ImportGraph::build(builder).unwrap();
    let comparison = lmms_core::model::comparison::compare(&before, &after);
    let plan = lmms_core::whatif::Plan::new(&before);
    let mut s = Screen::with(Analysis::new(before, plan, Some(comparison)), 130, 45);
    let text = s.text();
    assert!(
        text.contains("vs baseline 286.8 → 286.8 ms (+0.0 ms, +0.0%)"),
        "{text}"
    );
    // handler is selected: its cumulative is unchanged.
    assert!(
        text.contains("vs baseline: cumulative 282.8 → 282.8 ms"),
        "{text}"
    );
    // View 5: every module by change; pandas is gone, pandas_renamed new.
    let handler = s.selected_line().unwrap();
    let handler = handler
        .split_whitespace()
        .find(|w| w.contains("handler"))
        .unwrap()
        .to_string();
    s.keys(&[KeyCode::Char('5')]);
    assert_eq!(s.app.view(), ViewId::Changes);
    // The selection followed the module; from the top, the biggest changes.
    let row = s.selected_line().unwrap();
    assert!(
        row.split_whitespace().next() == Some(handler.as_str()),
        "{row}"
    );
    s.keys(&[KeyCode::Char('g')]);
    let lines = s.lines();
    assert!(lines[1].contains("5 Δ baseline"), "{}", lines[1]);
    assert!(
        lines[2].contains("before ms") && lines[2].contains("Δ ms ▼"),
        "{}",
        lines[2]
    );
    let first = &lines[3];
    assert!(
        first.contains("pandas_renamed") && first.contains("new"),
        "{first}"
    );
    s.keys(&[KeyCode::Char('G')]);
    let last = s.selected_line().unwrap();
    assert!(last.contains("pandas ") && last.contains("gone"), "{last}");
    // Sort keys do not reorder it, and say so; the other views' sort is unchanged.
    let sort = s.app.sort();
    s.keys(&[KeyCode::Char('s')]);
    assert!(
        s.text().contains("view keeps its own order"),
        "{}",
        s.text()
    );
    assert_eq!(s.app.sort(), sort);
}

#[test]
fn the_baseline_view_needs_a_baseline() {
    let mut s = Screen::new(120, 40);
    assert!(!s.lines()[1].contains("Δ baseline"));
    s.keys(&[KeyCode::Char('5')]);
    assert_eq!(s.app.view(), ViewId::Tree);
    assert!(
        s.text()
            .contains("no baseline: open the explorer with --baseline OLD")
    );
    for _ in 0..5 {
        s.keys(&[KeyCode::Tab]);
    }
    assert_eq!(
        s.app.view(),
        ViewId::Tree,
        "Tab cycles the five views there are"
    );
}

#[test]
fn a_short_panel_keeps_the_lines_that_matter() {
    let mut s = Screen::new(120, 24);
    // The flat view fills the table, so the panel keeps its least height.
    s.keys(&[KeyCode::Char('2')]);
    let text = s.text();
    for line in [
        "cold start",
        "import time per day",
        "import wait, a request",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    assert!(!text.contains("parameters "), "{text}");
}

#[test]
fn classes_filter_the_flat_view_and_start_up_cannot_be_deferred() {
    let mut s = Screen::new(130, 40);
    // A text trace: the standard library by name, start-up by shape, the rest unknown.
    s.keys(&[KeyCode::Char('c')]);
    assert_eq!(s.app.view(), ViewId::Slowest);
    let text = s.text();
    assert!(text.contains("module (stdlib only: c for more)"), "{text}");
    let g = lambda();
    let rows = lmms_tui::tui::views::View::len(&s.app.views().slowest);
    let stdlib = g
        .modules()
        .iter()
        .filter(|m| m.class == lmms_core::model::ModuleClass::Stdlib)
        .count();
    assert_eq!(rows, stdlib);
    assert!(row_of(&s.lines(), "pandas").is_none());
    assert!(row_of(&s.lines(), "json").is_some_and(|r| r.contains(" std ")));
    // Start-up next: deferring one is refused, in words.
    s.keys(&[KeyCode::Char('c')]);
    assert!(s.text().contains("start-up only"));
    let first = s.app.selected_module().unwrap();
    assert!(g.module(first).startup);
    s.keys(&[KeyCode::Char('L')]);
    assert_eq!(
        s.app.analysis().plan().decision(first),
        lmms_core::whatif::Decision::Eager
    );
    assert!(
        s.text().contains("is loaded by interpreter start-up"),
        "{}",
        s.text()
    );
    // Unknown origin, then every module again.
    s.keys(&[KeyCode::Char('c')]);
    assert!(s.text().contains("origin unknown only"));
    s.keys(&[KeyCode::Char('c')]);
    assert_eq!(
        lmms_tui::tui::views::View::len(&s.app.views().slowest),
        g.len()
    );

    // `e` defers every import of pandas: marked `lazy+`, and the panel says it is an upper bound.
    let mut s = Screen::new(130, 48);
    s.keys(&[KeyCode::Down, KeyCode::Char('e')]);
    let pandas = g.find("pandas").unwrap();
    assert_eq!(
        s.app.analysis().plan().decision(pandas),
        lmms_core::whatif::Decision::LazyEverywhere
    );
    let text = s.text();
    assert!(
        row_of(&s.lines(), "pandas").unwrap().contains("lazy+"),
        "{text}"
    );
    assert!(text.contains("pandas is deferred everywhere"), "{text}");
    s.keys(&[KeyCode::Char('e')]);
    assert_eq!(
        s.app.analysis().plan().decision(pandas),
        lmms_core::whatif::Decision::Eager
    );
}

/// `q` with a changed plan asks: Esc stays, `n` quits without saving, `y` saves then quits;
/// an unchanged plan (or one just saved) quits at once.
#[test]
fn quitting_with_an_unsaved_plan_asks() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let fresh = |s: &mut Screen| {
        s.app.plan_file = lmms_tui::tui::app::OutputFile {
            path: plan.clone(),
            owned: false,
        };
    };
    // Unchanged: q quits.
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Char('q')]);
    assert!(s.app.quit());

    // Changed: q asks; Esc stays; n quits and writes nothing.
    let mut s = Screen::new(120, 40);
    fresh(&mut s);
    s.keys(&[KeyCode::Down, KeyCode::Char('L'), KeyCode::Char('q')]);
    assert!(!s.app.quit());
    assert!(
        s.text().contains("the plan has unsaved changes"),
        "{}",
        s.text()
    );
    s.keys(&[KeyCode::Esc]);
    assert!(!s.app.quit());
    s.keys(&[KeyCode::Char('q'), KeyCode::Char('n')]);
    assert!(s.app.quit());
    assert!(!plan.exists());

    // y saves, and quits once the file is written.
    let mut s = Screen::new(120, 40);
    fresh(&mut s);
    s.keys(&[
        KeyCode::Down,
        KeyCode::Char('L'),
        KeyCode::Char('q'),
        KeyCode::Char('y'),
    ]);
    assert!(plan.exists());
    assert!(s.app.quit());
}

/// Keys that act on a module, pressed on a row that is none (the start-up group), say so.
#[test]
fn module_keys_on_a_row_without_a_module_say_so() {
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Char('G')]);
    assert!(
        s.selected_line()
            .unwrap()
            .contains("(interpreter start-up)")
    );
    for (key, said) in [('L', "deferring"), ('+', "usage"), ('u', "usage")] {
        s.keys(&[KeyCode::Char(key)]);
        assert!(
            s.text()
                .contains(&format!("{said} acts on a module: this row is none")),
            "{key}"
        );
        assert_eq!(s.app.mode(), Mode::Normal);
    }
    assert!(!s.app.plan_changed());
}

/// `L` in the Packages view defers every module of the package (in your code); again, makes
/// them eager. The projection is the one of deciding each module by hand.
#[test]
fn l_in_packages_defers_the_whole_package() {
    let mut s = Screen::new(140, 40);
    s.keys(&[KeyCode::Char('3')]);
    let row = s
        .app
        .views()
        .packages
        .list
        .iter()
        .position(|p| p.name == "pandas")
        .unwrap();
    for _ in 0..row {
        s.keys(&[KeyCode::Down]);
    }
    s.keys(&[KeyCode::Char('L')]);
    let g = s.app.analysis().graph().clone();
    let members: Vec<_> = g
        .ids()
        .filter(|&m| g.name(m) == "pandas" || g.name(m).starts_with("pandas."))
        .collect();
    assert!(members.len() > 100, "{}", members.len());
    let plan = s.app.analysis().plan();
    assert!(
        members
            .iter()
            .all(|&m| plan.decision(m) == lmms_core::whatif::Decision::Lazy)
    );
    assert_eq!(plan.lazy().count(), members.len());
    assert!(
        s.text()
            .contains(&format!("{} modules deferred in your code", members.len())),
        "{}",
        s.text()
    );
    // The same plan made module by module projects the same figures.
    let mut by_hand = Analysis::of(g.clone());
    by_hand
        .set_decisions(
            members
                .iter()
                .map(|&m| (m, lmms_core::whatif::Decision::Lazy)),
        )
        .unwrap();
    assert_eq!(
        by_hand.projection().cold_start_us,
        s.app.analysis().projection().cold_start_us
    );
    assert!(
        s.app.analysis().projection().cold_start_us
            < s.app.analysis().projection().traced_cold_start_us
    );
    s.keys(&[KeyCode::Char('L')]);
    assert_eq!(s.app.analysis().plan().lazy().count(), 0);
    assert!(s.text().contains("modules eager again"), "{}", s.text());
}

/// Folding keys in a view without folds say so instead of doing nothing.
#[test]
fn folding_keys_in_a_flat_view_say_so() {
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Char('2'), KeyCode::Char('h')]);
    assert_eq!(s.app.view(), ViewId::Slowest);
    assert!(
        s.text()
            .contains("the Slowest view has no folds: Enter or → on a module shows it"),
        "{}",
        s.text()
    );
    // → still shows the selection in the tree.
    s.keys(&[KeyCode::Right]);
    assert_eq!(s.app.view(), ViewId::Tree);
}

/// A module that loads only with a deferred one shows the usage that implies (`↳5`), not its
/// own 100 %, which counts only once it is deferred itself.
#[test]
fn children_of_a_deferred_module_show_the_usage_it_implies() {
    let g = lambda();
    let pandas = g.find("pandas").unwrap();
    let child = g.ids().find(|&m| g.name(m) == "pandas.core.frame").unwrap();
    let mut a = Analysis::of(g);
    a.set_decision(pandas, lmms_core::whatif::Decision::Lazy)
        .unwrap();
    a.edit_plan(|p| p.set_usage_pct(pandas, 5.0));
    assert_eq!(
        a.usage(pandas),
        lmms_core::whatif::Usage::Planned(5.0),
        "a deferred module keeps its own usage"
    );
    match a.usage(child) {
        lmms_core::whatif::Usage::WithDeferred(pct) => assert!((pct - 5.0).abs() < 1e-9, "{pct}"),
        other => panic!("{other:?}"),
    }
    let mut s = Screen::with(a, 160, 45);
    s.keys(&[KeyCode::Char('/')])
        .typed("pandas.core.frame")
        .keys(&[KeyCode::Enter]);
    let line = s.selected_line().unwrap();
    assert!(line.contains("↳5 ") && line.contains("↳lazy"), "{line}");
    assert!(
        s.text().contains("5.0% of requests need it"),
        "{}",
        s.text()
    );
}

/// `?` explains every line the what-if panel can show, from the figures' own list.
#[test]
fn help_explains_each_what_if_line() {
    let mut s = Screen::new(100, 30);
    s.keys(&[KeyCode::Char('?')]);
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&s.text());
        s.keys(&[KeyCode::PageDown]);
    }
    let flat = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    for figure in lmms_tui::output::figures::Figure::ALL {
        assert!(
            flat.contains(&format!("{}:", figure.label())),
            "{}",
            figure.label()
        );
        // The sentence's last words, past any wrap.
        let words: Vec<&str> = figure.explain().split_whitespace().collect();
        let tail = words[words.len() - 3..].join(" ");
        assert!(flat.contains(&tail), "{tail}");
    }
}

/// Names are untrusted: a bidi override or an escape byte in one is drawn escaped in every
/// view, the detail panel and search results, never sent to the terminal raw.
#[test]
fn control_and_bidi_characters_in_names_are_drawn_escaped() {
    let text = "import time: self [us] | cumulative | imported package\n\
                import time:       100 |        100 |   evil\u{202e}txt.exe\n\
                import time:       200 |        300 | app\u{1b}[2J\n";
    let g = graph::from_bytes("t", text.as_bytes()).unwrap();
    let mut s = Screen::with(Analysis::of(g), 120, 40);
    let mut screens = vec![s.keys(&[KeyCode::Char('E')]).text()];
    s.keys(&[KeyCode::Down]);
    screens.push(s.text());
    screens.push(s.keys(&[KeyCode::Tab]).text());
    screens.push(s.keys(&[KeyCode::Char('/')]).typed("evil").text());
    for screen in &screens {
        assert!(!screen.contains(['\u{202e}', '\u{1b}']), "{screen}");
    }
    let all = screens.concat();
    assert!(all.contains("evil\\u{202e}txt.exe"), "{all}");
    assert!(all.contains("app\\u{1b}[2J"), "{all}");
}

/// `L` on a package defers your imports of its submodules too, with its usage, and says which;
/// `L` again makes them all eager.
#[test]
fn deferring_a_package_covers_your_imports_of_its_submodules() {
    let text = "import time:        10 |         10 |     a.base\n\
                import time:      5000 |       5010 |   a\n\
                import time:      3000 |       3000 |   a.b\n\
                import time:        10 |       8020 | app\n\
                import time:        10 |         10 | other\n";
    let g = graph::from_bytes("t", text.as_bytes()).unwrap();
    let (a, b) = (g.find("a").unwrap(), g.find("a.b").unwrap());
    let mut s = Screen::with(Analysis::of(g), 140, 40);
    s.keys(&[KeyCode::Down]);
    assert!(
        s.selected_line().unwrap().contains(" a "),
        "{:?}",
        s.selected_line()
    );
    s.keys(&[KeyCode::Char('u')]);
    press(&mut s, "40");
    s.keys(&[KeyCode::Enter, KeyCode::Char('L')]);
    let plan = s.app.analysis().plan();
    assert_eq!(
        (plan.decision(a), plan.decision(b)),
        (Decision::Lazy, Decision::Lazy)
    );
    assert_eq!(plan.usage_pct(b), 40.0);
    assert!(
        s.text()
            .contains("a deferred in your code, with your imports of a.b"),
        "{}",
        s.text()
    );
    s.keys(&[KeyCode::Char('L')]);
    assert_eq!(s.app.analysis().plan().lazy().count(), 0);
}

/// A module no run timed (loaded by importlib.import_module) shows `untimed`, not 0.0, and the
/// detail panel says where its time went.
#[test]
fn an_untimed_module_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.json");
    std::fs::write(
        &path,
        r#"{"format": "lmms-tui-trace", "version": 1, "runs": 1, "edges_complete": true,
            "modules": [
              {"name": "app", "parent": null, "self_us": [900], "cumulative_us": [900]},
              {"name": "dyn", "parent": "app", "self_us": [null], "cumulative_us": [null]}]}"#,
    )
    .unwrap();
    let g = graph::load(&[path.to_str().unwrap()]).unwrap();
    let mut s = Screen::with(Analysis::of(g), 140, 40);
    s.keys(&[KeyCode::Down]);
    let row = s.selected_line().unwrap();
    assert!(row.contains("dyn") && row.contains("untimed"), "{row}");
    assert!(!row.contains("0.0"), "{row}");
    let text = s.text();
    assert!(
        text.contains("not timed separately") && text.contains("its own time is in app's"),
        "{text}"
    );
}

#[test]
fn the_selection_follows_the_module_across_views() {
    let mut s = Screen::new(130, 45);
    s.keys(&[KeyCode::Down]);
    assert!(s.selected_line().unwrap().contains("pandas"));
    let first_word = |s: &mut Screen| {
        let row = s.selected_line().unwrap();
        row.split_whitespace()
            .find(|w| {
                w.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            })
            .unwrap_or("")
            .to_string()
    };
    for view in ['2', '3', '1'] {
        s.keys(&[KeyCode::Char(view)]);
        assert_eq!(first_word(&mut s), "pandas", "view {view}");
    }
    // A submodule: the packages view selects its package, and the tree opens down to it.
    s.keys(&[KeyCode::Char('2')]);
    while !first_word(&mut s).starts_with("pandas.") {
        s.keys(&[KeyCode::Down]);
    }
    let sub = first_word(&mut s);
    s.keys(&[KeyCode::Char('1')]);
    assert_eq!(first_word(&mut s), sub);
    s.keys(&[KeyCode::Char('3')]);
    assert_eq!(first_word(&mut s), "pandas");
}

/// The icicle view: pandas selected in the tree is selected there; Enter zooms into it (it
/// fills the width), ← zooms out; deferred, it is drawn dimmed and crossed out.
#[test]
fn the_icicle_zooms_and_shows_the_plan() {
    use ratatui::style::Modifier;
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Down, KeyCode::Char('6')]);
    assert_eq!(s.app.view(), ViewId::Icicle);
    let lines = s.lines();
    let title = lines
        .iter()
        .position(|l| l.contains("the whole program:"))
        .unwrap();
    // handler spans the width; pandas, its heaviest import, starts under it.
    assert!(
        lines[title + 1].starts_with("▏handler"),
        "{}",
        lines[title + 1]
    );
    assert!(
        lines[title + 2].starts_with("▏pandas"),
        "{}",
        lines[title + 2]
    );
    assert_eq!(s.app.status(), None);
    let detail = s.text();
    assert!(
        detail.contains("pandas  self"),
        "the detail is pandas': {detail}"
    );
    s.keys(&[KeyCode::Enter]);
    let lines = s.lines();
    assert!(
        lines[title].contains("zoomed into pandas"),
        "{}",
        lines[title]
    );
    assert!(
        lines[title + 1].starts_with("▏pandas"),
        "{}",
        lines[title + 1]
    );
    // It fills the width: its last cell has its colour too.
    let buffer = s.draw().clone();
    let last = &buffer[(119, title as u16 + 1)];
    assert_ne!(last.bg, ratatui::style::Color::Reset, "{last:?}");
    // Deferred: its cells dimmed and crossed out.
    s.keys(&[KeyCode::Char('L')]);
    let buffer = s.draw().clone();
    let cell = &buffer[(1, title as u16 + 1)];
    assert!(cell.modifier.contains(Modifier::CROSSED_OUT), "{cell:?}");
    // ← zooms out a level at a time: to handler, then the whole.
    s.keys(&[KeyCode::Left]);
    let lines = s.lines();
    assert!(
        lines[title].contains("zoomed into handler"),
        "{}",
        lines[title]
    );
    assert!(lines[title + 2].starts_with("▏pandas"));
    s.keys(&[KeyCode::Left]);
    assert!(s.lines()[title].contains("the whole program:"));
}

/// `b` shows the icicle with the plan applied: deferred pandas is gone and the width is the
/// new cold start's own time; the plan's next edit is followed live; `b` again: as traced.
#[test]
fn the_icicle_shows_the_plan_applied_and_follows_it() {
    let mut s = Screen::new(120, 40);
    s.keys(&[KeyCode::Down, KeyCode::Char('L'), KeyCode::Char('6')]);
    let title_of = |s: &mut Screen| {
        (s.lines().into_iter())
            .find(|l| l.contains("the whole program:"))
            .unwrap()
    };
    assert!(title_of(&mut s).contains("as traced"));
    s.keys(&[KeyCode::Char('b')]);
    let said = s.app.status().unwrap().to_string();
    assert!(
        said.starts_with("icicle with the plan applied: cold start "),
        "{said}"
    );
    let title = title_of(&mut s);
    assert!(title.contains("with the plan │"), "{title}");
    let text = s.text();
    assert!(!text.contains("▏pandas"), "pandas is gone: {text}");
    // The width is the own time of what the plan keeps at start-up.
    let a = s.app.analysis();
    let kept: u64 = (a.graph().ids())
        .filter(|&m| !a.leaves_cold_start(m) && !a.graph().module(m).shutdown)
        .map(|m| a.graph().module(m).self_us)
        .sum();
    let total = lmms_tui::output::units::ms(kept);
    assert!(
        title.contains(&format!(": {total} ms with the plan")),
        "{title} vs {total}"
    );
    // The plan reset: pandas is back, at once.
    s.keys(&[KeyCode::Char('r')]);
    assert!(s.text().contains("▏pandas"));
    s.keys(&[KeyCode::Char('b')]);
    assert!(title_of(&mut s).contains("as traced"));
}

/// `/` marks the icicle's matching bars (magenta) and says so in the title; imports
/// narrower than a cell are drawn together as `+N`, and their count is the model's.
#[test]
fn the_icicle_marks_search_matches_and_groups_narrow_imports() {
    let mut s = Screen::new(120, 40);
    // Enter jumps to the match in the tree; the icicle keeps the query.
    s.keys(&[KeyCode::Char('/')]).typed("numpy");
    s.keys(&[KeyCode::Enter, KeyCode::Char('6')]);
    let buffer = s.draw().clone();
    let lines = s.lines();
    let title = (lines.iter())
        .position(|l| l.contains("the whole program:"))
        .unwrap();
    assert!(lines[title].contains("matches “numpy”"), "{}", lines[title]);
    // The first cell of a bar's name, by the label drawn.
    let cell_of = |label: &str| {
        let (y, row) = (lines.iter().enumerate())
            .find(|(_, l)| l.contains(label))
            .unwrap();
        let x = row[..row.find(label).unwrap()].chars().count() + 1;
        buffer[(x as u16, y as u16)].clone()
    };
    assert_eq!(cell_of("▏numpy ").bg, ratatui::style::Color::Magenta);
    // pandas does not match: its colour is its origin's.
    assert_ne!(cell_of("▏pandas ").bg, ratatui::style::Color::Magenta);
    // Every `+N` on screen counts a parent's narrow imports.
    let icicle = s.app.views().icicle.icicle();
    let counts: Vec<String> = icicle
        .more
        .iter()
        .map(|m| format!("+{}", m.count))
        .collect();
    // A one-cell `+` may touch the next: the count is what follows the last `+`.
    let shown: Vec<String> = (lines.iter().skip(title + 1))
        .take_while(|l| !l.contains(" detail "))
        .flat_map(|l| l.split(['▏', ' ']))
        .filter_map(|w| Some(format!("+{}", w.rsplit_once('+')?.1)))
        .filter(|w| w.len() > 1)
        .collect();
    assert!(!shown.is_empty());
    for w in shown {
        assert!(counts.contains(&w), "{w} is none of {counts:?}");
    }
}

/// The name column keeps one width while the Slowest view scrolls a screen and more.
#[test]
fn the_name_column_keeps_its_width_while_scrolling() {
    let mut s = Screen::new(100, 30);
    s.keys(&[KeyCode::Char('2')]);
    let header_at = |s: &mut Screen| {
        let lines = s.lines();
        let header = lines
            .iter()
            .find(|l| l.contains("self ms"))
            .unwrap()
            .clone();
        header.find("self ms").unwrap()
    };
    let first = header_at(&mut s);
    for _ in 0..60 {
        s.keys(&[KeyCode::Down]);
        assert_eq!(header_at(&mut s), first);
    }
}
