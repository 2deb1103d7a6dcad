"""The summary page of a sweep: one self-contained HTML file (figures inline) from summary.json's data."""

from __future__ import annotations

import base64
import html
import io
import textwrap
from pathlib import Path

from .. import atomic
from .figures import new_figure
from .markup import html_table
from .style import STYLE_CSS

#: Rows of the probability table shown on the page (all of them are in summary.json).
SHOWN_GROUPS = 40


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure_html(figure, alt: str, caption: str) -> str:
    return (f'<figure><img src="data:image/png;base64,{_png(figure)}" alt="{html.escape(alt)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _sensitivity_figure(rows: list[dict]) -> str:
    purposes = sorted({r["purpose"] for r in rows})
    figure = new_figure(6.5, 0.6 + 0.35 * max(1, len(rows)))
    ax = figure.add_subplot()
    labels, values, colours = [], [], []
    for k, purpose in enumerate(purposes):
        for r in (r for r in rows if r["purpose"] == purpose):
            labels.append(f"{r['parameter']} ({purpose})")
            values.append(r["first_order_index"] or 0.0)
            colours.append(("tab:blue", "tab:red", "tab:green")[k % 3])
    ax.barh(range(len(values)), values, color=colours)
    ax.set_yticks(range(len(values)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("first-order index (share of the variance of the engageable count)")
    return _figure_html(figure, "sensitivity ranking", "Which uncertain parameter moves the verdicts most.")


def _threshold_figure(rows: list[dict]) -> str | None:
    """The threshold curves of the first parameter against the second grid parameter, one line per
    (launch area, site, phase, cue basis): Wilkening's speed-against-delay form."""
    def edge(c):  # the last engageable value: the lowest for a value that helps, the highest for one that hurts
        return c["to"] if c["direction"] == "engageable at or above" else c["from"]

    curves = [r for r in rows if len(r["given"]) == 1 and sum(c["to"] is not None for c in r["curve"]) > 1]
    curves = [r for r in curves if r["parameter"] == curves[0]["parameter"]] if curves else []
    if not curves:
        return None
    figure = new_figure(6.5, 4.0)
    ax = figure.add_subplot()
    given = curves[0]["given"][0]
    for r in curves[:12]:
        points = [(c[given], edge(c)) for c in r["curve"] if c["to"] is not None]
        ax.plot(*zip(*points), marker="o", label=f"{r['launch']} / {r['site']} ({r['interceptor']}) / {r['phase']} "
                                                 f"({r['cue_basis']})")
    ax.set_xlabel(given)
    ax.set_ylabel("\n".join(textwrap.wrap(f"{curves[0]['parameter']}: the edge of engageability", 40)), fontsize=8)
    ax.legend(fontsize=6)
    return _figure_html(figure, "threshold curves",
                        f"Where the verdict flips: the value of {curves[0]['parameter']} at the edge of engageability "
                        f"(the lowest engageable value of a parameter that helps the defence, the highest of one that "
                        f"hurts it), against {given}; a missing point: engageable at every value of the grid, or at "
                        "none.")


def _fmt(value, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def write_summary(summary: dict, path: Path) -> Path:
    """summary.html for a sweep's summary (``aggregate.sweep_summary``)."""
    m = summary["manifest"]
    parts = [f"<h1>Sweep of {html.escape(m['scenario'])}: {m['cases']:,} cases</h1>",
             f"<p>{summary['rows']:,} rows (case x threat flight x site x phase x cue basis); "
             + (f"seed {m['seed']}, {html.escape(m['method'])} over {m['samples']:,} samples" if m["samples"] else
                "grids only")
             + f"; shieldcheck {html.escape(m['package_version'])}, device {html.escape(m['device'])}.</p>",
             "<h2>What was varied</h2>",
             html_table(["parameter", "values", "applied on a grid of", "range basis"],
                    [[html.escape(p["parameter"]), html.escape(p["spec"]), _fmt(p["resolution"], "g"),
                      html.escape(p["basis"] or "")] for p in m["parameters"]]),
             "<h2>Engageable flights per phase</h2>",
             html_table(["phase", "purpose", "cue basis", "flights", "mean engageable", "5th-95th percentile",
                     "P(at least one)", "95 % interval"],
                    [[html.escape(r["phase"]), r["purpose"], r["cue_basis"], f"{r['flights']:,}", f"{r['mean']:.1f}",
                      f"{r['p05']:.0f}-{r['p95']:.0f}", f"{r['probability_any']:.2f}",
                      f"{r['ci_low']:.2f}-{r['ci_high']:.2f}"] for r in summary["by_phase"]], numeric={3, 4, 6})]
    uncertain = sorted((r for r in summary["probabilities"] if 0 < r["engageable_cases_count"] < r["cases_count"]),
                       key=lambda r: -min(r["engageable_fraction"], 1 - r["engageable_fraction"]))[:SHOWN_GROUPS]
    parts += ["<h2>Where the verdict depends on the uncertain values</h2>",
              f"<p>Groups (launch area, aim point, site, phase, cue basis) engageable in some cases and not others, "
              f"the most uncertain first ({len(uncertain)} shown; every group is in summary.json).</p>",
              html_table(["purpose", "launch", "aim", "site (interceptor)", "phase", "cue basis", "P(engageable)",
                      "95 % interval", "median margin (s)"],
                     [[r["purpose"], html.escape(r["launch"]), html.escape(r["aim"]),
                       html.escape(f"{r['site']} ({r['interceptor']})"), html.escape(r["phase"]), r["cue_basis"],
                       f"{r['engageable_fraction']:.2f}", f"{r['wilson_low_fraction']:.2f}-{r['wilson_high_fraction']:.2f}",
                       _fmt(r["median_margin_s"], "+.0f")]
                      for r in uncertain], numeric={6, 8})]
    curve = _threshold_figure(summary["thresholds"])
    parts += ["<h2>Thresholds</h2>", curve or "<p>No curve: the verdicts flip along one parameter only, or not at all "
              "(the flips are listed in summary.json).</p>"]
    flips = [r for r in summary["thresholds"] if not r["given"]][:SHOWN_GROUPS]
    if flips:
        parts.append(html_table(["parameter", "launch", "site (interceptor)", "phase", "cue basis", "flips", "between",
                             "contradicting cases"],
                            [[html.escape(r["parameter"]), html.escape(r["launch"]),
                              html.escape(f"{r['site']} ({r['interceptor']})"),
                              html.escape(r["phase"]), r["cue_basis"], r["curve"][0]["direction"],
                              f"{_fmt(r['curve'][0]['from'], 'g')} and {_fmt(r['curve'][0]['to'], 'g')}",
                              str(r["curve"][0]["contradicting"])] for r in flips]))
    parts += ["<h2>Sensitivity</h2>", f"<p>{html.escape(summary['sensitivity_method'])}.</p>"]
    if summary["sensitivity"]:
        parts.append(_sensitivity_figure(summary["sensitivity"]))
    c = summary["convergence"]
    parts += ["<h2>Convergence</h2>",
              f"<p>{c['cases']:,} cases; {c['groups_between_0_and_1']:,} of {c['groups']:,} groups are engageable in some "
              f"cases and not others. {html.escape(c['interval'])}: widest half-width {_fmt(c['max_ci_half_width'])}"
              f"{'' if c['median_ci_half_width_open'] is None else ', median half-width over those groups ' + _fmt(c['median_ci_half_width_open'])}"
              f". Largest change of a probability from the first half of the cases to all of them: "
              f"{_fmt(c['max_change_from_half_the_cases'])}.</p>"]
    page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep of "
            f"{html.escape(m['scenario'])}</title><style>{STYLE_CSS}</style></head><body>{''.join(parts)}</body></html>")
    return atomic.write_text(path, page)
