//! The recording phases against a fake runner: which runs, in which order, what lands in the
//! trace.

use super::*;

/// Answers every job from a script, and remembers what it was asked.
struct FakeRunner {
    jobs: Vec<Job>,
    version: Option<String>,
}

impl FakeRunner {
    fn new(version: &str) -> FakeRunner {
        FakeRunner {
            jobs: Vec::new(),
            version: Some(version.into()),
        }
    }
}

const RUN: &str = "\
import time: self [us] | cumulative | imported package
import time:       100 |        100 |   json
import time:        50 |        150 | handler
";

impl Runner for FakeRunner {
    fn python_version(&mut self, _python: &str) -> Option<String> {
        self.version.clone()
    }

    fn run(&mut self, job: &Job) -> Result<RunOutput> {
        self.jobs.push(job.clone());
        let timed = self.jobs.iter().filter(|j| j.show).count();
        Ok(RunOutput {
            importtime: match &job.tracer {
                Tracer::Edges | Tracer::Replay(_) | Tracer::Process(_) => String::new(),
                // The edit defers json: 100 µs less, 10 more for the first pair.
                Tracer::Edit { apply: true, .. } => RUN.replace("   json\n", "   x\n"),
                Tracer::Edit { .. } => RUN.into(),
                // The collector's pauses: 20 µs of json's self time.
                Tracer::NoGc => RUN
                    .replace("100 |        100", " 80 |         80")
                    .replace("150 | handler", "130 | handler"),
                Tracer::Off if job.args[1] == "-c" && job.args[2] == "import json" => {
                    "import time:       100 |        100 | json\n".into()
                }
                Tracer::Off | Tracer::Mark => RUN.into(),
            },
            findings: match &job.tracer {
                Tracer::Edges => Some(
                    "edge\t__main__\thandler\nedge\thandler\tjson\nedge\tsomething\telse\n\
                     module\thandler\tprogram\t/app/handler.py\n"
                        .into(),
                ),
                // The timed request: 900 µs with json deferred (it imports json), 500 without.
                Tracer::Edit {
                    apply,
                    timed: Some((_, label)),
                    ..
                } => Some(format!(
                    "timed-request\t{label}\t{}\tok\n",
                    if *apply { 900 } else { 500 }
                )),
                Tracer::Edit { apply: true, .. } => Some("loaded\tjson\tthird.party\n".into()),
                // Modules the trace does not hold (`gone`) are left out of the sets.
                Tracer::Replay(_) => Some(
                    "requests\thandler handler:run over ev.jsonl\n\
                     watch-overhead\t100\t300\n\
                     request\tev.jsonl:1\tok\t12\thandler\n\
                     request\tev.jsonl:2\tok\t30\thandler\tjson\tgone\n\
                     request\tev.jsonl:3\traised KeyError: 'x' (handler.py:4)\t9\thandler\n\
                     module\thandler\tprogram\t/app/handler.py\n"
                        .into(),
                ),
                _ => None,
            },
            tracer_loaded: job.tracer != Tracer::Off,
            exit: Exit {
                // The second timed run fails.
                success: !(job.show && timed == 2),
                description: "exit status 3".into(),
            },
            left_behind: false,
            stderr_tail: if job.show && timed == 2 {
                vec![
                    "Traceback (most recent call last):".into(),
                    "KeyError: 'x'".into(),
                ]
            } else {
                Vec::new()
            },
            marked: job.tracer != Tracer::Off,
            other_interpreter: false,
        })
    }
}

fn options(runs: u32, lazy: &[&str]) -> RecordOptions {
    RecordOptions {
        command: vec!["python3".into(), "-c".into(), "import handler".into()],
        runs,
        warmup: 0,
        lazy: lazy.iter().map(|s| s.to_string()).collect(),
        replay: None,
        patch: None,
    }
}

/// Requests are replayed in one untimed run after the edges; their sets hold only the trace's
/// modules, equal sets once, and a request that raised is kept with its exception.
#[test]
fn requests_are_replayed_once_untimed_and_stored() {
    let dir = std::env::temp_dir().join(format!("lmms-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let events = dir.join("ev.jsonl");
    std::fs::write(&events, "{}\n").unwrap();
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: Some("3.11.7".into()),
    };
    let mut opts = options(2, &[]);
    opts.replay = Some(Replay::Handler {
        handler: "handler:run".into(),
        events: events.clone(),
    });
    let r = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    let replays: Vec<&Job> = (runner.jobs.iter())
        .filter(|j| matches!(j.tracer, Tracer::Replay(_)))
        .collect();
    assert_eq!(replays.len(), 1);
    assert!(!replays[0].show && replays[0].importtime == 0);
    let requests = r.graph.meta().requests.clone().unwrap();
    assert_eq!(
        requests.sets,
        [
            vec!["handler".to_string()],
            vec!["handler".into(), "json".into()]
        ]
    );
    let sets: Vec<u32> = requests.requests.iter().map(|q| q.set).collect();
    assert_eq!(sets, [0, 1, 0]);
    assert_eq!(
        requests.requests[2].raised.as_deref(),
        Some("KeyError: 'x' (handler.py:4)")
    );
    assert!(
        r.notes.iter().any(|n| n.starts_with("3 requests replayed")
            && n.contains(
                "a fixed loop of Python calls took 3.0× its time unwatched (100 → 300 µs)"
            )),
        "{:?}",
        r.notes
    );
    // With --lazy json: the first request needing json (the second: the first runs handler
    // only) is timed in pairs, unedited and edited, under -X importtime.
    let mut with_lazy = opts.clone();
    with_lazy.lazy = vec!["json".into()];
    let r = record(&with_lazy, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    let first = r.graph.meta().measured[0].first_request.clone().unwrap();
    assert_eq!(first.label, "ev.jsonl:2");
    assert_eq!(
        (first.eager_us, first.lazy_us),
        (vec![500, 500], vec![900, 900])
    );
    let timed: Vec<&Job> = (runner.jobs.iter())
        .filter(|j| matches!(&j.tracer, Tracer::Edit { timed: Some(_), .. }))
        .collect();
    assert_eq!(timed.len(), 4);
    assert!(timed.iter().all(|j| j.importtime == 1 && !j.show));
    // A handler that is no MODULE:FUNCTION, or events that are not there: refused first.
    for (handler, events) in [
        ("handler", events.clone()),
        ("a-b:run", events.clone()),
        ("handler:run", dir.join("none")),
    ] {
        opts.replay = Some(Replay::Handler {
            handler: handler.into(),
            events,
        });
        let e = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("--"), "{e}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn phases_run_in_order_and_fill_the_trace() {
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: Some("3.11.7".into()),
    };
    let mut events = Vec::new();
    let r = record(
        &options(3, &["json"]),
        &mut runner,
        &mut |p| events.push(p),
        &mut |_| {},
    )
    .unwrap();
    let tracers: Vec<&Tracer> = runner.jobs.iter().map(|j| &j.tracer).collect();
    // 3 timed runs (the helper marks them) alternated with 3 without GC, the edge run,
    // `json` alone, 3 pairs of unedited and edited runs.
    assert_eq!(runner.jobs.len(), 14, "{tracers:?}");
    let (timed, no_gc) = (Tracer::Mark, Tracer::NoGc);
    assert_eq!(
        tracers[..6],
        [&timed, &no_gc, &no_gc, &timed, &timed, &no_gc]
    );
    assert!(
        runner.jobs[..6]
            .iter()
            .all(|j| j.show == (j.tracer == Tracer::Mark))
    );
    assert_eq!(runner.jobs[6].tracer, Tracer::Edges);
    assert_eq!(runner.jobs[7].args, ["python3", "-c", "import json"]);
    let applied: Vec<bool> = runner.jobs[8..]
        .iter()
        .map(|j| match &j.tracer {
            Tracer::Edit { defer, apply, .. } if defer == &["json"] => *apply,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(applied, [false, true, true, false, false, true]);
    // The edit runs the program through the tracer, with the program's arguments after.
    assert_eq!(
        runner.jobs[8].args,
        ["python3", "-c", RUN_MAIN, "-c", "import handler"]
    );
    let g = &r.graph;
    assert_eq!(g.runs(), 3);
    assert!(g.edges_complete());
    assert_eq!(g.meta().python.as_deref(), Some("3.11.7"));
    assert_eq!(r.failures, [(2, "exit status 3".to_string())]);
    assert_eq!(r.notes[0], "2 import edges traced, 1 module origins");
    let handler = g.find("handler").unwrap();
    assert_eq!(
        g.module(handler).class,
        lmms_core::model::ModuleClass::Program
    );
    assert_eq!(g.origin(handler), Some("/app/handler.py"));
    let measured = &g.meta().measured[0];
    assert_eq!(measured.eager_us, [150, 150, 150]);
    assert_eq!(measured.total_us, [150, 150, 150]);
    assert_eq!(measured.loaded_anyway[0].importer, "third.party");
    let gc = g.meta().gc.as_ref().unwrap();
    assert_eq!(gc.pauses().unwrap().median_us, 20.0);
    // Every step announced was finished.
    let steps: u64 = events
        .iter()
        .map(|e| if let Progress::Steps(n) = e { *n } else { 0 })
        .sum();
    let done = events.iter().filter(|e| **e == Progress::Done).count() as u64;
    assert_eq!(steps, done);
}

#[test]
fn entries_alone_reuse_the_interpreter_or_the_edges_are_not_complete() {
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: Some("3.11.7".into()),
    };
    let mut opts = options(1, &[]);
    opts.command = ["python3", "-X", "dev", "-c", "import handler"]
        .map(String::from)
        .to_vec();
    record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    assert_eq!(
        runner.jobs.last().unwrap().args,
        ["python3", "-X", "dev", "-c", "import json"]
    );
    // A launcher: the runs alone go through it, with the interpreter's options.
    let mut runner = FakeRunner::new("3.11.7");
    opts.command = ["env", "A=1", "python3", "-X", "dev", "-c", "import handler"]
        .map(String::from)
        .to_vec();
    let r = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    assert_eq!(
        runner.jobs.last().unwrap().args,
        ["env", "A=1", "python3", "-X", "dev", "-c", "import json"]
    );
    assert!(r.graph.edges_complete());
    // No word is an interpreter (a script): no runs alone, and not every edge claimed.
    let mut runner = FakeRunner::new("3.11.7");
    opts.command = ["./serve.sh", "--port", "1"].map(String::from).to_vec();
    let r = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    assert!(runner.jobs.iter().all(|j| j.args[0] == "./serve.sh"));
    assert!(!r.graph.edges_complete());
    assert!(
        r.notes.iter().any(|n| n.contains("not run alone")),
        "{:?}",
        r.notes
    );
}

#[test]
fn interpreters_are_found_behind_launchers_and_their_flags_read() {
    let cmd = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let l = launch(&cmd(&["poetry", "run", "python3.13t", "-IOs", "app.py"])).unwrap();
    assert_eq!(
        (l.python, l.end, l.ignores_env, l.no_site),
        (2, 4, true, false)
    );
    let l = launch(&cmd(&["python", "-S", "-W", "error", "-c", "x"])).unwrap();
    assert_eq!((l.end, l.ignores_env, l.no_site), (4, false, true));
    assert_eq!(launch(&cmd(&["pip", "install", "python-dateutil"])), None);
}

#[test]
fn isolated_and_no_site_interpreters_get_importtime_as_an_option_and_no_helper() {
    for flag in ["-I", "-E", "-S"] {
        let mut runner = FakeRunner::new("3.11.7");
        let mut opts = options(2, &[]);
        opts.command = ["python3", flag, "-c", "import handler"]
            .map(String::from)
            .to_vec();
        let r = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
        let timed = &runner.jobs[0];
        if flag == "-S" {
            assert_eq!(timed.importtime, 1);
        } else {
            // The environment is ignored: the level is on the command line.
            assert_eq!(timed.args[..4], ["python3", "-X", "importtime", flag]);
            assert_eq!(timed.importtime, 0);
        }
        // Neither GC runs nor a tracer run: the helper cannot load; the trace says so.
        assert!(
            runner.jobs.iter().all(|j| j.tracer == Tracer::Off),
            "{flag}"
        );
        assert_eq!(r.graph.runs(), 2);
        assert!(!r.graph.edges_complete());
        assert!(r.graph.meta().gc.is_none());
        let notes = r.notes.join("; ");
        assert!(
            notes.contains(if flag == "-S" {
                "skips site"
            } else {
                "ignores PYTHONPATH"
            }),
            "{notes}"
        );
        // --lazy says why it cannot work.
        opts.lazy = vec!["json".into()];
        let err = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap_err();
        assert!(err.message().contains("`-S` keep out"), "{err}");
    }
}

#[test]
fn a_run_another_interpreter_printed_into_is_left_out_and_said() {
    /// In the second timed run, a header came after the helper's mark.
    struct Mixed(FakeRunner);
    impl Runner for Mixed {
        fn python_version(&mut self, p: &str) -> Option<String> {
            self.0.python_version(p)
        }
        fn run(&mut self, job: &Job) -> Result<RunOutput> {
            let mut out = self.0.run(job)?;
            out.other_interpreter = job.show && self.0.jobs.iter().filter(|j| j.show).count() == 2;
            Ok(out)
        }
    }
    let mut runner = Mixed(FakeRunner::new("3.11.7"));
    let r = record(&options(3, &[]), &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    assert_eq!(r.graph.runs(), 2, "runs 1 and 3");
    assert_eq!(r.failures[1], (2, OTHER_INTERPRETER.to_string()));
    assert_eq!(r.graph.meta().gc.as_ref().unwrap().with_gc_us.len(), 2);
}

#[test]
fn without_the_helper_two_interpreters_in_a_run_are_refused() {
    /// Timed runs under `-S` show two interpreters' lines (a spawned child's).
    struct Spawning(FakeRunner);
    impl Runner for Spawning {
        fn python_version(&mut self, p: &str) -> Option<String> {
            self.0.python_version(p)
        }
        fn run(&mut self, job: &Job) -> Result<RunOutput> {
            let mut out = self.0.run(job)?;
            if job.show {
                out.importtime = format!("{RUN}{RUN}");
            }
            Ok(out)
        }
    }
    let mut runner = Spawning(FakeRunner::new("3.11.7"));
    let mut opts = options(3, &[]);
    opts.command = ["python3", "-S", "-c", "import handler"]
        .map(String::from)
        .to_vec();
    let err = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap_err();
    assert!(err.message().contains("starts Python processes"), "{err}");
    assert!(err.message().contains("skips site"), "{err}");
    assert_eq!(runner.0.jobs.len(), 1);
}

#[test]
fn a_signal_stops_the_recording_and_keeps_the_runs_that_finished() {
    /// Interrupted while the second timed run is in progress.
    struct Interrupted(FakeRunner);
    impl Runner for Interrupted {
        fn python_version(&mut self, p: &str) -> Option<String> {
            self.0.python_version(p)
        }
        fn run(&mut self, job: &Job) -> Result<RunOutput> {
            self.0.run(job)
        }
        fn interrupted(&self) -> Option<i32> {
            (self.0.jobs.iter().filter(|j| j.show).count() >= 2).then_some(15)
        }
    }
    let mut runner = Interrupted(FakeRunner::new("3.11.7"));
    let mut saved = Vec::new();
    let r = record(&options(5, &["json"]), &mut runner, &mut |_| {}, &mut |g| {
        saved.push(g.runs())
    })
    .unwrap();
    assert_eq!(r.interrupted, Some(15));
    assert_eq!(r.graph.runs(), 1, "the run cut short is dropped");
    assert!(!r.graph.edges_complete());
    assert_eq!(saved, [1], "each finished run was saved as it finished");
    // Nothing started after the signal (run 2's GC-off run came first): no tracer run, no
    // edit runs.
    assert_eq!(runner.0.jobs.len(), 4);
}

#[test]
fn warm_up_runs_come_first_and_are_not_counted() {
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: Some("3.11.7".into()),
    };
    let mut opts = options(2, &[]);
    opts.warmup = 2;
    let r = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    // Two warm-up runs, silent and untimed; then the two timed runs and their pairs.
    assert!(
        runner.jobs[..2]
            .iter()
            .all(|j| j.tracer == Tracer::Off && !j.show && j.importtime == 0)
    );
    assert_eq!(runner.jobs[2].tracer, Tracer::Mark);
    assert!(runner.jobs[2].show);
    assert_eq!(r.graph.runs(), 2);
}

#[test]
fn the_edit_needs_the_interpreter_and_keeps_its_options() {
    let cmd = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        edit_command(&cmd(&["python3", "-X", "dev", "-O", "app.py", "--flag"])).unwrap(),
        cmd(&[
            "python3", "-X", "dev", "-O", "-c", RUN_MAIN, "app.py", "--flag"
        ])
    );
    assert_eq!(
        edit_command(&cmd(&["py", "-m", "pkg.main", "x"])).unwrap(),
        cmd(&["py", "-c", RUN_MAIN, "-m", "pkg.main", "x"])
    );
    // A launcher stays in front: `env`, `uv run`, `poetry run`.
    assert_eq!(
        edit_command(&cmd(&["env", "A=1", "python3", "app.py"])).unwrap(),
        cmd(&["env", "A=1", "python3", "-c", RUN_MAIN, "app.py"])
    );
    assert_eq!(
        edit_command(&cmd(&[
            "uv",
            "run",
            "--with",
            "python-dateutil",
            "python",
            "-m",
            "app"
        ]))
        .unwrap(),
        cmd(&[
            "uv",
            "run",
            "--with",
            "python-dateutil",
            "python",
            "-c",
            RUN_MAIN,
            "-m",
            "app"
        ])
    );
    assert_eq!(edit_command(&cmd(&["./run.sh", "app.py"])), None);
    assert_eq!(edit_command(&cmd(&["python3"])), None);
    assert_eq!(edit_command(&cmd(&["python3", "-c"])), None);
    assert_eq!(edit_command(&cmd(&["python3", "-"])), None);
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: None,
    };
    let mut opts = options(1, &["json"]);
    opts.command = cmd(&["python3"]);
    let err = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap_err();
    assert!(err.message().contains("needs the interpreter"), "{err}");
    assert!(runner.jobs.is_empty());
}

#[test]
fn python_3_14_needs_no_edge_tracer_and_silence_is_an_error() {
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: Some("3.14.0".into()),
    };
    record(&options(2, &[]), &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
    // Timed and no-GC runs, then one tracer run for origins only.
    assert_eq!(runner.jobs.len(), 5);
    assert!(
        runner
            .jobs
            .iter()
            .filter(|j| j.show)
            .all(|j| j.importtime == 2)
    );

    struct Silent;
    impl Runner for Silent {
        fn python_version(&mut self, _: &str) -> Option<String> {
            None
        }
        fn run(&mut self, _: &Job) -> Result<RunOutput> {
            Ok(RunOutput {
                importtime: String::new(),
                findings: None,
                tracer_loaded: false,
                exit: Exit {
                    success: true,
                    description: String::new(),
                },
                left_behind: false,
                stderr_tail: Vec::new(),
                marked: false,
                other_interpreter: false,
            })
        }
    }
    let err = record(&options(1, &[]), &mut Silent, &mut |_| {}, &mut |_| {}).unwrap_err();
    assert!(
        err.message().contains("printed no import-time lines"),
        "{err}"
    );
    assert!(record(&options(0, &[]), &mut Silent, &mut |_| {}, &mut |_| {}).is_err());
}

#[test]
fn interpreters_before_3_7_are_told_the_version_they_need() {
    let mut runner = FakeRunner::new("3.6.15");
    let err = record(&options(1, &[]), &mut runner, &mut |_| {}, &mut |_| {}).unwrap_err();
    assert!(
        err.message()
            .contains("Python 3.6.15 has no `-X importtime`: lmms-tui record needs Python 3.7"),
        "{err}"
    );
    assert!(runner.jobs.is_empty());
}

/// The user's own `-X importtime` (either spelling, any level) is refused before any run:
/// record sets it itself, for the timed runs only.
#[test]
fn the_users_own_importtime_flag_is_refused() {
    for flags in [
        &["-X", "importtime"][..],
        &["-Ximporttime=2"],
        &["-X", "importtime=1"],
    ] {
        let mut runner = FakeRunner {
            jobs: Vec::new(),
            version: Some("3.11.7".into()),
        };
        let mut opts = options(2, &[]);
        opts.command
            .splice(1..1, flags.iter().map(|f| f.to_string()));
        let err = record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap_err();
        assert!(err.message().contains("carries `-X importtime`"), "{err}");
        assert!(runner.jobs.is_empty(), "{flags:?}: nothing ran");
    }
    // Other -X options pass.
    let mut runner = FakeRunner {
        jobs: Vec::new(),
        version: Some("3.11.7".into()),
    };
    let mut opts = options(1, &[]);
    opts.command
        .splice(1..1, ["-X".to_string(), "utf8".to_string()]);
    record(&opts, &mut runner, &mut |_| {}, &mut |_| {}).unwrap();
}

/// An invocation's arguments take the place of the program's own, wherever the program is.
#[test]
fn invocations_replace_the_programs_arguments() {
    let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    let args = words("report 3");
    for (command, expected) in [
        (
            "python3 -X dev cli.py hello",
            "python3 -X dev cli.py report 3",
        ),
        (
            "uv run python -m tool x y",
            "uv run python -m tool report 3",
        ),
        ("python3 -c import_x a", "python3 -c import_x report 3"),
        ("mycli hello", "mycli report 3"),
        ("python3 cli.py", "python3 cli.py report 3"),
    ] {
        assert_eq!(
            super::launch::with_program_args(&words(command), &args),
            words(expected),
            "{command}"
        );
    }
}
