"""Summaries of a results table: the one place where rows become counts, margins and firsts.

The CLI (``assess``, ``compare``), the report, ``guarantee`` and the sweep print numbers that this
module computes, with DuckDB, from a results table: a ``pyarrow.Table`` with the columns of
``assess.SCHEMA`` (one row per threat flight, phase, site and cue basis), or the subset a function
names. Definitions, each used everywhere:

* **Who a threat is for** is the ``purpose`` column and nothing else: the purpose of the threat set
  that lists the flight (of the first one, where several do; ``assess`` writes it). ``"stated"``:
  the threat sets the defence is said to counter (the Iranian missiles); ``"russian-concern"``: the
  Russian strategic missiles whose engagement is the Russian concern. The outputs call the latter
  "Russian ICBMs and SLBMs bound for the US" because that is what the built-in threat sets of that
  purpose are (ICBMs, SLBMs, a glide vehicle and fractional orbits, every one aimed at a US city);
  the missile's role or the aim point's country is never consulted, so a scenario's author decides
  by the purpose of each threat set. ``"russian-theatre"``: Russian intermediate-range missiles aimed
  at Europe and at the defence's own sites (the Oreshnik). Whether the defence could engage them is
  neither its stated purpose (it is said not to be aimed at Russia) nor the strategic concern (they
  are not bound for the US), so they are counted apart: mixed into either, they would change what
  its headline says (the Russian-concern emergence, the guarantee's "no Russian ICBM or SLBM").
  ``"north-korean"``: North Korean ICBMs aimed at the United States, the threat the US national
  defence (and a space-based layer) is said to answer; a European defence is not, so they are counted
  apart from the Iranian ``"stated"`` sets rather than mixed into them.
* A flight is **engageable** in a phase under a cue basis when at least one site's row is
  ``feasible``; **only beyond sector** when some row is ``beyond_sector`` and none is feasible.
* The **best margin** (s) is the largest ``margin_s`` of the ``feasible`` and ``too_late`` rows: how
  close the phase comes with the intercepts its sectors allow (negative: missed by that much). The
  margins of intercepts a sector forbids are kept apart (``beyond_sector_margin_s``).
* A threat **emerges** in the first phase, in date order, in which a flight of that purpose is
  engageable.
* A row without a cue basis counts under ``"architecture"`` (tables written before the bounding cue).

A sweep's summary (:func:`sweep_summary`, over a sweep folder) adds, from the cases: each group's
probability of being engageable with its Wilson interval, the distribution of engageable flights per
phase, where verdicts flip along each parameter, a sensitivity ranking and the convergence of the
estimates (the methods: docs/model.md, "Uncertainty").
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pyarrow as pa

from . import folder_kind, limits, verdicts
from .errors import InputError

PURPOSES = {"stated": "stated", "russian-concern": "russian",  # purpose -> its label in flat summary keys
            "russian-theatre": "theatre", "north-korean": "nk"}
RUSSIAN_CONCERN = "russian-concern"  # the purpose of the threat sets whose engagement is the Russian concern
RUSSIAN_THEATRE = "russian-theatre"  # Russian intermediate-range missiles against Europe and the defence's sites
THEATRE_WORDS = "Russian theatre missiles against Europe"  # how every output names them
BASES = ("architecture", "bounding")  # the site's own cueing; the scenario's bounding cue
MARGIN_VERDICTS = verdicts.DEFENCE_MARGIN_VERDICTS  # rows whose margin is one the defence may use
Z_95 = 1.959963984540054  # standard normal quantile at 0.975: a two-sided 95 % interval
RANK = verdicts.RANK  # how close a row came to an intercept (verdicts.py), for picking a flight's nearest site
_OPTIONAL = {"margin_s": pa.float64(), "cue_basis": pa.string()}  # filled with nulls where a table lacks them


def purpose_of(record: dict) -> str | None:
    """Who a flight is for (the module's definition): a results row's ``purpose``, or for a flights row
    the first of its ``purposes`` (the threat set that lists it first); None when it has none."""
    if "purpose" in record:
        return record["purpose"]
    purposes = record.get("purposes")
    return purposes[0] if purposes is not None and len(purposes) else None


def is_russian(record: dict) -> bool:
    """Whether a flight (a results row or a flights row) is a Russian-concern flight, by :func:`purpose_of`."""
    return purpose_of(record) == RUSSIAN_CONCERN


@functools.lru_cache(maxsize=1)
def _database():
    """The in-memory DuckDB the summaries run in (opening one costs tens of ms; a cursor on it, microseconds)."""
    import duckdb

    return duckdb.connect()


def _connect(table: pa.Table, name: str = "results"):
    """A DuckDB connection of its own holding ``table`` as the temporary view ``name``, cue basis
    defaulted, optional columns added."""
    for column, kind in _OPTIONAL.items():
        if column not in table.column_names:
            table = table.append_column(column, pa.nulls(table.num_rows, kind))
    con = _database().cursor()  # its registered table and temporary view are its own
    con.register("_given", table)
    con.execute(f"CREATE TEMPORARY VIEW {name} AS SELECT * REPLACE (coalesce(cue_basis, 'architecture') AS cue_basis) "
                "FROM _given")
    return con


def rows(table: pa.Table) -> list[dict]:
    """``table.to_pylist()``, except that each text of a dictionary-encoded column (a label: assess.LABEL) is
    one Python string shared by every row that holds it, not a copy per row."""
    columns = []
    for column in table.itercolumns():
        values: list = []
        for chunk in column.chunks:
            if pa.types.is_dictionary(chunk.type):
                texts = chunk.dictionary.to_pylist()
                values += [None if i is None else texts[i] for i in chunk.indices.to_pylist()]
            else:
                values += chunk.to_pylist()
        columns.append(values)
    return [dict(zip(table.column_names, row)) for row in zip(*columns)] if columns else []


def _arrow(relation) -> pa.Table:
    """A DuckDB relation as a ``pyarrow.Table`` (``to_arrow_table`` where DuckDB has it, ``arrow`` in older ones)."""
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()


def _columns(con, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()]


def _ident(name: str) -> str:
    """A column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def _check_keys(keys: Sequence[str], columns: Iterable[str], what: str) -> list[str]:
    columns = list(columns)
    unknown = [k for k in keys if k not in columns]
    if unknown:
        raise limits.not_allowed(f"{what}: column to group by", unknown[0], columns)
    return [_ident(k) for k in keys]


def counts(results: pa.Table, keys: Sequence[str]) -> list[dict]:
    """Per group of ``keys``: flights, engageable flights, flights only beyond a sector, best margin (s)
    and best margin beyond a sector (s), by the module's definitions. ``("phase", "purpose",
    "cue_basis")`` gives the summary (:func:`summary`); adding ``"site"`` gives each site's share.

    ``results`` needs ``flight_id``, ``verdict`` and the key columns (``margin_s`` and ``cue_basis`` are
    taken as null where missing). Returns one dict per group, keys first, ordered by the keys.
    """
    con = _connect(results)
    quoted = _check_keys(keys, _columns(con, "results"), "counts")
    by = ", ".join(quoted)
    group = f"{by}, " if by else ""
    margin_verdicts = ", ".join(f"'{v}'" for v in MARGIN_VERDICTS)
    sql = f"""
        WITH per_flight AS (
            SELECT {group}flight_id,
                   bool_or(verdict = 'feasible') AS engaged,
                   bool_or(verdict = 'beyond_sector') AS beyond,
                   max(margin_s) FILTER (WHERE verdict IN ({margin_verdicts})) AS margin_s,
                   max(margin_s) FILTER (WHERE verdict = 'beyond_sector') AS beyond_margin_s
            FROM results GROUP BY {group}flight_id)
        SELECT {group}count(*) AS flights, count(*) FILTER (WHERE engaged) AS engageable,
               count(*) FILTER (WHERE beyond AND NOT engaged) AS beyond_sector,
               max(margin_s) AS best_margin_s, max(beyond_margin_s) AS beyond_sector_margin_s
        FROM per_flight {"GROUP BY " + by + " ORDER BY " + by if by else ""}"""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _phases_of(results: pa.Table, phases) -> list[tuple[str, str, str | None]]:
    """(name, ISO date, ISO cancellation date or None) of each phase, in date order (ties: as given)."""
    if phases is not None:
        chosen = [(p.name, p.date.isoformat(), p.cancelled.isoformat() if p.cancelled else None) for p in phases]
    else:
        con = _connect(results)
        chosen = con.execute("SELECT phase, any_value(phase_date), any_value(phase_cancelled) FROM results "
                             "GROUP BY phase ORDER BY min(phase_date), phase").fetchall()
    return sorted(chosen, key=lambda p: p[1])


def summary(results: pa.Table, phases=None) -> list[dict]:
    """Per phase, in date order: for each purpose (labels ``stated``, ``russian``, ``theatre``) and cue basis, the
    flights, engageable flights, flights only beyond a sector, best margin (s) and best margin beyond a
    sector (s), as flat keys (``russian_bounding_engageable``); JSON-ready.

    ``phases``: the scenario's phases (objects with ``name``, ``date``, ``cancelled``), so that a phase
    without rows is listed with zeros; by default the phases of the table.
    """
    found = {(c["phase"], c["purpose"], c["cue_basis"]): c
             for c in counts(results, ("phase", "purpose", "cue_basis"))}
    out = []
    for name, date, cancelled in _phases_of(results, phases):
        entry = {"phase": name, "date": date, "cancelled": cancelled}
        for purpose, label in PURPOSES.items():
            for basis in BASES:
                c = found.get((name, purpose, basis), {})
                entry[f"{label}_{basis}_flights"] = c.get("flights", 0)
                entry[f"{label}_{basis}_engageable"] = c.get("engageable", 0)
                entry[f"{label}_{basis}_beyond_sector"] = c.get("beyond_sector", 0)
                entry[f"{label}_{basis}_best_margin_s"] = c.get("best_margin_s")
                entry[f"{label}_{basis}_beyond_sector_margin_s"] = c.get("beyond_sector_margin_s")
        out.append(entry)
    return out


def cell(entry: dict, purpose: str, basis: str) -> dict:
    """One (purpose, cue basis) of a :func:`summary` entry: flights, engageable, beyond_sector,
    best_margin_s, beyond_sector_margin_s."""
    label = PURPOSES[purpose]
    return {k: entry[f"{label}_{basis}_{k}"]
            for k in ("flights", "engageable", "beyond_sector", "best_margin_s", "beyond_sector_margin_s")}


def engageable_words(summary_rows: list[dict], purpose: str, basis: str) -> str:
    """"N of M engageable in PHASE, ..." of a purpose under a cue basis, per :func:`summary` entry with flights of
    that purpose (phases in date order); "" where no phase has any."""
    parts = [f"{cell(e, purpose, basis)['engageable']:,} of {cell(e, purpose, basis)['flights']:,} engageable in "
             f"{e['phase']}" for e in summary_rows if cell(e, purpose, basis)["flights"]]
    return ", ".join(parts)


def emergence(summary_rows: list[dict], basis: str = "architecture", purpose: str = "russian-concern") -> dict | None:
    """The first :func:`summary` entry (phases in date order) with an engageable flight of ``purpose``
    under ``basis``, or None."""
    return next((e for e in summary_rows if cell(e, purpose, basis)["engageable"] > 0), None)


def finite(value) -> float | None:
    """``value`` as a finite float, or None (missing, not a number, NaN or infinite)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def rank(row: dict) -> tuple:
    """Sort key of a row by how close it came to an intercept (:data:`RANK`, then the larger margin)."""
    margin = finite(row.get("margin_s"))
    return (verdicts.rank_of(row.get("verdict")), -(margin if margin is not None else -1e18))


@dataclass
class Outcome:
    """One threat flight against every site of one phase, under one cue basis: its rows, those that are
    feasible (nearest first) and the row that came nearest."""

    flight_id: int
    rows: list[dict]
    engaged: list[dict] = field(default_factory=list)
    best: dict | None = None

    @property
    def engageable(self) -> bool:
        return bool(self.engaged)

    @property
    def margin_s(self) -> float | None:
        """The best margin of an engageable flight's feasible rows; else that of its nearest row."""
        if self.engaged:
            return max((finite(r.get("margin_s")) for r in self.engaged if finite(r.get("margin_s")) is not None),
                       default=None)
        return finite(self.best.get("margin_s")) if self.best else None

    @property
    def shots(self) -> int | None:
        """The most shot opportunities one site has against the flight, or None when none can engage it."""
        values = [int(r["shots"]) for r in self.engaged if finite(r.get("shots")) is not None]
        return max(values) if values else None


def outcomes(rows: list[dict]) -> dict[tuple, dict[int, Outcome]]:
    """The rows (dicts, cue basis filled in) grouped by (phase, purpose, cue basis), then by flight."""
    grouped: dict[tuple, dict[int, list[dict]]] = {}
    for r in rows:
        key = (r.get("phase"), r.get("purpose"), r.get("cue_basis") or "architecture")
        grouped.setdefault(key, {}).setdefault(int(r["flight_id"]), []).append(r)
    out: dict[tuple, dict[int, Outcome]] = {}
    for key, by_flight in grouped.items():
        out[key] = {flight_id: Outcome(flight_id, mine, sorted((r for r in mine if r.get("verdict") == "feasible"),
                                                               key=rank), min(mine, key=rank))
                    for flight_id, mine in by_flight.items()}
    return out


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (Wilson 1927), at ``z`` (95 % by default).

    (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n) with p = successes / trials: unlike the normal
    interval it stays within 0..1 and is not empty at 0 or n successes; at 0 successes it is
    [0, z²/(n + z²)], at n [n/(n + z²), 1].
    """
    if trials <= 0 or not 0 <= successes <= trials:
        raise InputError(f"wilson_interval: {successes} successes of {trials} trials; give 0 <= successes <= "
                         "trials and trials > 0")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # exactly 0 (1) at no (every) success, where the formula gives it up to rounding
    return (0.0 if successes == 0 else centre - half), (1.0 if successes == trials else centre + half)


def engageable_probability(con_or_table, keys: Sequence[str], relation: str = "results") -> pa.Table:
    """Across the cases of a sweep, how often each group of ``keys`` is engageable.

    ``con_or_table``: a ``pyarrow.Table``, or a DuckDB connection with the view ``relation``; either
    holds ``case_id`` and the results columns ``verdict``, ``flight_id``, ``margin_s`` and the keys
    (e.g. ``["launch", "aim", "site", "phase", "cue_basis"]``). A case counts as engageable for a group
    when some flight of the group is ``feasible`` in it. Per group: ``cases_count``,
    ``engageable_cases_count``, ``engageable_fraction`` (their ratio), its 95 % Wilson score interval
    (``wilson_low_fraction``, ``wilson_high_fraction``) and ``median_margin_s``: the median over the
    cases of the case's best margin (its feasible and too_late rows; cases without one left out, null
    when none has one). Returns a ``pyarrow.Table`` ordered by the keys.
    """
    if isinstance(con_or_table, pa.Table):
        con, relation = _connect(con_or_table), "results"
    else:
        con = con_or_table
    columns = _columns(con, relation)
    quoted = _check_keys(keys, columns, "engageable_probability")
    missing = [c for c in ("case_id", "verdict", "flight_id", "margin_s") if c not in columns]
    if missing:
        raise InputError(f"engageable_probability: the table has no column {missing[0]!r}; it needs case_id, "
                         "verdict, flight_id, margin_s and the keys")
    by = ", ".join(quoted)
    group = f"{by}, " if by else ""
    margin_verdicts = ", ".join(f"'{v}'" for v in MARGIN_VERDICTS)
    sql = f"""
        WITH per_case AS (
            SELECT {group}case_id, bool_or(verdict = 'feasible') AS engaged,
                   max(margin_s) FILTER (WHERE verdict IN ({margin_verdicts})) AS margin_s
            FROM {relation} GROUP BY {group}case_id)
        SELECT {group}count(*) AS cases_count, count(*) FILTER (WHERE engaged) AS engageable_cases_count,
               count(*) FILTER (WHERE engaged) / count(*) AS engageable_fraction, median(margin_s) AS median_margin_s
        FROM per_case {"GROUP BY " + by + " ORDER BY " + by if by else ""}"""
    table = _arrow(con.sql(sql))
    bounds = [wilson_interval(k, n) for k, n in zip(table.column("engageable_cases_count").to_pylist(),
                                                    table.column("cases_count").to_pylist())]
    at = table.column_names.index("median_margin_s")
    table = table.add_column(at, "wilson_low_fraction", pa.array([b[0] for b in bounds], pa.float64()))
    return table.add_column(at + 1, "wilson_high_fraction", pa.array([b[1] for b in bounds], pa.float64()))


ASSESSMENT_TABLES = {"results": "results.parquet", "flights": "flights.parquet"}  # written by `assess --out`
SWEEP_TABLES = {"results": "results/*.parquet", "flights": "flights/*.parquet", "cases": "cases.parquet"}
ALLOWED_STATEMENTS = ("SELECT", "EXPLAIN")  # SELECT covers WITH, DESCRIBE, SHOW, SUMMARIZE and FROM-first queries


def tables_kind(folder) -> str:
    """Which tables :func:`connect` reads in ``folder``: ``"sweep"`` (a sweep folder's) or ``"assess"`` (an
    assessment folder's), by the kind of output the folder holds (``folder_kind.kind_of``); a folder of
    another kind (a footprint, a comparison...) is refused in one line: it holds no table to query."""
    kind = folder_kind.kind_of(folder)
    if kind not in (None, "assess", "sweep"):
        raise InputError(f"{str(folder)!r} holds {folder_kind.words(kind)}, which has no tables to query; give the "
                         "--out folder of `shieldcheck assess` or of `shieldcheck sweep`")
    return kind or "assess"


def connect(folder):
    """A read-only, in-memory DuckDB over the tables of an assessment or a sweep folder.

    An assessment folder (``shieldcheck assess --out``) gives the views ``results`` and ``flights``
    (``results.parquet``, ``flights.parquet``); a sweep folder (:func:`tables_kind`) gives
    ``results`` and ``flights`` over ``results/*.parquet`` and ``flights/*.parquet`` and ``cases``
    (``cases.parquet``); a table whose files are missing is left out. The files are scanned lazily as
    Arrow datasets (their columns unified across files), and the connection then has file access
    switched off and its configuration locked: a query can read these tables and nothing else, and
    can write no file (``COPY ... TO``, ``ATTACH`` and ``read_csv`` are refused). Raises InputError
    when the folder is missing or holds none of these tables.
    """
    from pathlib import Path

    import duckdb
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{str(folder)!r} is not a folder; give the --out folder of `shieldcheck assess` or a sweep "
                         "folder")
    sweep = tables_kind(folder) == "sweep"
    layout = SWEEP_TABLES if sweep else ASSESSMENT_TABLES
    con = duckdb.connect(config={"memory_limit": QUERY_MEMORY})
    found = []
    for name, pattern in layout.items():
        # hidden names are writes in progress (atomic.partial_name), left behind by a process killed mid-write
        files = sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("."))
        if not files:
            continue
        try:
            schema = pa.unify_schemas([pq.read_schema(p) for p in files])
            con.register(name, ds.dataset([str(p) for p in files], schema=schema, format="parquet"))
        except (pa.ArrowException, OSError) as error:
            raise InputError(f"{str(folder / pattern)!r}: cannot be read as Parquet ({str(error).splitlines()[0]})") \
                from None
        found.append(name)
    if not found:
        expected = ", ".join(layout.values())
        kind = "a sweep folder" if sweep else "an assessment folder"
        raise InputError(f"{str(folder)!r} holds no table: {kind} has {expected}")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


#: DuckDB's own memory for a query (``memory_limit``; its default is 80 % of the machine's; 256 MB also bounds the rows
#: it reads ahead of a slow reader): a sort or a join
#: that needs more spills to DuckDB's temporary files where it can, else is refused in one line.
QUERY_MEMORY = "256MB"
#: Rows fetched from DuckDB at a time by :func:`query`: memory holds one batch, however many rows a query gives.
QUERY_BATCH_ROWS = 10_000
#: A refused query's message from DuckDB is cut after this many characters (its length stated).
SQL_MESSAGE_CHARS = 300


def query(con, sql: str, *, batch_rows: int = QUERY_BATCH_ROWS):
    """The column names of one read-only statement (a SELECT, WITH, DESCRIBE, SHOW or EXPLAIN) on ``con``,
    and an iterator over its rows in batches of at most ``batch_rows`` (lists of tuples), fetched as they
    are read: ``select * from range(30000000)`` holds one batch in memory, never every row. Anything but
    a query, or SQL that DuckDB rejects (also while its rows are fetched), raises InputError with
    DuckDB's message (its first line)."""
    import duckdb

    def rejected(error) -> InputError:
        message = (str(error).strip().splitlines() or [type(error).__name__])[0]
        if len(message) > SQL_MESSAGE_CHARS:  # DuckDB quotes the token it stopped at, however long
            message = f"{message[:SQL_MESSAGE_CHARS]}... ({len(message):,} characters)"
        return InputError(f"SQL rejected: {message}")

    try:
        statements = con.extract_statements(sql)
        if len(statements) != 1:
            raise InputError(f"give one SQL statement, not {len(statements)}")
        kind = statements[0].type.name
        if kind not in ALLOWED_STATEMENTS:
            raise InputError(f"only a query may run here (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN), not {kind}: "
                             "the tables are read-only")
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
    except duckdb.Error as error:
        raise rejected(error) from None

    def batches():
        while True:
            try:
                rows = cursor.fetchmany(batch_rows)
            except duckdb.Error as error:
                raise rejected(error) from None
            if not rows:
                return
            yield rows

    return names, batches()


def first_rows(batches, count: int) -> tuple[list[tuple], bool]:
    """The first ``count`` rows of :func:`query`'s batches, and whether more follow (read to tell: at
    most one batch more than ``count`` rows, the rest never)."""
    rows: list[tuple] = []
    for batch in batches:
        rows += batch
        if len(rows) > count:
            return rows[:count], True
    return rows, False

# ---------------------------------------------------------------------------------------------
# Sweeps: what the cases say (over a sweep folder's results, cases and manifest)
# ---------------------------------------------------------------------------------------------
#
# * probabilities: per SWEEP_GROUP, ``engageable_probability``;
# * by phase: for each phase, purpose and cue basis, how many flights some site can engage, as a
#   distribution over the cases (mean, 5th, 50th and 95th percentiles), and the probability that at
#   least one is engageable;
# * thresholds: for each varied parameter and each (launch area, site and interceptor, phase, cue
#   basis), the value at which the verdict flips (the highest value at which no flight from the area
#   is engageable and the lowest at which one is, or the reverse for a value that hurts the defence),
#   per combination of the other grid parameters: the speed-against-delay curves of Wilkening (2012);
# * sensitivity: the first-order variance-based index of each parameter (the share of the variance of
#   the engageable count explained by that parameter alone, estimated from the cases by conditional
#   means in bins of the parameter);
# * convergence: the width of the probability intervals at the number of cases run, and how far the
#   estimates moved between the first half of the cases and all of them.

#: A sweep's probabilities are per (threat, site) group: who the flight is for, where from, where to,
#: which site and interceptor (a site may host two), which phase and cue basis.
SWEEP_GROUP = ("purpose", "launch", "aim", "site", "interceptor", "phase", "cue_basis")
#: Bins of a drawn parameter for the first-order index (a grid parameter uses its values), at most.
SENSITIVITY_BINS = 10
#: Fewest cases a bin of the first-order index holds (``sensitivity_bins``).
MIN_CASES_PER_BIN = 4
#: Most combinations of the other grid parameters a threshold curve is drawn for.
MAX_CURVE_POINTS = 64


def _records(con, sql: str, *params) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


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
        r["ci_low"], r["ci_high"] = wilson_interval(int(r["cases_any"]), int(r["cases"]))
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
            index = first_order_index(data[:, k], y)
            out.append({"purpose": purpose, "parameter": name, "first_order_index": index,
                        "output": "engageable (flight, site, phase, cue basis) rows per case"})
    out.sort(key=lambda r: (r["purpose"], -(r["first_order_index"] or 0.0)))
    return out


def sensitivity_bins(cases: int) -> int:
    """Equal-count bins of a drawn parameter over ``cases`` cases: SENSITIVITY_BINS, fewer where the cases
    are few, so that each bin holds at least MIN_CASES_PER_BIN (a bin of one case would explain every
    variation: an index of 1 for any parameter)."""
    return max(2, min(SENSITIVITY_BINS, cases // MIN_CASES_PER_BIN))


def first_order_index(x: np.ndarray, y: np.ndarray) -> float | None:
    """Var(E[y | x]) / Var(y), the conditional means taken over the distinct values of x (a grid, each value
    repeated) or over ``sensitivity_bins`` equal-count bins (draws); None where y does not vary."""
    if y.var() == 0 or len(y) < 2:
        return None
    distinct = np.unique(x)
    bins = sensitivity_bins(len(y))
    if len(distinct) <= bins:
        labels = np.searchsorted(distinct, x)
    else:
        edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
        labels = np.searchsorted(edges, x, side="right")
    means = np.array([y[labels == b].mean() for b in np.unique(labels)])
    weights = np.array([np.mean(labels == b) for b in np.unique(labels)])
    return float(min(1.0, np.sum(weights * (means - y.mean()) ** 2) / y.var()))


def convergence(con, probabilities_all: list[dict]) -> dict:
    """Interval widths at the cases run, and the largest move of a probability from half the cases to all."""
    n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    open_ = [r for r in probabilities_all if 0 < r["engageable_cases_count"] < r["cases_count"]]
    half = [0.5 * (r["wilson_high_fraction"] - r["wilson_low_fraction"]) for r in probabilities_all]
    first = _records(con, """
        WITH per_case AS (
          SELECT purpose, launch, aim, site, interceptor, phase, cue_basis, case_id,
                 max(CASE WHEN verdict = 'feasible' THEN 1 ELSE 0 END) AS ok
          FROM results WHERE case_id < ? GROUP BY ALL)
        SELECT purpose, launch, aim, site, interceptor, phase, cue_basis, avg(ok) AS p FROM per_case GROUP BY ALL""", (n + 1) // 2)
    before = {tuple(r[k] for k in ("purpose", "launch", "aim", "site", "interceptor", "phase", "cue_basis")): r["p"] for r in first}
    moves = [abs(r["engageable_fraction"] - before[key]) for r in probabilities_all
             if (key := tuple(r[k] for k in ("purpose", "launch", "aim", "site", "interceptor", "phase", "cue_basis"))) in before]
    return {"cases": int(n), "groups": len(probabilities_all), "groups_between_0_and_1": len(open_),
            "max_ci_half_width": max(half) if half else None,
            "median_ci_half_width_open": float(np.median([0.5 * (r["wilson_high_fraction"] - r["wilson_low_fraction"])
                                                          for r in open_]))
            if open_ else None,
            "max_change_from_half_the_cases": max(moves) if moves else None,
            "interval": "95 % Wilson score interval of each probability"}


def sweep_summary(out: Path, manifest: dict) -> dict:
    """Everything the summary page and summary.json show, from a finished sweep folder."""
    con = connect(out)
    parameters = manifest["parameters"]
    grid = {p["parameter"] for p in parameters if p["kind"] == "grid"}
    probs = engageable_probability(con, SWEEP_GROUP).to_pylist()
    verdicts = _records(con, "SELECT verdict, count(*) AS rows FROM results GROUP BY 1 ORDER BY 2 DESC, 1")
    return {"manifest": manifest, "rows": int(con.execute("SELECT count(*) FROM results").fetchone()[0]),
            "verdicts": verdicts, "by_phase": by_phase(con), "probabilities": probs,
            "thresholds": thresholds(con, parameters, grid), "sensitivity": sensitivity(con, parameters),
            "sensitivity_method": "first-order variance-based index Var(E[Y|X_i])/Var(Y), conditional means over the "
                                  f"grid values or {sensitivity_bins(int(con.execute('SELECT count(*) FROM cases').fetchone()[0]))} equal-count "
                                  "bins of X_i (biased upward by about bins/cases where X_i has no effect)",
            "convergence": convergence(con, probs)}


def answer_ranges(con, parameters: list[str], phases: list[str]) -> dict:
    """The spread of the four headline answers over a sweep's cases, and the parameter that moves each most.

    * ``counts``: (phase, purpose, cue basis) -> (fewest, most) flights engageable by some site, over the cases;
    * ``emergence``: cue basis -> the first phase (in the order of ``phases``) with an engageable Russian-concern
      flight, per case (None: none);
    * ``movers``: answer key -> (parameter, first-order index), the largest index of the per-case answer:
      ("stated", "architecture") the Iranian flights engaged summed over the phases, ("russian-concern", basis)
      the Russian ones, ("emergence", basis) the index of the first phase (len(phases) for none).
    """
    per = con.execute("""
        SELECT case_id, phase, purpose, cue_basis,
               count(DISTINCT CASE WHEN verdict = 'feasible' THEN flight_id END) AS n
        FROM results GROUP BY ALL""").fetchall()
    cases = [int(r[0]) for r in con.execute("SELECT case_id FROM cases ORDER BY case_id").fetchall()]
    counts: dict = {}
    totals: dict = {}
    first: dict = {}
    for case_id, phase, purpose, basis, n in per:
        low, high = counts.get((phase, purpose, basis), (n, n))
        counts[(phase, purpose, basis)] = (min(low, n), max(high, n))
        totals[(purpose, basis, case_id)] = totals.get((purpose, basis, case_id), 0) + n
        if purpose == "russian-concern" and n and phase in phases:
            first[(basis, case_id)] = min(first.get((basis, case_id), len(phases)), phases.index(phase))
    bases = sorted({b for _, _, b in counts})
    emergence = {b: [phases[first[(b, c)]] if (b, c) in first else None for c in cases] for b in bases}
    columns = ", ".join(_ident(n) for n in parameters)
    x = np.array(con.execute(f"SELECT {columns} FROM cases ORDER BY case_id").fetchall(), float).reshape(len(cases), -1)
    outputs = {("stated", "architecture"): [totals.get(("stated", "architecture", c), 0) for c in cases]}
    for b in bases:
        outputs[("russian-concern", b)] = [totals.get(("russian-concern", b, c), 0) for c in cases]
        outputs[("emergence", b)] = [first.get((b, c), len(phases)) for c in cases]
    movers = {}
    for key, y in outputs.items():
        # the bounding cue ignores the radars: their values cannot move its answers, any index there is noise
        ranked = [(index, name) for k, name in enumerate(parameters)
                  if not (key[1] == "bounding" and name.startswith("sensor."))
                  and (index := first_order_index(x[:, k], np.array(y, float))) is not None]
        movers[key] = max(ranked)[::-1] if ranked else None
    return {"cases": len(cases), "counts": counts, "emergence": emergence, "movers": movers,
            "bins": sensitivity_bins(len(cases))}


@dataclass
class SweepOdds:
    """What a sweep says of each flight and phase, beside an assessment's verdicts (``assess --uncertainty``).

    ``flights``: (phase, cue basis, flight id) -> (fraction of cases in which some site of the phase
    can engage the flight, Wilson low, Wilson high); ``phases``: (phase, purpose, cue basis) -> the
    :func:`by_phase` row; ``left_out``: the ranges not swept, each with the reason."""

    folder: str
    manifest: dict
    flights: dict
    phases: dict
    convergence: dict
    sensitivity: list
    left_out: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # answer_ranges
    guarantee: dict = field(default_factory=dict)  # guarantee.limit_ranges of the answers' key site
    plan: object = None  # the sweep.Sweep the cases were drawn by (for what is computed on them afterwards)

    def count_range(self, phase: str, purpose: str, basis: str, central: int | None = None) -> str:
        """Fewest to most flights engageable over the cases and the ``central`` value (the catalog's values, a point
        of the same ranges): "125-288", or "6" where they agree; "" where the run has no such count."""
        found = self.answers.get("counts", {}).get((phase, purpose, basis))
        if found is None:
            return ""
        low, high = found if central is None else (min(found[0], central), max(found[1], central))
        return f"{low}" if low == high else f"{low}-{high}"

    def mover_words(self, key: tuple) -> str:
        """The parameter that moves an answer most, with its index and what the estimate rests on."""
        found = self.answers.get("movers", {}).get(key)
        cases = self.answers.get("cases", 0)
        if found is None:
            return f"it does not vary over the {cases} cases"
        return (f"moves it most: {found[0]} (first-order index {found[1]:.2f}, {cases} cases in "
                f"{self.answers.get('bins', 0)} bins: indicative)")

    def emergence_words(self, basis: str) -> str:
        """How often each phase is the first with an engageable Russian flight, over the cases."""
        found = self.answers.get("emergence", {}).get(basis)
        if not found:
            return ""
        tally: dict = {}
        for phase in found:
            tally[phase] = tally.get(phase, 0) + 1
        parts = [f"{phase if phase is not None else 'no phase'} in {n} of {len(found)}"
                 for phase, n in sorted(tally.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
        return ", ".join(parts)

    def limit_words(self) -> str:
        """The key site's speed limit over the cases: its lowest and highest (or none needed up to the catalog speed)."""
        g = self.guarantee
        if not g:
            return ""
        values = [v for v, top in zip(g["speed_limit_km_s"], g["at_top"]) if v is not None and not top]
        tops = sum(g["at_top"])
        below = sum(v is None for v in g["speed_limit_km_s"])
        parts = []
        if values:
            parts.append(f"{min(values):.2f}" + (f"-{max(values):.2f}" if max(values) > min(values) else "") + " km/s"
                         + f" in {len(values)} of {g['cases']} cases")
        if tops:
            parts.append(f"none needed up to its catalog speed in {tops}")
        if below:
            parts.append(f"below the slowest swept speed in {below}")
        mover = ("" if g["mover"] is None else
                 f"; moves it most: {g['mover'][0]} (first-order index {g['mover'][1]:.2f}, indicative)")
        return f"{g['site']} ({g['interceptor']}): " + ", ".join(parts) + mover

    def flight(self, phase: str, basis: str, flight_id: int):
        return self.flights.get((phase, basis, int(flight_id)))

    def phase(self, phase: str, purpose: str, basis: str):
        return self.phases.get((phase, purpose, basis))


def sweep_odds(folder: Path, left_out=()) -> SweepOdds:
    """The :class:`SweepOdds` of a finished sweep folder (its results and summary.json)."""
    import json

    folder = Path(folder)
    summary = json.loads((folder / "summary.json").read_text())
    table = engageable_probability(connect(folder), ["phase", "cue_basis", "flight_id"]).to_pylist()
    flights = {(r["phase"], r["cue_basis"], int(r["flight_id"])):
               (r["engageable_fraction"], r["wilson_low_fraction"], r["wilson_high_fraction"]) for r in table}
    phases = {(r["phase"], r["purpose"], r["cue_basis"]): r for r in summary["by_phase"]}
    con = connect(folder)
    order = [r[0] for r in con.execute("SELECT phase FROM results GROUP BY phase ORDER BY min(phase_date), phase")
             .fetchall()] if "phase_date" in _columns(con, "results") else sorted({r["phase"] for r in summary["by_phase"]})
    answers = answer_ranges(con, [p["parameter"] for p in summary["manifest"]["parameters"]], order)
    return SweepOdds(str(folder), summary["manifest"], flights, phases, summary["convergence"], summary["sensitivity"],
                     list(left_out), answers)
