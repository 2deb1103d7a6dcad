"""Summaries over results tables, computed in one place (DuckDB over Arrow or Parquet).

Sweep summaries (:func:`sweep_summary`), over a sweep folder's ``results/*.parquet`` and
``cases.parquet``:

* **probabilities**: for each (purpose, launch area, aim point, site and interceptor, phase, cue
  basis), the share of cases in which some flight of that group is engageable by that site, with its 95 % Wilson
  score interval and the median margin;
* **by phase**: for each phase, purpose and cue basis, how many flights some site can engage,
  as a distribution over the cases (mean, 5th, 50th and 95th percentiles) and the probability
  that at least one is engageable;
* **thresholds**: for each varied parameter and each (launch area, site and interceptor, phase, cue basis), the
  value at which the verdict flips (the highest value at which no flight from the area is
  engageable and the lowest at which one is, or the reverse for a value that hurts the defence),
  per combination of the other grid parameters: the speed-against-delay curves of Wilkening (2012);
* **sensitivity**: the first-order variance-based index of each parameter (the share of the
  variance of the engageable count explained by that parameter alone, estimated from the cases
  by conditional means in bins of the parameter);
* **convergence**: the width of the probability intervals at the number of cases run, and how
  far the estimates moved between the first half of the cases and all of them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

#: z of the two-sided 95 % interval.
Z95 = 1.959963984540054
#: Bins of a drawn parameter for the first-order index (a grid parameter uses its values).
SENSITIVITY_BINS = 10
#: Most combinations of the other grid parameters a threshold curve is drawn for.
MAX_CURVE_POINTS = 64


def wilson(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of a binomial proportion (Wilson 1927), elementwise."""
    k = np.asarray(successes, float)
    n = np.asarray(trials, float)
    p = np.divide(k, n, out=np.zeros_like(k), where=n > 0)
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))  # exact at the ends, not 1e-17 away
    return low, np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))


def _connect(out: Path):
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet('{_quoted(out / 'results')}/*.parquet')")
    con.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{_quoted(out / 'cases.parquet')}')")
    return con


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _records(con, sql: str, *params) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _finite(value):
    return None if value is None or (isinstance(value, float) and not math.isfinite(value)) else value


def probabilities(con) -> list[dict]:
    """Per (purpose, launch, aim, site, phase, cue basis): cases, engageable cases, probability, interval."""
    rows = _records(con, """
        WITH per_case AS (
          SELECT purpose, launch, aim, site, interceptor, phase, cue_basis, case_id,
                 max(CASE WHEN verdict = 'feasible' THEN 1 ELSE 0 END) AS ok, max(margin_s) AS margin_s
          FROM results GROUP BY ALL)
        SELECT purpose, launch, aim, site, interceptor, phase, cue_basis, count(*) AS cases, sum(ok) AS engageable,
               median(margin_s) AS median_margin_s
        FROM per_case GROUP BY ALL ORDER BY purpose, launch, aim, site, interceptor, phase, cue_basis""")
    if rows:
        low, high = wilson([r["engageable"] for r in rows], [r["cases"] for r in rows])
        for r, lo, hi in zip(rows, low, high):
            r["engageable"] = int(r["engageable"])
            r["probability"] = r["engageable"] / r["cases"]
            r["ci_low"], r["ci_high"] = float(lo), float(hi)
            r["median_margin_s"] = _finite(r["median_margin_s"])
    return rows


def by_phase(con) -> list[dict]:
    """Per (phase, purpose, cue basis): the engageable-flight count's distribution over the cases."""
    rows = _records(con, """
        WITH per_flight AS (
          SELECT case_id, phase, purpose, cue_basis, flight_id,
                 max(CASE WHEN verdict = 'feasible' THEN 1 ELSE 0 END) AS ok
          FROM results GROUP BY ALL),
        per_case AS (
          SELECT case_id, phase, purpose, cue_basis, count(*) AS flights, sum(ok) AS engageable
          FROM per_flight GROUP BY ALL)
        SELECT phase, purpose, cue_basis, count(*) AS cases, max(flights) AS flights,
               avg(engageable) AS mean, quantile_cont(engageable, 0.05) AS p05,
               quantile_cont(engageable, 0.5) AS p50, quantile_cont(engageable, 0.95) AS p95,
               sum(CASE WHEN engageable > 0 THEN 1 ELSE 0 END) AS cases_any
        FROM per_case GROUP BY ALL ORDER BY phase, purpose, cue_basis""")
    for r in rows:
        r["probability_any"] = r["cases_any"] / r["cases"]
        low, high = wilson(r["cases_any"], r["cases"])
        r["ci_low"], r["ci_high"] = float(low), float(high)
        r["cases_any"] = int(r["cases_any"])
    return rows


def _engageable_by_area(con) -> tuple[list[tuple], np.ndarray, np.ndarray]:
    """(groups, case ids, ok[group, case]): is some flight from the launch area engageable by the site's
    interceptor."""
    rows = con.execute("""
        SELECT purpose, launch, site, interceptor, phase, cue_basis, case_id,
               max(CASE WHEN verdict = 'feasible' THEN 1 ELSE 0 END) AS ok
        FROM results GROUP BY ALL""").fetchall()
    groups = sorted({r[:6] for r in rows})
    cases = np.array(sorted({r[6] for r in rows}), np.int64)
    g_index = {g: i for i, g in enumerate(groups)}
    ok = np.zeros((len(groups), len(cases)), np.int8)
    position = np.searchsorted(cases, [r[6] for r in rows])
    ok[[g_index[r[:6]] for r in rows], position] = [r[7] for r in rows]
    return groups, cases, ok


def thresholds(con, parameters: list[dict], grid: set[str]) -> list[dict]:
    """Where each (launch area, site, phase, cue basis) flips with each parameter (see the module docstring)."""
    names = [p["parameter"] for p in parameters]
    values = {n: np.array([v[0] for v in con.execute(f"SELECT {_ident(n)} FROM cases ORDER BY case_id").fetchall()])
              for n in names}
    groups, cases, ok = _engageable_by_area(con)
    out = []
    for name in names:
        x = values[name][cases]
        others = [n for n in names if n != name and n in grid]
        keys = [tuple(values[o][c] for o in others) for c in cases]
        combos = sorted(set(keys))[:MAX_CURVE_POINTS]
        for g, group in enumerate(groups):
            row = ok[g]
            if row.min() == row.max():
                continue  # the verdict does not flip in this sweep
            curve = []
            for combo in combos:
                mask = np.array([k == combo for k in keys])
                curve.append(dict(zip(others, (float(v) for v in combo)), **_flip(x[mask], row[mask])))
            out.append({"parameter": name, "purpose": group[0], "launch": group[1], "site": group[2],
                        "interceptor": group[3], "phase": group[4], "cue_basis": group[5], "given": others,
                        "curve": curve})
    return out


def _flip(x: np.ndarray, ok: np.ndarray) -> dict:
    """The bracket of the value where ``ok`` flips along ``x``: engageable from (or up to) a value."""
    if ok.min() == ok.max():
        return {"direction": "always" if ok.min() else "never", "from": None, "to": None, "contradicting": 0}
    rising = np.corrcoef(x, ok)[0, 1] >= 0 if np.std(x) > 0 else True
    if rising:  # engageable above the threshold: between the highest x that fails and the lowest that works
        below, above = x[ok == 0].max(), x[ok == 1].min()
        contradicting = int(np.sum((ok == 1) & (x < below)) + np.sum((ok == 0) & (x > above)))
        return {"direction": "engageable at or above", "from": float(min(below, above)), "to": float(above),
                "last_failing": float(below), "contradicting": contradicting}
    below, above = x[ok == 1].max(), x[ok == 0].min()
    contradicting = int(np.sum((ok == 0) & (x < below)) + np.sum((ok == 1) & (x > above)))
    return {"direction": "engageable at or below", "from": float(below), "to": float(max(below, above)),
            "first_failing": float(above), "contradicting": contradicting}


def sensitivity(con, parameters: list[dict]) -> list[dict]:
    """First-order variance-based indices of each parameter, per purpose, ranked (see the module docstring)."""
    names = [p["parameter"] for p in parameters]
    columns = ", ".join(f"c.{_ident(n)}" for n in names)
    out = []
    for (purpose,) in con.execute("SELECT DISTINCT purpose FROM results ORDER BY 1").fetchall():
        rows = con.execute(f"""
            SELECT {columns}, coalesce(y.n, 0) FROM cases c LEFT JOIN (
              SELECT case_id, count(*) AS n FROM results WHERE verdict = 'feasible' AND purpose = ?
              GROUP BY case_id) y USING (case_id) ORDER BY c.case_id""", [purpose]).fetchall()
        data = np.array(rows, float)
        y = data[:, -1]
        for k, name in enumerate(names):
            index = _first_order(data[:, k], y)
            out.append({"purpose": purpose, "parameter": name, "first_order_index": index,
                        "output": "engageable (flight, site, phase, cue basis) rows per case"})
    out.sort(key=lambda r: (r["purpose"], -(r["first_order_index"] or 0.0)))
    return out


def _first_order(x: np.ndarray, y: np.ndarray) -> float | None:
    """Var(E[y | x]) / Var(y), the conditional means taken over the distinct values of x (a grid) or
    over SENSITIVITY_BINS equal-count bins (draws); None where y does not vary."""
    if y.var() == 0 or len(y) < 2:
        return None
    distinct = np.unique(x)
    if len(distinct) <= SENSITIVITY_BINS:
        labels = np.searchsorted(distinct, x)
    else:
        edges = np.quantile(x, np.linspace(0, 1, SENSITIVITY_BINS + 1)[1:-1])
        labels = np.searchsorted(edges, x, side="right")
    means = np.array([y[labels == b].mean() for b in np.unique(labels)])
    weights = np.array([np.mean(labels == b) for b in np.unique(labels)])
    return float(min(1.0, np.sum(weights * (means - y.mean()) ** 2) / y.var()))


def convergence(con, probabilities_all: list[dict]) -> dict:
    """Interval widths at the cases run, and the largest move of a probability from half the cases to all."""
    n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    open_ = [r for r in probabilities_all if 0 < r["engageable"] < r["cases"]]
    half = [0.5 * (r["ci_high"] - r["ci_low"]) for r in probabilities_all]
    first = _records(con, """
        WITH per_case AS (
          SELECT purpose, launch, aim, site, interceptor, phase, cue_basis, case_id,
                 max(CASE WHEN verdict = 'feasible' THEN 1 ELSE 0 END) AS ok
          FROM results WHERE case_id < ? GROUP BY ALL)
        SELECT purpose, launch, aim, site, interceptor, phase, cue_basis, avg(ok) AS p FROM per_case GROUP BY ALL""", (n + 1) // 2)
    before = {tuple(r[k] for k in ("purpose", "launch", "aim", "site", "interceptor", "phase", "cue_basis")): r["p"] for r in first}
    moves = [abs(r["probability"] - before[key]) for r in probabilities_all
             if (key := tuple(r[k] for k in ("purpose", "launch", "aim", "site", "interceptor", "phase", "cue_basis"))) in before]
    return {"cases": int(n), "groups": len(probabilities_all), "groups_between_0_and_1": len(open_),
            "max_ci_half_width": max(half) if half else None,
            "median_ci_half_width_open": float(np.median([0.5 * (r["ci_high"] - r["ci_low"]) for r in open_]))
            if open_ else None,
            "max_change_from_half_the_cases": max(moves) if moves else None,
            "interval": "95 % Wilson score interval of each probability"}


def sweep_summary(out: Path, manifest: dict) -> dict:
    """Everything the summary page and summary.json show, from a finished sweep folder."""
    con = _connect(out)
    parameters = manifest["parameters"]
    grid = {p["parameter"] for p in parameters if p["kind"] == "grid"}
    probs = probabilities(con)
    verdicts = _records(con, "SELECT verdict, count(*) AS rows FROM results GROUP BY 1 ORDER BY 2 DESC")
    return {"manifest": manifest, "rows": int(con.execute("SELECT count(*) FROM results").fetchone()[0]),
            "verdicts": verdicts, "by_phase": by_phase(con), "probabilities": probs,
            "thresholds": thresholds(con, parameters, grid), "sensitivity": sensitivity(con, parameters),
            "sensitivity_method": "first-order variance-based index Var(E[Y|X_i])/Var(Y), conditional means over the "
                                  f"grid values or {SENSITIVITY_BINS} equal-count bins of X_i (biased upward by about "
                                  "bins/cases where X_i has no effect)",
            "convergence": convergence(con, probs)}
