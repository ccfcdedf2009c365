//! What a recording measured: the saving an edit really made (`record --lazy`), and how much
//! of the imports were cyclic-GC pauses. Shown beside the projection in every format.

use super::units::{ms, signed_ms};
use lmms_core::model::ImportGraph;
use lmms_core::whatif::{Analysis, Decision};

/// What `record --lazy` measured for exactly this plan's deferrals.
pub struct MeasuredFigure<'a> {
    pub run: &'a lmms_core::model::Measured,
    /// The edit really saved this much (None: recorded without paired runs).
    pub saving: Option<lmms_core::model::PairedDifference>,
    pub projected_saving_us: f64,
    /// The first replayed request needing the deferral, as measured and projected.
    pub first_request: Option<FirstRequestFigure<'a>>,
}

/// What the deferral added to the first request needing it: measured in pairs of runs, and
/// projected (its deferred imports' costs).
pub struct FirstRequestFigure<'a> {
    pub label: &'a str,
    pub penalty: lmms_core::model::PairedDifference,
    pub projected_us: f64,
}

impl FirstRequestFigure<'_> {
    /// Whether the projection lies in the measured interval.
    pub fn within(&self) -> bool {
        self.penalty.contains(self.projected_us)
    }

    pub fn text(&self) -> String {
        let p = &self.penalty;
        let verdict = if self.within() {
            "the projection is within the interval".to_string()
        } else {
            let (low, high) = (p.low_us, p.high_us);
            let off = if self.projected_us < low {
                low - self.projected_us
            } else {
                self.projected_us - high
            };
            let side = if self.projected_us < low {
                "below"
            } else {
                "above"
            };
            format!(
                "the projection is {} ms {side} the interval",
                ms(off.round() as u64)
            )
        };
        format!(
            "the first request needing it ({}) took {} ms more (median of {} alternated pairs, \
             95% interval {} … {} ms) vs {} ms projected: {verdict}",
            lmms_core::printable::printable(self.label),
            signed_ms(p.median_us),
            p.pairs,
            signed_ms(p.low_us),
            signed_ms(p.high_us),
            signed_ms(self.projected_us),
        )
    }
}

impl MeasuredFigure<'_> {
    /// Whether the edit deferred nothing: every deferred module loaded anyway.
    pub fn deferred_nothing(&self) -> bool {
        self.run
            .lazy
            .iter()
            .all(|m| self.run.loaded_anyway.iter().any(|l| &l.module == m))
    }

    pub fn text(&self) -> String {
        let projected = signed_ms(-self.projected_saving_us);
        let not_deferred: Vec<String> = self
            .run
            .loaded_anyway
            .iter()
            .map(|l| {
                format!(
                    "{} loaded anyway at start-up, first imported by {}",
                    l.module, l.importer
                )
            })
            .collect();
        let mut text = String::new();
        if !not_deferred.is_empty() {
            text = format!("not deferred: {}", not_deferred.join("; "));
            if self.deferred_nothing() {
                return format!("{text} (projected {projected} ms)");
            }
            text.push_str(" — the rest: ");
        }
        let Some(s) = self.saving else {
            return text
                + "recorded without alternated unedited runs (an older lmms-tui): no measured saving";
        };
        let verdict = if s.within_noise() {
            " — within noise"
        } else if !s.contains(self.projected_saving_us) {
            " — the projection is outside the interval"
        } else {
            ""
        };
        let first = match &self.first_request {
            Some(f) => format!("; {}", f.text()),
            None => String::new(),
        };
        let (edit, checked) = match &self.run.patch {
            Some(p) => (
                format!("{} applied", p.file),
                format!("; {}", patch_verdict(p)),
            ),
            None => (
                format!("{} made lazy", self.run.lazy.join(", ")),
                String::new(),
            ),
        };
        text + &format!(
            "{} ms with {edit} (median of {} alternated pairs, 95% interval {} … {} ms) \
             vs {projected} ms projected{verdict}{first}{checked}",
            signed_ms(-s.median_us),
            s.pairs,
            signed_ms(-s.high_us),
            signed_ms(-s.low_us),
        )
    }
}

/// The measured runs whose deferred set is exactly the plan's (your-code scope only: the
/// measured edit is in your code).
pub fn measured(a: &Analysis) -> Option<MeasuredFigure<'_>> {
    let plan = a.plan();
    if plan.lazy().any(|m| plan.decision(m) != Decision::Lazy) {
        return None;
    }
    let mut lazy: Vec<&str> = plan.lazy().map(|m| a.graph().name(m)).collect();
    lazy.sort_unstable();
    let run = a.graph().meta().measured.iter().find(|m| {
        !m.lazy.is_empty() && m.lazy.iter().map(String::as_str).eq(lazy.iter().copied())
    })?;
    let p = a.projection();
    Some(MeasuredFigure {
        run,
        saving: run.saving(),
        projected_saving_us: p.saving.median as f64,
        first_request: first_request(a, run),
    })
}

/// The first request's measured penalty beside what the projection makes it pay: the costs
/// of the deferrals its set of modules needs.
fn first_request<'a>(
    a: &Analysis,
    run: &'a lmms_core::model::Measured,
) -> Option<FirstRequestFigure<'a>> {
    let first = run.first_request.as_ref()?;
    let set = (a.requests()?.requests.iter())
        .find(|r| r.label == first.label)?
        .set;
    let projected_us = (a.projection().lazy.iter())
        .filter(|l| l.needed_by.contains(&set))
        .map(|l| l.cost_us as f64 * a.plan().params.init_cpu_factor)
        .sum();
    Some(FirstRequestFigure {
        label: &first.label,
        penalty: first.penalty()?,
        projected_us,
    })
}

/// What applying a patch showed, in a line: verified, or what is not as projected.
pub fn patch_verdict(c: &lmms_core::model::PatchCheck) -> String {
    let mut why = Vec::new();
    if !c.still_loaded.is_empty() {
        let names = crate::output::units::first_names(&c.still_loaded, 5);
        why.push(format!("still loaded, though projected to leave: {names}"));
    }
    if !c.also_dropped.is_empty() {
        let names = crate::output::units::first_names(&c.also_dropped, 5);
        why.push(format!(
            "no longer loaded, though projected to stay: {names}"
        ));
    }
    if let Some(s) = c.smoke.as_ref().filter(|s| !s.passed) {
        let tail = s.output_tail.last().map(String::as_str).unwrap_or("");
        why.push(format!("`{}` failed ({}): {tail}", s.command, s.how));
    }
    let smoke = match &c.smoke {
        Some(s) if s.passed => format!("; `{}` passed", s.command),
        _ => String::new(),
    };
    match why.is_empty() {
        true => format!(
            "patch {} verified: the modules it stops loading are the projection's{smoke}",
            c.file
        ),
        false => format!("patch {} NOT verified: {}", c.file, why.join("; ")),
    }
}

/// How much of the imports were cyclic-GC pauses, when the recording measured it.
pub fn gc_line(g: &ImportGraph) -> Option<String> {
    let pauses = g.meta().gc.as_ref()?.pauses()?;
    let how = format!(
        "median of {} alternated pairs with the collector off, 95% interval {} … {} ms",
        pauses.pairs,
        signed_ms(pauses.low_us),
        signed_ms(pauses.high_us),
    );
    Some(if pauses.low_us > 0.0 {
        format!(
            "{} ms of the program's imports are cyclic-GC pauses ({how})",
            ms(pauses.median_us.round() as u64)
        )
    } else {
        format!(
            "cyclic-GC pauses within noise ({} ms, {how})",
            signed_ms(pauses.median_us)
        )
    })
}

/// GC pauses above 5 % of cold start, measured above noise.
pub(super) fn gc_is_large(a: &Analysis) -> bool {
    let Some(pauses) = a.graph().meta().gc.as_ref().and_then(|gc| gc.pauses()) else {
        return false;
    };
    pauses.low_us > 0.0 && pauses.median_us > 0.05 * a.projection().traced_cold_start_us as f64
}
