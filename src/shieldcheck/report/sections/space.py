"""The section on space-based interceptors: what share of the deterrent and of the stated threats a constellation
could engage in boost, from what size that share would cross the stated thresholds, how many satellites a salvo
needs, and the published check points beside the tool's figures. The numbers come from
:mod:`shieldcheck.space_study`; this module words them, tables them and draws its figures.
"""

from __future__ import annotations

import html

from ... import catalog
from .. import figures
from ..context import Context
from ..markup import details, html_table, howto, listing

SECTION_ID = "space"
TITLE = "Space-based interceptors"
PURPOSE_WORDS = {"russian-concern": "the Russian deterrent", "stated": "the stated threats",
                 "russian-theatre": "the Russian theatre missiles", "north-korean": "the North Korean threats"}
WHY_WORDS = {"never detected": "never detected before burnout", "released after burnout":
             "released only after burnout", "boost below the floor": "boost stays below the kill vehicle's floor",
             "no satellite in time": "no satellite in range in time"}

ONE_SHELL = ("One Walker shell and one carrier type per constellation: a layered design of several shells, each "
             "with its own interceptor (as CBO's layered designs have), is not modelled as one constellation; each "
             "shell can be studied as its own, but their shares do not add (a launch that two shells could engage "
             "counts once).")


def purpose_words(purpose: str) -> str:
    """How the report names the launches of one purpose."""
    return PURPOSE_WORDS.get(purpose, f"the {purpose} threat sets")


def _sets(ctx: Context, purpose: str) -> str:
    names = [t.name for t in ctx.scenario.threats if t.purpose == purpose]
    return html.escape(listing(names)) if names else ""


def _clock(seconds: float) -> str:
    """Seconds after the constellation's epoch as hours and minutes, '06:00'."""
    minutes = int(round(seconds / 60.0))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _percent(share) -> str:
    return f"{100.0 * share:.0f} %"


def threshold_text(row: dict) -> str:
    """One threshold's bracket in words: 'would cross 50 % from about 4,982 satellites (4,784: 42 %; ...)'."""
    level = _percent(row["threshold"])
    if row["status"] == "not reached":
        return (f"would not reach {level} even with {row['below_satellites']:,} satellites (the largest pattern "
                f"tried: {_percent(row['below_share'])})")
    if row["status"] == "at or below the smallest":
        return (f"would reach {level} already with {row['satellites']:,} satellites (the smallest pattern tried: "
                f"{_percent(row['share_at'])})")
    return (f"would cross {level} from about {row['satellites']:,} satellites ({row['below_satellites']:,}: "
            f"{_percent(row['below_share'])}; {row['satellites']:,}: {_percent(row['share_at'])})")


def answer(ctx: Context) -> str:
    """The finding in words: per purpose, the share engageable one launch at a time and the sizes for the
    thresholds; for the deterrent, its warheads and the missiles engaged when launched together."""
    study = ctx.space
    n = len(study.constellation)
    words = []
    for purpose in study.purposes:
        s = study.shares[purpose]
        sets = _sets(ctx, purpose)
        text = (f"Of {purpose_words(purpose)}{f' ({sets})' if sets else ''}, {n:,} satellites could engage "
                f"{_percent(s['flight_share'])} of the launches in boost (95 % interval "
                f"{_percent(s['flight_share_low'])}–{_percent(s['flight_share_high'])}; "
                f"{_percent(s['warhead_share'])} of their warheads), one launch at a time")
        missed = [f"{count} {WHY_WORDS.get(why, why)}" for why, count in s.get("not_engaged", {}).items() if count]
        if missed:
            text += f" (of the {s['launches'] - s['engaged']} not engaged: {html.escape(listing(missed))})"
        rows = [r for r in study.thresholds.to_pylist() if r["purpose"] == purpose]
        if rows:
            text += "; the share of warheads " + listing([threshold_text(r) for r in rows])
        words.append(text + ".")
    if study.deterrent:
        d = study.deterrent
        words.append(f"Spread as the threat sets' flights are, {_percent(d['warhead_share'])} of the deterrent "
                     f"({html.escape(d['name'])}, {d['warheads']:,} warheads) is about {d['warheads_engageable']:,.0f} "
                     "warheads on missiles that could be engaged, each launched alone.")
    if study.simultaneous:
        m = study.simultaneous
        words.append(f"Launched together, the {m['missiles']:,} missiles of the deterrent's threat sets (one per "
                     f"flight) meet {m['satellites_in_range']:.1f} satellites in range each on average, and with one "
                     f"interceptor per satellite at most {m['mean_engaged']:.1f} of them could be engaged "
                     f"({m['least_engaged']}–{m['most_engaged']} over {m['times']} launch times): "
                     f"{100.0 * m['share']:.1f} %.")
    return " ".join(words)


def _share_table(ctx: Context) -> str:
    study, notes = ctx.space, ctx.notes
    rows = []
    for purpose in study.purposes:
        s = study.shares[purpose]
        missed = ", ".join(f"{WHY_WORDS.get(why, why)}: {count}" for why, count in s.get("not_engaged", {}).items()
                           if count)
        rows.append([html.escape(purpose_words(purpose)), f"{s['launches']:,}",
                     f"{s['engaged']:,} ({_percent(s['flight_share'])})",
                     f"{_percent(s['flight_share_low'])}–{_percent(s['flight_share_high'])}",
                     _percent(s["warhead_share"]), f"{s['mean_engaging']:.2f}",
                     notes.cell(s["absentee_ratio"], ",.0f", why="no satellite in range of any of these launches"),
                     html.escape(missed) or "none"])
    return html_table(["launches of", "sampled", "engageable in boost", "95 % interval", "warheads",
                       "satellites in range (mean)", "absentee ratio", "not engaged because"], rows,
                      {1, 2, 4, 5, 6})


def _missile_table(ctx: Context) -> str:
    rows, group_rows = [], {}
    for purpose in ctx.space.purposes:
        mine = [r for r in ctx.space.by_missile.to_pylist() if r["purpose"] == purpose]
        group_rows[len(rows)] = html.escape(purpose_words(purpose))
        for r in mine:
            missed = ", ".join(f"{WHY_WORDS[why]}: {r[why.replace(' ', '_')]}" for why in WHY_WORDS
                               if r.get(why.replace(" ", "_")))
            rows.append([html.escape(r["missile"]), f"{r['launches']:,}", f"{r['engaged']:,}",
                         _percent(r["flight_share"]), f"{r['mean_engaging']:.2f}", html.escape(missed) or "none"])
    return html_table(["missile", "sampled", "engageable", "share", "satellites in range (mean)",
                       "not engaged because"], rows, {1, 2, 3, 4}, group_rows=group_rows)


def _check_table(ctx: Context) -> str:
    rows = []
    for row in ctx.space.check_points.to_pylist():
        tried = ", ".join(f"{size:,}: {_percent(share)}" for size, share in zip(row["sizes"], row["all_engaged"]))
        computed = (f"{row['needed']:,}" if row["needed"] is not None else f"more than {max(row['sizes']):,}")
        ratio = ("none in range" if row["absentee_ratio"] is None else f"{row['absentee_ratio']:,.0f}")
        rows.append([html.escape(f"{row['name']} ({row['source']})"), html.escape(row["published"]),
                     f"<strong>{computed}</strong> to engage {row['salvo_size']} in {_percent(row['probability'])} of "
                     f"{row['trials']} trials <span class=\"muted\">(tried {html.escape(tried)})</span>",
                     f"{ratio} <span class=\"muted\">({row['mean_engaging']:.2f} in range; "
                     f"{row['satellites']:,} satellites, {row['launch_times']} launch times)</span>",
                     html.escape(f"{row['constellation']}; {row['launches']}"),
                     "<ul>" + "".join(f"<li>{html.escape(d)}</li>" for d in row["differs"]) + "</ul>"])
    return html_table(["check point", "published", "computed: satellites needed", "absentee ratio",
                       "constellation; launches", "assumptions that differ"], rows)


def _figures(ctx: Context) -> list[str]:
    study, figs, name = ctx.space, ctx.figs, ctx.scenario.name
    out = []
    sizes = study.sizes.to_pylist()
    series = [(purpose_words(p), [r["satellites"] for r in sizes if r["purpose"] == p],
               [r["warhead_share"] for r in sizes if r["purpose"] == p]) for p in study.purposes]
    path = figures.share_by_size(series, list(study.settings["thresholds"]), len(study.constellation),
                                 f"{name}: share engageable in boost against the constellation's size",
                                 figs.path("space-share-by-size"))
    out.append(figs.embed(path, "share of warheads engageable in boost against the number of satellites",
                          "Share of the sampled launches' warheads that at least one satellite could engage in boost "
                          "(each launch alone), for every pattern of the constellation's Walker family the threshold "
                          "search evaluated; dotted: the thresholds, dashed: the size studied."))
    cover = study.coverage
    if cover:
        snapshots = [(f"launch at {_clock(s['launch_time_s'])}: {s['engaging']} can engage", s["lat_deg"],
                      s["lon_deg"], s["engaging_lat_deg"], s["engaging_lon_deg"]) for s in cover["snapshots"]]
        path = figures.coverage_map(tuple(cover["extent_lon_lat"]), snapshots,
                                    (cover["launch"], cover["launch_latitude_deg"], cover["launch_longitude_deg"]),
                                    (cover["track_lat_deg"], cover["track_lon_deg"]),
                                    f"{study.constellation.name}: satellites over {cover['launch']} at four launch "
                                    "times", figs.path("space-coverage-map"))
        out.append(figs.embed(path, "sub-satellite points over the launch area",
                              f"Where the satellites are (their sub-satellite points, small dots) at the interceptor's "
                              f"release for {html.escape(cover['flight'])} launched at four times of the day, one colour "
                              "per launch time; large dots: the satellites that could engage that launch in boost "
                              f"(at most the first {cover['listed']} listed). The constellation turns with its orbits "
                              "and the Earth under them: the satellites in range change from launch to launch."))
    over = study.over_time.to_pylist()
    series = []
    for p in study.purposes:
        mine = [r for r in over if r["purpose"] == p]
        if mine:
            series.append((f"{purpose_words(p)}: {mine[0]['flight']}", [r["launch_time_s"] / 3600.0 for r in mine],
                           [r["engaging"] for r in mine]))
    if series:
        path = figures.coverage_over_time(series, f"{study.constellation.name}: satellites in range over a day",
                                          figs.path("space-coverage-over-time"))
        out.append(figs.embed(path, "satellites that can engage a launch against the launch time",
                              f"One representative flight per purpose launched every "
                              f"{study.settings['coverage_step_s'] / 60:,.0f} min over a day: the satellites that "
                              "could engage it in boost."))
    altitudes = study.altitudes.to_pylist()
    series = [(purpose_words(p), [r["altitude_km"] for r in altitudes if r["purpose"] == p],
               [r["absentee_ratio"] for r in altitudes if r["purpose"] == p]) for p in study.purposes]
    if altitudes:
        path = figures.absentee_by_altitude(series, f"{study.constellation.name}: absentee ratio against altitude",
                                            figs.path("space-absentee-by-altitude"))
        out.append(figs.embed(path, "absentee ratio against the orbits' altitude",
                              "Satellites in orbit per satellite in range (the constellation's size over the mean number "
                              "that could engage a launch) for the same launches, the pattern moved to each altitude; "
                              "an open triangle: no satellite in range of any launch."))
    salvos = study.salvos.to_pylist()
    if salvos:
        ks = list(dict.fromkeys(r["salvo_size"] for r in salvos))
        needed = [next(r["needed"] for r in salvos if r["salvo_size"] == k) for k in ks]
        largest = [max(r["satellites"] for r in salvos if r["salvo_size"] == k) for k in ks]
        path = figures.satellites_for_salvo(ks, needed, largest, study.settings["probability"],
                                            f"{study.constellation.name}: satellites needed against a salvo",
                                            figs.path("space-satellites-for-salvo"))
        out.append(figs.embed(path, "satellites needed against the salvo's size",
                              f"The smallest pattern of the family tried ({html.escape(', '.join(f'{s:,}' for s in study.settings['salvo_family']))} "
                              f"satellites asked) that engages every missile of a salvo of "
                              f"{html.escape(purpose_words(study.salvo_purpose))} launched together in "
                              f"{_percent(study.settings['probability'])} of {study.settings['trials']} trials (one "
                              "interceptor per satellite, each satellite one missile)."))
    return out


def section(ctx: Context) -> str:
    """The section's HTML from ``ctx.space`` (a :class:`shieldcheck.space_study.SpaceStudy`), or a line saying
    that the study was not run for the scenario's constellations."""
    study = ctx.space
    parts = [f'<section id="{SECTION_ID}"><h2>{TITLE}</h2>',
             howto("A constellation of satellites in low orbit, each carrying one interceptor, can engage a missile "
                   "only in the minutes of its boost, and only from the few satellites that happen to be near its "
                   "launch area then: the rest are elsewhere in their orbits (the <em>absentee ratio</em> is the "
                   "satellites in orbit per satellite in range). Launches are drawn over a day (the satellites move "
                   "and the Earth turns under them); each is engageable when at least one satellite's interceptor, "
                   "released after the space-based infrared warning's detection and the carrier's decision and launch "
                   "delays, reaches a point of its boost above the kill vehicle's floor in time and its kill "
                   "vehicle's endgame allows it. A launch alone is the most favourable case; missiles launched "
                   "together share the satellites in range.")]
    if study is None:
        names = [c.name for c in getattr(ctx.scenario, "constellations", ())]
        parts.append(f"<p>Not computed for this report: the scenario lists {html.escape(listing(names))}, but the "
                     "report was written without the space study (<code>space_study.study</code>).</p></section>")
        return "".join(parts)
    parts.append(f'<p class="finding"><strong>{html.escape(repr(study.constellation))}.</strong> {answer(ctx)}</p>')
    parts.append(_share_table(ctx))
    parts.append(details("Per missile", _missile_table(ctx), open_=False))
    parts.append(f"<p class=\"muted\">{study.settings['launches_per_purpose']:,} launches drawn per purpose (flight "
                 f"and launch time, seed {study.settings['seed']}); threshold search within "
                 f"{study.settings['smallest']:,}–{study.settings['largest']:,} satellites to "
                 f"{_percent(study.settings['size_tolerance'])}; computed in {study.run_s:,.1f} s."
                 + "".join(f" {html.escape(note)}." for note in study.notes) + "</p>")
    parts += _figures(ctx)
    if study.check_points.num_rows:
        parts.append("<h3>Check points: the published sizes beside the tool's</h3>"
                     "<p>The catalog's constellations (sized like the published ones, shaped by us) against the "
                     "launches the studies named, computed with the catalog as it stands, not tuned to the published "
                     f"numbers; {study.settings['check_trials']} trials and {study.settings['check_times']} launch "
                     "times here (validation/sbi_check_points.py runs 100 and 96).</p>")
        parts.append(_check_table(ctx))
    stated = study.stated
    changes = stated.get("scenario_changes", {}).get("changes") or {}
    parts.append("<p class=\"muted\">Assumptions: " + html.escape(
        f"{stated['constellation']}; kill vehicle floor {stated['min_intercept_altitude_km']:g} km; endgame "
        f"{stated['endgame']}; detection by {stated['infrared']}; window "
        f"{stated['window']}") + (html.escape("; changed by the scenario: " + ", ".join(
            f"{k} = {v:,g}" for k, v in changes.items())) if changes else "") + ". " + html.escape(ONE_SHELL) + "</p>")
    cat = catalog.load()
    cited = list(dict.fromkeys(study.constellation.sources))
    cited += [f"{key}: {cat.sources[key].citation}" for key in dict.fromkeys(
        r["source"] for r in study.check_points.to_pylist()) if key in cat.sources]
    if cited:
        parts.append('<p class="muted">' + "<br>".join(html.escape(c) for c in cited) + "</p>")
    parts.append("</section>")
    return "".join(parts)
