"""Sources: every source the scenario cites, then those of the catalog records it uses (missiles,
interceptors, sensors, sites and drag tables), each with the records that cite it."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from ... import catalog
from ..context import Context
from ..facts import Facts
from ..markup import howto, html_table
from . import early_phase


def sources(ctx: Context) -> str:
    """The sources table: key, citation (with its link) and the records that cite it."""
    cat = catalog.load()
    cited: dict[str, list[str]] = defaultdict(list)
    for key in ctx.scenario.source_keys():
        cited[key].append("scenario")
    for key in early_phase.CONTEXT_SOURCES if ctx.early_phase is not None else ():
        cited[key].append(early_phase.TITLE.lower())
    for key, what in _catalog_keys(ctx.scenario, ctx.facts):
        if what not in cited[key]:
            cited[key].append(what)
    rows = []
    for key, users in cited.items():
        record = cat.sources.get(key)
        if record is None:
            continue
        text = html.escape(record.citation)
        url = getattr(record, "url", None)
        if url and re.match(r"https?://", url):
            text += f' <a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
        if getattr(record, "accessed", None):
            text += html.escape(f" (accessed {record.accessed})")
        shown = users[:6]
        more = f" and {len(users) - 6} more" if len(users) > 6 else ""
        rows.append([f"<code>{html.escape(key)}</code>", text, html.escape(", ".join(shown) + more)])
    return ('<section id="sources"><h2>Sources</h2>'
            + howto("Every source the scenario cites, then those of the catalog records it uses (missiles, "
                    "interceptors, sensors, sites and drag tables). Keys are those of the assumptions and of "
                    "the catalog files. Links lead to the cited documents and are not needed to read this "
                    "report.")
            + html_table(["key", "citation", "cited by"], rows) + "</section>")


def _catalog_keys(scenario, facts: Facts) -> list[tuple[str, str]]:
    """(source key, record name) of the catalog records the scenario uses."""
    cat = catalog.load()
    out: list[tuple[str, str]] = []

    def walk(obj, what: str):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "source" and isinstance(v, str):
                    out.append((v, what))
                else:
                    walk(v, what)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v, what)

    def record(table: str, name: str):
        try:
            real = cat.find(table, name)
        except Exception:
            return None
        return {"missile": cat.missiles, "interceptor": cat.interceptors, "sensor": cat.sensors,
                "site": cat.sites}[table].get(real)

    missiles = sorted({x["missile"] for x in facts.flights.values()})
    interceptors = sorted({s.interceptor for p in scenario.phases for s in p.sites})
    sensors = sorted({n for p in scenario.phases for s in p.sites for n in (*s.sensors, *s.cue_sensors)})
    sites = {s.site for p in scenario.phases for s in p.sites}
    sites |= {x[k] for x in facts.flights.values() for k in ("launch", "aim")}
    for table, names in (("missile", missiles), ("interceptor", interceptors), ("sensor", sensors)):
        for name in names:
            rec = record(table, name)
            if rec is None:
                continue
            walk(rec.model_dump(), rec.name)
            drags = []
            if table == "missile":
                drags = [rec.reentry_vehicle.drag_table, rec.body.drag_table]
            elif table == "interceptor":
                drags = [rec.payload.drag_table]
            for d in drags:
                if d in cat.drag:
                    out.append((cat.drag[d].source, f"drag table {d}"))
            if table == "sensor" and getattr(rec, "site", None):
                sites.add(rec.site)
    for name in sorted(sites):
        rec = record("site", name)
        if rec is not None:
            walk(rec.model_dump(), rec.name)
    return out
