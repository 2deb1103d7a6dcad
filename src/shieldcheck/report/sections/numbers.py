"""The numbers game: per phase, the Russian warheads the deployed interceptors could destroy at most
against the deterrent, each raid's expected leakage, the sweeps and the rules
(:func:`shieldcheck.attrition.numbers`)."""

from __future__ import annotations

import html

from ... import attrition
from ..context import Context
from ..markup import DASH, fmt, howto, html_table


def test_record_cells(ctx: Context, posterior: dict | None, site: dict) -> list[str]:
    """A site's interval from its interceptor's test records (attrition.json): the posterior Pk's 5th-95th
    percentiles and the warheads destroyed at most at them; a dash with its reason where the interceptor has
    no counted test record (the prior alone would be the interval: the data do not support one)."""
    if posterior is None or not posterior["hits"] + posterior["misses"]:
        return [DASH + ctx.notes.mark("no counted intercept test of this interceptor: its Pk posterior would be the "
                                      "prior alone (shieldcheck catalog tests)"), DASH]
    pk, destroyed = posterior["percentiles"], site["destroyed_at_most_test_records"]
    return [f"{pk['p05']:.2f}-{pk['p95']:.2f} ({posterior['hits']} of {posterior['hits'] + posterior['misses']} hits)",
            f"{fmt(destroyed['at_pk_p05'], ',.1f')}-{fmt(destroyed['at_pk_p95'], ',.1f')}"]


def numbers(ctx: Context) -> str:
    """The numbers game's assumptions as stated, then per phase its sentences and table, the Pk sweeps, the raids
    and the rules."""
    data = attrition.numbers(ctx.facts.assessment)
    a = data["assumptions"]
    pk, doctrine, decoys, told = a["single_shot_pk"], a["shot_doctrine"], a["decoys_per_warhead"], a["deterrent"]
    bases = [b for b in ctx.facts.bases if data["phases"] and b in data["phases"][0]["russian"]]

    def stated(item: dict, what: str) -> str:
        origin = ("stated by the scenario" if item["stated"] else
                  "NOT stated by the scenario: shieldcheck's default")
        flag = "an estimate" if item["estimate"] else "a published value"
        return (f"<li>{what}: <strong>{html.escape(str(item['value']))}</strong> ({origin}; source "
                f"<code>{html.escape(item['source'])}</code>, {flag})"
                + (f": {html.escape(item['note'])}" if item.get("note") else "") + "</li>")

    parts = ['<section id="numbers"><h2>The numbers game</h2>',
             howto("Kinematics says which flights a site could reach; this section asks how many warheads the "
                   "interceptors actually deployed could destroy, and how many of a raid would get through. "
                   "Each engageable Russian route counts as one missile flown at the defence, so the Russian "
                   "figure is an upper bound; it is compared with the size of the deterrent. The rules are "
                   "listed below and in docs/model.md; every number is also in attrition.json."),
             "<ul>", stated(pk, "single-shot kill probability Pk"), stated(doctrine, "shot doctrine"),
             stated(decoys, "decoys per warhead (not discriminated: each spends interceptors like a warhead)"),
             f"<li>deterrent: <strong>{told['warheads']:,}</strong> warheads ({html.escape(told['name'])}; "
             f"<code>{html.escape(told['source'])}</code>: {html.escape(told['citation'])}). "
             f"{html.escape(told['note'] or '')}</li></ul>"]
    posteriors = a["test_records"]["posteriors"]
    for p in data["phases"]:
        label = p["phase"] + (f" (cancelled {p['cancelled']})" if p["cancelled"] else "")
        parts.append(f"<h3>{html.escape(label)}</h3>")
        for b in bases:
            parts.append(f'<p class="finding">{html.escape(p["russian"][b]["sentence"])}</p>')
        for raid in p["raids"]:
            parts.append(f"<p>{html.escape(attrition.raid_sentence(raid, 'architecture'))}</p>")
        rows = []
        for site in p["sites"]:
            count = (fmt(site["count"], ",.0f") + f" ({site['count_source']}"
                     + (", estimate" if site["count_estimate"] else "") + ")") if site["count"] is not None \
                else DASH + ctx.notes.mark("the scenario states no interceptor count for this site: it is not "
                                           "limited in the numbers game")
            cells = [html.escape(site["site"]), html.escape(site["interceptor"]), html.escape(count)
                     if site["count"] is not None else count]
            for b in bases:
                mine = next(x for x in p["russian"][b]["sites"]
                            if (x["site"], x["interceptor"]) == (site["site"], site["interceptor"]))
                cells += [fmt(mine["engageable_flights"], ",.0f"), fmt(mine["destroyed_at_most"], ",.1f")]
            cells += test_record_cells(ctx, posteriors.get(site["interceptor"]), mine)  # mine: the last basis's
            rows.append(cells)
        header = ["site", "interceptor", "interceptors (source)"]
        for b in bases:
            header += [f"Russian flights engageable ({b})", f"warheads destroyed at most ({b})"]
        header += ["test-record Pk, 5th-95th percentile", f"destroyed at most at those Pks ({bases[-1]})"]
        parts.append(html_table(header, rows, set(range(3, len(header)))))
    sweep_header = ["phase"] + [f"Pk {x:g}" for x in a["pk_sweep"]]
    sweep_rows = []
    for p in data["phases"]:
        basis = bases[-1]
        sweep_rows.append([html.escape(p["phase"])] + [fmt(x["russian_destroyed_at_most"][basis], ",.1f")
                                                      for x in p["pk_sweep"]])
    parts.append(f"<h3>Sweeps</h3><p>Russian warheads destroyed at most ({html.escape(bases[-1])} cue), "
                 "at each single-shot kill probability:</p>" + html_table(sweep_header, sweep_rows,
                                                                     set(range(1, len(sweep_header)))))
    for raid in data["raids"]:
        raid_rows = []
        for p in data["phases"]:
            values = [x["raid_expected_leaking_warheads"][raid["name"]]["architecture"] for x in p["pk_sweep"]]
            raid_rows.append([html.escape(p["phase"])] + [
                fmt(v, ",.2f") if v is not None else DASH + ctx.notes.mark(
                    "no flight of the raid's threat set can be flown") for v in values])
        parts.append(f"<p>Raid '{html.escape(raid['name'])}' ({raid['missiles']:,} missiles, "
                     f"{html.escape(raid['source'])}{', estimate' if raid['estimate'] else ''}; drawn from "
                     f"{raid['pool_flown']:,} flyable of {raid['pool_flights']:,} flights of "
                     f"'{html.escape(raid['threat_set'])}'): expected leaking warheads at each Pk "
                     "(architecture's cueing)</p>" + html_table(sweep_header, raid_rows, set(range(1, len(sweep_header)))))
    # the test-record posterior beside the point values, and the deterrent's treaty status (attrition.py)
    parts.append("<h3>Kill probability from the test records</h3>" + "".join(
        f"<p>{html.escape(x)}</p>" for x in [told.get("treaty", {}).get("sentence", ""),
                                              *attrition.posterior_sentences(data, bases[-1])] if x))
    parts.append("<h3>Rules</h3><ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in
                                                a["rules"] + a["test_records"]["rules"]) + "</ul>")
    parts.append("</section>")
    return "".join(parts)
