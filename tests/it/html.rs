//! `report --format html`: one self-contained page, checked as written and in a real headless
//! Chromium (the distribution's package, which `.ci/run` installs): the page loads without a
//! script error, a deep link opens the tree down to a module, it reads with JavaScript off, and
//! its screenshots (desktop and phone) hold a drawn page.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{lmms, needs};

/// The browser: Chromium under one of its usual names.
fn chromium() -> Result<PathBuf, String> {
    crate::common::on_path(&["chromium", "chromium-browser", "google-chrome"])
}

/// Runs headless Chromium on `url` with `args`: (stdout, stderr).
fn browse(chromium: &Path, args: &[&str], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    // Bounded: a browser that hangs fails the test instead of holding the whole run.
    let out = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Script errors Chromium logged (`--enable-logging=stderr`).
fn script_errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("Uncaught")).collect()
}

/// How many different colours a screenshot holds (a blank page has one).
fn colours(png: &Path) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    for px in bytes.chunks(step) {
        seen.insert(px);
    }
    seen.len()
}

/// `report --format html ARGS -o DIR/report.html`: the directory (kept while it is held), the
/// page's path and its text.
fn written_page(args: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let mut all = vec!["report", "--format", "html", "-o", page.to_str().unwrap()];
    all.extend_from_slice(args);
    let (code, _, err) = lmms(&all);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    (dir, page, html)
}

#[test]
fn the_html_report_is_one_page_that_works_in_a_browser() {
    let (dir, page, html) = written_page(&[
        "assets/lambda-handler-5runs.txt",
        "--lazy",
        "pandas",
        "--usage",
        "pandas=5",
        "--budget-ms",
        "150",
    ]);

    // Self-contained: nothing loads from elsewhere.
    for outside in ["src=", "<link", "@import", "url(", "http://", "https://"] {
        assert!(!html.contains(outside), "{outside}");
    }
    // The figures, the what-if of the plan given, every module in the tree, why chains.
    for figure in [
        "286.8 ms",
        "286.8 ms traced → 125.3 ms with this plan",
        "✓ cold start 125.3 ms within the 150 ms budget",
        "<span class=\"tag lazy\">deferred</span>",
        "imported from outside it by",
    ] {
        assert!(html.contains(figure), "{figure}");
    }
    assert_eq!(html.matches("<li id=\"").count(), 869);

    // The page as written is checked above; what follows needs a browser.
    let Some(chromium) = needs(chromium()) else {
        return;
    };
    let url = format!("file://{}", page.display());
    // Scripts on: no error; a deep link opens the tree down to the module and marks it.
    let (dom, stderr) = browse(
        &chromium,
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &format!("{url}#pandas.core.frame"),
    );
    assert!(script_errors(&stderr).is_empty(), "{stderr}");
    assert!(
        dom.contains("<li id=\"pandas.core.frame\" class=\"node target\">"),
        "{dom}"
    );
    assert!(
        dom.contains("placeholder=\"Find a module"),
        "the search box is added"
    );
    // Every <details> from the top down to pandas.core.frame is open.
    let at = dom.find("<li id=\"pandas.core.frame\"").unwrap();
    let before = &dom[..at];
    for ancestor in [
        "handler",
        "pandas",
        "pandas.core.api",
        "pandas.core.groupby",
    ] {
        let li = before
            .rfind(&format!("<li id=\"{ancestor}\""))
            .unwrap_or_else(|| panic!("{ancestor}"));
        assert!(
            before[li..].starts_with(&format!(
                "<li id=\"{ancestor}\" class=\"node\"><details open=\"\">"
            )) || before[li..].starts_with(&format!(
                "<li id=\"{ancestor}\" class=\"node\"><details open>"
            )),
            "{ancestor}: {}",
            &before[li..li + 80]
        );
    }
    // The error check can fail: a broken script is caught.
    let broken = dir.path().join("broken.html");
    std::fs::write(
        &broken,
        html.replace("\"use strict\";", "\"use strict\"; nosuch();"),
    )
    .unwrap();
    let (_, stderr) = browse(
        &chromium,
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &format!("file://{}", broken.display()),
    );
    assert_eq!(script_errors(&stderr).len(), 1, "{stderr}");

    // Without its script (as with JavaScript off; headless Chromium's own switch does not stop
    // scripts from running): the same tree and figures, no search box.
    let start = html.find("<script>").unwrap();
    let end = html.find("</script>").unwrap() + "</script>".len();
    let plain = dir.path().join("plain.html");
    std::fs::write(&plain, format!("{}{}", &html[..start], &html[end..])).unwrap();
    let plain_url = format!("file://{}", plain.display());
    let (dom, _) = browse(&chromium, &["--dump-dom"], &plain_url);
    assert_eq!(dom.matches("<li id=\"").count(), 869);
    assert!(
        dom.contains("125.3 ms with this plan") && !dom.contains("placeholder=\"Find a module")
    );

    // Screenshots on a desktop and a phone, with scripts and without: a drawn page each.
    for (size, js) in [("1200,1600", true), ("390,844", true), ("390,844", false)] {
        let shot = dir.path().join(format!("{size}-{js}.png"));
        let args = [
            format!("--screenshot={}", shot.display()),
            format!("--window-size={size}"),
        ];
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        browse(&chromium, &args, if js { &url } else { &plain_url });
        let n = colours(&shot);
        assert!(n > 20, "{size} js={js}: {n} colours");
    }
}

/// Names holding `%` link to themselves: the slowest table's links are percent-encoded, a
/// deep link to `a%41` marks `a%41` (not `aA`), and a fragment that is no encoding (`%zz`)
/// raises no script error.
#[test]
fn deep_links_to_names_with_percent_signs() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("t.txt");
    std::fs::write(
        &trace,
        "import time: self [us] | cumulative | imported package\n\
         import time:       100 |        100 |   a%41\n\
         import time:       200 |        300 | app\n\
         import time:        50 |         50 | aA\n",
    )
    .unwrap();
    let page = dir.path().join("r.html");
    let (code, _, err) = lmms(&[
        "report",
        trace.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<a href=\"#a%2541\">a%41</a>"), "{html}");
    let Some(chromium) = needs(chromium()) else {
        return;
    };
    let url = format!("file://{}", page.display());
    let args = ["--enable-logging=stderr", "--v=0", "--dump-dom"];
    let (dom, stderr) = browse(&chromium, &args, &format!("{url}#a%2541"));
    assert!(script_errors(&stderr).is_empty(), "{stderr}");
    assert!(
        dom.contains("<li id=\"a%41\" class=\"leaf target\">"),
        "{dom}"
    );
    assert!(dom.contains("<li id=\"aA\" class=\"leaf\">"), "{dom}");
    let (_, stderr) = browse(&chromium, &args, &format!("{url}#b%zz"));
    assert!(script_errors(&stderr).is_empty(), "{stderr}");
}

/// The page's tree is ordered and folded as the explorer's: heaviest first, start-up in one
/// folded item where its total sorts.
#[test]
fn the_tree_is_ordered_and_folded_like_the_explorers() {
    let (code, html, err) = lmms(&[
        "report",
        "--format",
        "html",
        "assets/lambda-handler-trace.json",
    ]);
    assert_eq!(code, 0, "{err}");
    let tree = html.split("<ul class=\"tree\">").nth(1).unwrap();
    let tree = tree.split("</section>").next().unwrap();
    assert!(
        tree.contains("<li class=\"node startup\"><details><summary><span class=\"name\">(interpreter start-up)"),
        "{tree}"
    );
    // Only the program's top-level import opens by itself.
    assert_eq!(tree.matches("<details open>").count(), 1);
    // Under handler, its children by cumulative time, heaviest first.
    let handler = tree.split("<li id=\"handler\"").nth(1).unwrap();
    let handler = handler.split("(interpreter start-up)").next().unwrap();
    let mut depth = 0;
    let mut children: Vec<f64> = Vec::new();
    for piece in handler.split('<').skip(1) {
        if piece.starts_with("ul") {
            depth += 1;
        } else if piece.starts_with("/ul") {
            depth -= 1;
        } else if depth == 1 && piece.starts_with("li id=") {
            let num = handler_num(piece, handler);
            children.push(num);
        }
    }
    assert!(children.len() > 3, "{children:?}");
    assert!(children.windows(2).all(|w| w[0] >= w[1]), "{children:?}");
}

/// The cumulative figure of the item that starts with `piece` (`self · cumulative`).
fn handler_num(piece: &str, text: &str) -> f64 {
    let at = text.find(piece).unwrap();
    let num = text[at..].split("<span class=\"num\">").nth(1).unwrap();
    let num = num.split('<').next().unwrap();
    num.split(" · ").nth(1).unwrap().trim().parse().unwrap()
}

/// The bars of each icicle on the page (as traced, then with the plan): (module, x %, width %,
/// classes), read from the markup.
fn icicle_bars(page: &str) -> Vec<Vec<(String, f64, f64, String)>> {
    let attr = |bar: &str, name: &str| -> String {
        let at = bar.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        bar[at..].split('"').next().unwrap().to_string()
    };
    page.split("<svg class=\"icicle\"")
        .skip(1)
        .map(|icicle| {
            let icicle = icicle.split("</figure>").next().unwrap();
            (icicle.split("<svg class=\"b ").skip(1))
                .map(|bar| {
                    let classes = bar.split('"').next().unwrap().to_string();
                    let pct = |v: String| v.trim_end_matches('%').parse::<f64>().unwrap();
                    (
                        attr(bar, "data-m"),
                        pct(attr(bar, "x")),
                        pct(attr(bar, "width")),
                        classes,
                    )
                })
                .collect()
        })
        .collect()
}

/// The icicles: before and after the plan on one scale, colours by origin, the plan's
/// deferrals dimmed before and gone after; in a browser, `#zoom=pandas` makes pandas the
/// whole width, at desktop and phone sizes.
#[test]
fn the_icicles_show_the_plan_and_zoom() {
    let (_dir, page, html) =
        written_page(&["assets/lambda-handler-trace.json", "--lazy", "pandas"]);
    let icicles = icicle_bars(&html);
    assert_eq!(icicles.len(), 2);
    let (traced, planned) = (&icicles[0], &icicles[1]);
    let find = |bars: &[(String, f64, f64, String)], name: &str| {
        bars.iter().find(|b| b.0 == name).cloned()
    };
    // handler is the widest bar, first; pandas, its heaviest import, starts under it.
    let handler = find(traced, "handler").unwrap();
    assert!(
        handler.1 == 0.0 && handler.3.contains("program"),
        "{handler:?}"
    );
    assert!(
        traced.iter().all(|b| b.2 <= handler.2),
        "handler is the widest"
    );
    let pandas = find(traced, "pandas").unwrap();
    assert!(
        pandas.1 == 0.0 && pandas.3.contains("dropped"),
        "{pandas:?}"
    );
    assert!(
        traced.iter().any(|b| b.3.contains("third"))
            && traced.iter().any(|b| b.3.contains("stdlib"))
    );
    // With the plan: no pandas, and handler narrower on the same scale.
    assert_eq!(find(planned, "pandas"), None);
    assert!(find(planned, "handler").unwrap().2 < handler.2 - pandas.2 + 1.0);
    assert!(html.matches("<title>").count() > traced.len() + planned.len());

    let Some(chromium) = needs(chromium()) else {
        return;
    };
    let url = format!("file://{}#zoom=pandas", page.display());
    for size in ["--window-size=1200,800", "--window-size=390,844"] {
        let (dom, stderr) = browse(
            &chromium,
            &["--enable-logging=stderr", "--v=0", size, "--dump-dom"],
            &url,
        );
        assert!(script_errors(&stderr).is_empty(), "{stderr}");
        let zoomed = icicle_bars(&dom);
        let pandas = find(&zoomed[0], "pandas").unwrap();
        assert_eq!((pandas.1, pandas.2), (0.0, 100.0), "{size}");
        // Its ancestor spans the width too; what lies beside it is hidden.
        assert_eq!(find(&zoomed[0], "handler").unwrap().2, 100.0);
        let at = dom.find("data-m=\"boto3\"").unwrap();
        let tag = &dom[dom[..at].rfind("<svg class=\"b").unwrap()..];
        let tag = &tag[..tag.find('>').unwrap()];
        assert!(tag.contains("display: none"), "{size}: {tag}");
    }
}
