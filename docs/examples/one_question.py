# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Can Phase 3 from Redzikowo reach Russian ICBMs bound for the US, and with what margin?
#
# One question, end to end, through the library (`docs/api.md`): a scenario of the question, its
# assessment (`sc.assess`), the best pair looked at on its own (`sc.engage`), and the limits at which
# the answer turns (`sc.guarantee`). Jupyter opens this file as a notebook (py:percent cells; with the
# jupytext extension); `python docs/examples/one_question.py` runs it as a script.
#
# The scenario is the EPAA's Phase 3 site in Poland (SM-3 Block IIA at Redzikowo, its own SPY-1 cued by
# the AN/TPY-2 at Kurecik) against a few of the Russian ICBM routes of the built-in threat sets, kept
# small so that the whole walk takes about a minute. `sc.assess("epaa")` asks the same of every phase,
# site and route (a few minutes).

# %%
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow.compute as pc

import shieldcheck as sc

HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # a script, or Jupyter in this folder
scenario_file = HERE / "redzikowo-phase-3.toml"  # a scenario file: open it to see how one is written
folder = Path(tempfile.mkdtemp(prefix="one-question-"))  # where the outputs go

# %% [markdown]
# ## 1. The assessment
#
# Every route against the site, under the two cue bases: `architecture` (the site's own radars, cued by
# Kurecik) and `bounding` (an interceptor launched 105 + 30 s after the threat, however the radars
# look: the bound the Russian concern is tested against). `uncertainty=0` leaves out the run over the
# catalog's ranges (the command's default is 8 cases).

# %%
result = sc.assess(scenario_file, uncertainty=0)
result.explain()  # what `shieldcheck assess` prints

# %% [markdown]
# The verdicts are a table (`result.results`, as results.parquet): one row per route, site and cue basis,
# each with its reason and, where it applies, its margin (s early, +; late, -).

# %%
rows = result.results
russian = rows.filter(pc.equal(rows["purpose"], "russian-concern"))
for basis in ("architecture", "bounding"):
    verdicts = russian.filter(pc.equal(russian["cue_basis"], basis))["verdict"].to_pylist()
    print(f"{basis} cue: {dict(Counter(verdicts))}")

flights = {r["flight_id"]: r for r in result.flights.to_pylist()}
bounding = sorted((r for r in russian.to_pylist() if r["cue_basis"] == "bounding" and r["margin_s"] is not None),
                  key=lambda r: -r["margin_s"])
best = bounding[0]
route = flights[best["flight_id"]]
print(f"best margin: {route['missile']} {route['launch']} -> {route['aim']} ({route['trajectory']}): "
      f"{best['verdict']}, {best['margin_s']:+.0f} s")

# %% [markdown]
# ## 2. The best pair on its own
#
# `sc.engage` evaluates one route against one site, with the reason for its verdict and the point of
# intercept. The bounding row launches 105 s (the cue) + 30 s (the decision time) after the threat:
# the same pair here, so the margin is the row's.

# %%
pair = sc.engage(route["missile"], route["launch"], route["aim"], trajectory=route["trajectory"],
                 interceptor="SM-3 Block IIA", site="Redzikowo", cueing="delay:105", launch_delay_s=30.0)
pair.explain()  # what `shieldcheck engage` prints
assert pair.verdict == best["verdict"] and abs(pair.margin_s - best["margin_s"]) < 0.01
print(pair.summary.select(["verdict", "margin_s", "window_earliest_s", "window_latest_s", "closing_speed_km_s"]))

# %% [markdown]
# ## 3. Where the answer turns
#
# `sc.guarantee` sweeps the interceptor's burnout speed (its stage model rescaled) and the time from the
# threat's launch to the interceptor's: the largest speed and the earliest launch at which no Russian
# flight of the scenario is engageable. A few values keep it quick; the command's defaults sweep 2-7 km/s
# and 0-900 s.

# %%
limits = sc.guarantee(scenario_file, sites=["Redzikowo"], speeds_km_s="3.0,3.5,4.0,4.5", delays_s="60,135,240")
limits.explain()  # what `shieldcheck guarantee` prints
print(limits.sites.select(["site", "catalog_speed_km_s", "speed_limit_km_s", "cueing_limit_s"]).to_pylist())

# %% [markdown]
# ## 4. Keeping the answer
#
# Each result writes what its command writes: `result.write(folder)` the report, its tables and the
# explorer's view (`shieldcheck serve folder` shows them on a globe), as `shieldcheck assess --out folder`;
# `limits.write(folder)` guarantee.json and its chart.

# %%
limits.write(folder / "limits")
print(sorted(p.name for p in (folder / "limits").iterdir()))
