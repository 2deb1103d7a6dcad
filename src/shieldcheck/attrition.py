"""The numbers game: how many warheads the deployed interceptors could destroy, and how many leak.

Kinematics (:mod:`shieldcheck.assess`) says which (flight, site) pairs are engageable and how many
shot opportunities each has. This module adds what kinematics leaves out: each site's interceptor
inventory (the scenario's cited ``count``), a single-shot kill probability and a shot doctrine
(scenario ``[assumptions]`` ``single_shot_pk`` and ``shot_doctrine``), the warheads per missile
(catalog ``warheads``), the decoys per warhead (``decoys_per_warhead``), and the raids of the
scenario (``[[raid]]``). Every rule below is a stated assumption (docs/model.md, "The numbers game").

* **Targets.** Each engageable flight stands for one missile launched on that route, carrying w
  warheads. Each warhead comes with d decoys that the defence does not discriminate: every one of
  the w (1 + d) objects is engaged like a warhead and spends interceptors like one, so by symmetry
  a share 1 / (1 + d) of the interceptors fired fall on warheads. Intercepts are taken after the
  post-boost vehicle has released its warheads and decoys: one interceptor destroys at most one
  object (a kill before release, which would take every warhead of the missile, is not counted).
* **Doctrine.** ``shoot-look-shoot``: one interceptor at a time at an object, the next only after a
  miss and only while the pair has a shot opportunity left (k = the row's ``shots``: each further
  shot launched ``shoot_look_shoot_s`` after the previous intercept and still arriving in the window,
  ``engagement.shot_opportunities``). The object is destroyed with P = 1 − (1 − Pk)^k and costs
  E[n] = (1 − (1 − Pk)^k) / Pk interceptors (k when Pk = 0). ``salvo:N``: N interceptors at once at
  the first opportunity, no look: P = 1 − (1 − Pk)^N, n = N.
* **Inventory.** A site fires at most its ``count`` interceptors. A site whose count the scenario
  does not state is not limited here, and every output says so.

**Warheads destroyed at most** (per phase, cue basis and site), against the Russian-concern
flights: all engageable flights fly at once and the defence uses every opportunity. With I
interceptors, shoot-look-shoot destroys Pk · E[min(I, S)] / (1 + d) warheads in expectation, where
S = Σ S_o is the number of interceptors the objects would need without a limit (S_o = min(G, k_o),
G geometric with parameter Pk): each shot at a live object kills with probability Pk, so expected
kills are Pk times expected shots, whatever the order (:func:`expected_shots` computes the
distribution of S exactly, capped at I). Without a limit this is Σ_warheads 1 − (1 − Pk)^k. A
salvo of N engages min(objects, ⌊I / N⌋) objects and destroys (1 − (1 − Pk)^N) · engaged / (1 + d)
warheads. A phase's sites are summed (each with its own inventory and its own engageable flights)
and capped at the warheads on the flights some site can engage. The result is compared with a
deterrent of the catalog (New START's 1,550 deployed warheads): an upper bound, because it counts
every engageable route as a missile flown at the defence and no warhead flies beyond an
interceptor's reach twice.

**Raid leakage**: a raid (``[[raid]]``) of N missiles is drawn uniformly from the flights of its
threat set (from its launch areas) that the missiles can fly; each missile is engaged by the one
site of the phase with the most shot opportunities against it (its k). A warhead of an engaged
missile leaks with P = (1 − Pk)^k under shoot-look-shoot, (1 − Pk)^N under a salvo of N; one of
a missile no site can engage leaks with P = 1. Inventory: site s is asked for
D_s = (N / m) Σ_f w_f (1 + d) E[n_f] interceptors over the m flights of the pool assigned to it;
when D_s exceeds its count I_s, a share I_s / D_s of its missiles is engaged and the rest leak
(an expected-value account of exhaustion, stated as such). Expected leaking warheads:
(N / m) Σ_f w_f [φ_s P_leak,f + (1 − φ_s)], with φ_s = min(1, I_s / D_s).

**Test records** (:mod:`shieldcheck.kill_probability`): beside the point value (the scenario's
``single_shot_pk``, or the notional default), every output is also given with each site's Pk drawn
from the Beta posterior of its interceptor's test records, at the posterior's 5th, 50th and 95th
percentiles (``..._test_records``: ``at_pk_p05``, ``at_pk_p50``, ``at_pk_p95``). Warheads destroyed
never fall and expected leakers never rise when any site's Pk rises (each shot at a live object
kills with probability Pk; a site's interceptors asked per missile fall as Pk rises), so with every
interceptor at the same percentile of its own posterior (the interceptors' Pks taken as perfectly
rank-correlated) the model's output at the q-th Pk percentile is the q-th percentile of warheads
destroyed and the (100 − q)-th percentile of leakers: the three values are a median and a central
90 % interval. **The deterrent** compared with is the scenario's ``[assumptions] deterrent`` (or the
catalog's New START limit, said so), with the treaty's status on the scenario's assessment date.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Iterable, Literal

import numpy as np

from . import aggregate, limits
from . import kill_probability as kp
from .errors import InputError

PK_SWEEP = (0.2, 0.5, 0.8, 0.9, 1.0)  # single-shot kill probabilities every output is also given at
DECOY_SWEEP = (0, 1, 3, 10)  # undiscriminated decoys per warhead (endgame-sources: sweep 0-10)
DETERRENT = "New START"  # the catalog deterrent the Russian numbers are compared with
# Used only when a scenario states none; said so in every output.
DEFAULT_PK = {"value": 0.8, "source": "ACT17", "estimate": True,
              "note": "NOTIONAL default of shieldcheck (the scenario states no single_shot_pk): the Aegis BMD "
                      "test record, 34 intercepts in 41 attempts (ACT17; 22 of 27, MDA11), is not an operational "
                      "kill probability (scripted tests, no realistic decoys); critics count 10-20 % warhead "
                      "kills (NYT10); swept 0.2-1.0"}
DEFAULT_DOCTRINE = {"value": "shoot-look-shoot", "source": "MODEL", "estimate": True,
                    "note": "default of shieldcheck (the scenario states no shot_doctrine): one interceptor at a "
                            "time while the pair has shot opportunities"}


@dataclass(frozen=True)
class Doctrine:
    """How many interceptors a site fires at one object: ``shoot-look-shoot`` or ``salvo:N``."""

    rule: Literal["shoot-look-shoot", "salvo"]
    salvo_count: int = 1

    @classmethod
    def parse(cls, text: str) -> "Doctrine":
        """``"shoot-look-shoot"`` or ``"salvo:N"`` (N a whole number, 1 to 100); else InputError."""
        size = limits.bound("salvo_size")
        allowed = ("shoot-look-shoot", f"salvo:N (N from {size.low:g} to {size.high:g})")
        if not isinstance(text, str):
            raise limits.not_allowed("shot doctrine", text, allowed)
        name, _, count = text.strip().lower().partition(":")
        if name == "shoot-look-shoot" and not count:
            return cls("shoot-look-shoot")
        if name == "salvo":
            try:
                n = float(count)
            except ValueError:
                n = count  # not a number: refused as such
            return cls("salvo", int(size.check(n, f"shot doctrine {limits.shown(text)}: salvo size")))
        raise limits.not_allowed("shot doctrine", text, allowed, suggest=("shoot-look-shoot", "salvo"))

    def __str__(self) -> str:
        return self.rule if self.rule == "shoot-look-shoot" else f"salvo:{self.salvo_count}"

    def kill_probability(self, pk: float, opportunities: int) -> float:
        """P(an engaged object is destroyed): 1 − (1 − Pk)^k (shoot-look-shoot) or 1 − (1 − Pk)^N (salvo)."""
        if opportunities < 1:
            return 0.0
        shots = opportunities if self.rule == "shoot-look-shoot" else self.salvo_count
        return 1.0 - (1.0 - pk) ** shots

    def interceptors_per_object(self, pk: float, opportunities: int) -> float:
        """Expected interceptors spent on one engaged object: (1 − (1 − Pk)^k) / Pk, k at Pk = 0; N for a salvo."""
        if opportunities < 1:
            return 0.0
        if self.rule == "salvo":
            return float(self.salvo_count)
        return float(opportunities) if pk == 0 else (1.0 - (1.0 - pk) ** opportunities) / pk


def check_pk(pk, what: str = "single_shot_pk") -> float:
    """A single-shot kill probability: a finite number from 0 to 1; else InputError."""
    return float(limits.check("single_shot_pk", pk, what))


def site_pk(pk: float | Mapping[str, float], interceptor: str) -> float:
    """The single-shot Pk of a site's interceptor: ``pk`` itself, or ``pk[interceptor]`` when ``pk`` maps
    catalog interceptor names to kill probabilities (each site its own interceptor's Pk)."""
    if isinstance(pk, Mapping):
        if interceptor not in pk:
            raise InputError(f"single_shot_pk: no value for interceptor {interceptor!r} (given for "
                             f"{', '.join(map(repr, pk)) or 'none'})")
        return check_pk(pk[interceptor], f"single_shot_pk[{interceptor!r}]")
    return check_pk(pk)


def _check_inventory(inventory) -> int | None:
    if inventory is None:
        return None
    if isinstance(inventory, bool) or not isinstance(inventory, (int, np.integer)) or inventory < 0:
        raise InputError(f"inventory = {inventory!r}: give a whole number of interceptors (0 or more), or None "
                         "for a site whose count is not stated")
    return int(inventory)


def _capped_convolve(a: np.ndarray, b: np.ndarray, cap: int) -> np.ndarray:
    """The distribution of the sum of two independent counts, each given over 0..cap with the last bin
    holding everything at or above cap; the result in the same form."""
    full = np.convolve(a, b)
    out = full[:cap + 1].copy()
    out[cap] += full[cap + 1:].sum()
    return out


def expected_shots(objects: dict[int, int], pk: float, inventory: int | None) -> float:
    """E[min(I, S)]: interceptors shoot-look-shoot fires at objects grouped as {opportunities k: count}.

    S = Σ_o min(G_o, k_o) with G_o geometric (P(G = j) = Pk (1 − Pk)^(j−1)): the shots each object
    needs until it is destroyed or its opportunities run out. Without an inventory (None), E[S] =
    Σ (1 − (1 − Pk)^k) / Pk. With one, the distribution of S is built exactly by convolution, capped
    at I (powers by repeated squaring), and E[min(I, S)] read from it.
    """
    pk = check_pk(pk)
    inventory = _check_inventory(inventory)
    doctrine = Doctrine("shoot-look-shoot")
    groups = {int(k): int(n) for k, n in objects.items() if int(k) >= 1 and int(n) > 0}
    unlimited = sum(n * doctrine.interceptors_per_object(pk, k) for k, n in groups.items())
    if inventory is None or inventory >= sum(k * n for k, n in groups.items()):
        return unlimited
    cap = inventory
    total = np.zeros(cap + 1)
    total[0] = 1.0
    for k, n in groups.items():
        one = np.zeros(cap + 1)
        for j in range(1, k + 1):  # P(S_o = j): a kill at shot j < k, or the k-th shot whatever it does
            one[min(j, cap)] += pk * (1.0 - pk) ** (j - 1) if j < k else (1.0 - pk) ** (k - 1)
        power = one
        while n:
            if n & 1:
                total = _capped_convolve(total, power, cap)
            n >>= 1
            if n:
                power = _capped_convolve(power, power, cap)
    return float(np.dot(np.arange(cap + 1), total))


def warheads_destroyed_at_most(targets: Iterable[tuple[int, int]], inventory: int | None, pk: float,
                               doctrine: Doctrine | str, decoys_per_warhead: int = 0) -> float:
    """Expected warheads one site destroys when every target flies at it at once (the module's rules).

    ``targets``: (warheads, shot opportunities) of each engageable missile; ``inventory``: the site's
    interceptors (None: not stated, not limited). Returns expected warheads destroyed (not decoys).
    """
    pk = check_pk(pk)
    inventory = _check_inventory(inventory)
    doctrine = Doctrine.parse(doctrine) if isinstance(doctrine, str) else doctrine
    if decoys_per_warhead < 0 or decoys_per_warhead != int(decoys_per_warhead):
        raise InputError(f"decoys_per_warhead = {decoys_per_warhead!r}: give a whole number, 0 or more")
    spread = 1 + int(decoys_per_warhead)
    targets = [(int(w), int(k)) for w, k in targets if int(k) >= 1 and int(w) >= 1]
    if doctrine.rule == "shoot-look-shoot":
        objects: dict[int, int] = defaultdict(int)
        for w, k in targets:
            objects[k] += w * spread
        return pk * expected_shots(objects, pk, inventory) / spread
    count = sum(w * spread for w, _ in targets)
    engaged = count if inventory is None else min(count, inventory // doctrine.salvo_count)
    return doctrine.kill_probability(pk, 1) * engaged / spread


@dataclass(frozen=True)
class Settings:
    """The numbers game's assumptions, each as {value, source, estimate, note, stated}; the Pk prior as
    {alpha, beta, source, note, stated}."""

    single_shot_pk: dict
    shot_doctrine: dict
    decoys_per_warhead: dict
    pk_prior: dict

    @property
    def prior(self) -> kp.BetaPrior:
        """The Beta prior of the test-record posterior."""
        p = self.pk_prior
        return kp.BetaPrior(p["alpha"], p["beta"], p["source"], p["note"] or "", p["stated"])

    @property
    def pk(self) -> float:
        return float(self.single_shot_pk["value"])

    @property
    def doctrine(self) -> Doctrine:
        return Doctrine.parse(self.shot_doctrine["value"])

    @property
    def decoys(self) -> int:
        return int(self.decoys_per_warhead["value"])


def settings(scenario) -> Settings:
    """The scenario's stated Pk, doctrine and decoys, or the module's notional defaults (said so)."""
    a = scenario.assumptions

    def stated(item, default: dict) -> dict:
        if item is None:
            return dict(default, stated=False)
        return {"value": item.value, "source": item.source, "estimate": item.estimate, "note": item.note,
                "stated": True}

    decoys = stated(getattr(a, "decoys_per_warhead", None),
                    {"value": 0, "source": "MODEL", "estimate": True,
                     "note": "default of shieldcheck (the scenario states no decoys_per_warhead): no decoys"})
    decoys["value"] = int(decoys["value"])
    pk = stated(getattr(a, "single_shot_pk", None), DEFAULT_PK)
    check_pk(pk["value"])
    doctrine = stated(getattr(a, "shot_doctrine", None), DEFAULT_DOCTRINE)
    Doctrine.parse(doctrine["value"])
    prior = getattr(a, "pk_prior", None)
    if prior is None:
        pk_prior = kp.DEFAULT_PRIOR.as_dict()
    else:
        kp.check_prior(prior.alpha, prior.beta)
        pk_prior = {"alpha": float(prior.alpha), "beta": float(prior.beta), "source": prior.source,
                    "note": prior.note, "stated": True}
    return Settings(pk, doctrine, decoys, pk_prior)


def assessment_date(scenario) -> tuple[datetime.date, bool]:
    """The date the deterrent's status is given on: the scenario's ``[assumptions] assessment_date``, or,
    where it states none, the date of its last phase (said so); and whether the scenario stated it."""
    stated = getattr(scenario.assumptions, "assessment_date", None)
    if stated is not None:
        return stated, True
    return max(p.date for p in scenario.phases), False


def treaty_status(record, on: datetime.date) -> dict:
    """A catalog deterrent's treaty status on a date: ``in force``, ``not yet in force`` or ``expired``
    (``no treaty dates`` where the catalog gives none), its dates, and the last figures declared under it
    by that date (``last_declared``, None if none)."""
    entered, expired = record.entered_into_force, record.expired
    if entered is not None and on < entered.date:
        status = "not yet in force"
    elif expired is not None and on >= expired.date:
        status = "expired"
    elif entered is not None or expired is not None:
        status = "in force"
    else:
        status = "no treaty dates"
    declared = sorted((d for d in record.declared if d.date <= on), key=lambda d: d.date)
    last = declared[-1] if declared else None
    return {"on": on.isoformat(), "status": status,
            "entered_into_force": entered.date.isoformat() if entered else None,
            "entered_into_force_source": entered.source if entered else None,
            "expired": expired.date.isoformat() if expired else None,
            "expired_source": expired.source if expired else None,
            "expired_note": expired.note if expired else None,
            "last_declared": None if last is None else {
                "date": last.date.isoformat(), "party": last.party, "warheads": last.warheads,
                "deployed_launchers": last.deployed_launchers, "source": last.source, "estimate": last.estimate,
                "note": last.note}}


def treaty_sentence(told: dict) -> str:
    """The deterrent's treaty status on the assessment date, in words."""
    t = told.get("treaty")
    if not t or t["status"] == "no treaty dates":
        return ""
    which = ("the scenario's assessment date" if told["assessment_date_stated"] else
             "the date of the scenario's last phase: it states no assessment_date")
    on = f"On {t['on']} ({which})"
    if t["status"] == "in force":
        head = f"{on} {told['name']} was in force (from {t['entered_into_force']}"
        head += f", until {t['expired']})" if t["expired"] else ")"
    elif t["status"] == "not yet in force":
        head = f"{on} {told['name']} was not yet in force (from {t['entered_into_force']})"
    else:
        head = f"{on} {told['name']} had expired (on {t['expired']}, {t['expired_source']}): no treaty limited deployed warheads"
    last = t["last_declared"]
    if last:
        launchers = f" on {last['deployed_launchers']:,} deployed ICBMs, SLBMs and heavy bombers" \
            if last["deployed_launchers"] is not None else ""
        head += (f"; the latest figures {last['party']} declared under it that the catalog holds by then: "
                 f"{last['warheads']:,} deployed warheads{launchers} as of {last['date']} ({last['source']})")
    return head + f". Compared with: {told['warheads']:,} warheads ({told['source']})."


def deterrent(scenario=None) -> dict:
    """The deterrent compared with: the scenario's ``[assumptions] deterrent`` (a catalog deterrent's name and
    the warheads, cited), or the catalog's New START limit where it states none (``stated``: False); with the
    treaty's status on the scenario's assessment date (``treaty``; without a scenario, none)."""
    from . import catalog

    cat = catalog.load()
    choice = getattr(scenario.assumptions, "deterrent", None) if scenario is not None else None
    record = cat.deterrents[cat.find("deterrent", choice.name) if choice is not None else DETERRENT]
    if choice is not None:
        told = {"name": record.name, "warheads": int(choice.warheads), "source": choice.source,
                "estimate": choice.estimate, "citation": cat.sources[choice.source].citation, "note": choice.note,
                "stated": True}
    else:
        told = {"name": record.name, "warheads": int(record.warheads.value), "source": record.warheads.source,
                "estimate": record.warheads.estimate, "citation": cat.sources[record.warheads.source].citation,
                "note": record.warheads.note, "stated": False}
    if scenario is not None:
        on, stated = assessment_date(scenario)
        told.update(assessment_date=on.isoformat(), assessment_date_stated=stated, treaty=treaty_status(record, on))
        told["treaty"]["sentence"] = treaty_sentence(told)
    return told


# ---------------------------------------------------------------------------------------------
# Per phase, from the result rows
# ---------------------------------------------------------------------------------------------

def _site_key(row: dict) -> tuple[str, str]:
    return row["site"], row["interceptor"]


def russian_bound(rows: list[dict], pk: float | Mapping[str, float], doctrine: Doctrine, decoys: int,
                  counts: dict[tuple[str, str], int | None], flights_total: int, deterrent_warheads: int) -> dict:
    """The warheads one phase's sites could destroy at most, from its Russian-concern rows of one cue basis.

    ``counts``: every site of the phase, (site, interceptor) -> inventory (None: not stated); ``pk``: one
    single-shot kill probability, or one per catalog interceptor (:func:`site_pk`).
    """
    by_site: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["verdict"] == "feasible":
            by_site[_site_key(r)].append(r)
    sites = []
    for key, inventory in counts.items():
        engaged = by_site.get(key, [])
        targets = [(int(r["warheads"] or 1), int(r["shots"] or 0)) for r in engaged]
        sites.append({"site": key[0], "interceptor": key[1], "count": inventory,
                      "engageable_flights": len(engaged), "warheads_on_engageable_flights": sum(w for w, _ in targets),
                      "destroyed_at_most": warheads_destroyed_at_most(targets, inventory, site_pk(pk, key[1]),
                                                                      doctrine, decoys)
                      if engaged else 0.0})
    engageable = {r["flight_id"]: int(r["warheads"] or 1) for r in rows if r["verdict"] == "feasible"}
    on_flights = sum(engageable.values())
    total = min(sum(s["destroyed_at_most"] for s in sites), float(on_flights))
    return {"flights": len({r["flight_id"] for r in rows}) if rows else flights_total,
            "engageable_flights": len(engageable), "warheads_on_engageable_flights": on_flights,
            "interceptors_stated": sum(s["count"] for s in sites if s["count"] is not None and s["engageable_flights"]),
            "sites_without_count": [f"{s['site']} ({s['interceptor']})" for s in sites
                                    if s["count"] is None and s["engageable_flights"]],
            "destroyed_at_most": total, "deterrent_fraction": total / deterrent_warheads, "sites": sites}


def raid_leakage(pool: list[dict], rows: list[dict], missiles: int, pk: float | Mapping[str, float],
                 doctrine: Doctrine, decoys: int, counts: dict[tuple[str, str], int | None]) -> dict:
    """Expected leakers of a raid of ``missiles`` drawn from ``pool`` (its flights: flight_id, warheads,
    flown), against one phase's rows of one cue basis (the module's rules); ``pk`` as in :func:`russian_bound`."""
    flown = [f for f in pool if f.get("flown")]
    out = {"missiles": missiles, "pool_flights": len(pool), "pool_flown": len(flown)}
    if not flown:
        return dict(out, raid_warheads=None, expected_leaking_warheads=None, expected_leaking_missiles=None, engageable_share=0.0,
                    sites=[], reason="no flight of the raid's threat set can be flown (every aim point is beyond "
                                     "the missiles' reach)")
    best: dict[int, dict] = {}
    for r in rows:
        if r["verdict"] == "feasible" and (r["flight_id"] not in best or r["shots"] > best[r["flight_id"]]["shots"]):
            best[r["flight_id"]] = r
    each = missiles / len(flown)  # expected raid missiles on each flight of the pool
    demand: dict[tuple, float] = defaultdict(float)
    for f in flown:
        r = best.get(f["flight_id"])
        if r is not None:
            demand[_site_key(r)] += each * int(f["warheads"]) * (1 + decoys) * doctrine.interceptors_per_object(
                site_pk(pk, r["interceptor"]), int(r["shots"]))
    served = {key: 1.0 if counts.get(key) is None or d <= counts[key] else counts[key] / d
              for key, d in demand.items()}
    warheads = leaking_missiles = 0.0
    raid_warheads = each * sum(int(f["warheads"]) for f in flown)
    for f in flown:
        w = int(f["warheads"])
        r = best.get(f["flight_id"])
        if r is None:
            warheads += each * w
            leaking_missiles += each
            continue
        share = served[_site_key(r)]
        leak = 1.0 - doctrine.kill_probability(site_pk(pk, r["interceptor"]), int(r["shots"]))
        warheads += each * w * (share * leak + (1.0 - share))
        leaking_missiles += each * (share * (1.0 - (1.0 - leak) ** w) + (1.0 - share))
    sites = []
    for key, d in sorted(demand.items()):
        inventory = counts.get(key)
        per_missile = d / missiles
        sites.append({"site": key[0], "interceptor": key[1], "count": inventory, "interceptors_asked": d,
                      "exhausted": inventory is not None and d > inventory,
                      "missiles_covered": None if inventory is None else min(float(missiles), inventory / per_missile)})
    return dict(out, raid_warheads=raid_warheads, expected_leaking_warheads=warheads,
                expected_leaking_missiles=leaking_missiles,
                engageable_share=sum(1 for f in flown if f["flight_id"] in best) / len(flown), sites=sites, reason=None)


def numbers(assessment) -> dict:
    """The numbers game of an assessment: per phase and cue basis, the Russian warheads its deployed
    interceptors could destroy at most against New START's 1,550, and the expected leakers of each raid
    of the scenario; every assumption stated; the same at every Pk of ``PK_SWEEP`` and, for the Russian
    bound, every decoy load of ``DECOY_SWEEP``. JSON-ready (no NaN)."""
    scenario = assessment.scenario
    s = settings(scenario)
    told = deterrent(scenario)
    records = posterior_pks(scenario, s.prior)
    rows = assessment.rows()
    flights = assessment.flights.rows
    russian_total = sum(1 for f in flights if aggregate.is_russian(f) and f.get("status") == "flown")
    bases = sorted({r["cue_basis"] for r in rows}, key=["architecture", "bounding"].index) or ["architecture"]
    raids = []
    for raid in getattr(scenario, "raids", ()):
        areas = set(raid.launch_areas) or None
        pool = [{"flight_id": f["flight_id"], "warheads": f["warheads"], "flown": f.get("status") == "flown"}
                for f in flights if raid.threat_set in f.get("threat_sets", ())
                and (areas is None or f["launch"] in areas)]
        raids.append((raid, pool))
    phases = []
    for phase in scenario.phases:
        counts = {(e.site, e.interceptor): (e.count.value if e.count else None) for e in phase.sites}
        entry = {"phase": phase.name, "date": phase.date.isoformat(),
                 "cancelled": phase.cancelled.isoformat() if phase.cancelled else None,
                 "sites": [{"site": e.site, "interceptor": e.interceptor,
                            "count": e.count.value if e.count else None,
                            "count_source": e.count.source if e.count else None,
                            "count_estimate": e.count.estimate if e.count else None,
                            "count_note": e.count.note if e.count else None} for e in phase.sites],
                 "russian": {}, "raids": [], "pk_sweep": [], "decoy_sweep": []}
        mine = [r for r in rows if r["phase"] == phase.name]
        russian = {b: [r for r in mine if aggregate.is_russian(r) and r["cue_basis"] == b] for b in bases}
        for b in bases:
            entry["russian"][b] = russian_bound(russian[b], s.pk, s.doctrine, s.decoys, counts, russian_total,
                                                told["warheads"])
            entry["russian"][b]["sentence"] = sentence(entry, b, s, told)
            at = {key: russian_bound(russian[b], pk_map, s.doctrine, s.decoys, counts, russian_total,
                                     told["warheads"]) for key, pk_map in records["at"].items()}
            entry["russian"][b]["destroyed_at_most_test_records"] = {k: v["destroyed_at_most"] for k, v in at.items()}
            for i, site in enumerate(entry["russian"][b]["sites"]):
                site["destroyed_at_most_test_records"] = {k: v["sites"][i]["destroyed_at_most"] for k, v in at.items()}
        for raid, pool in raids:
            ids = {f["flight_id"] for f in pool}
            item = {"raid": raid.name, "threat_set": raid.threat_set, "missiles": int(raid.missiles.value),
                    "missiles_source": raid.missiles.source, "missiles_estimate": raid.missiles.estimate,
                    "launch_areas": list(raid.launch_areas), "note": raid.note}
            for b in bases:
                basis_rows = [r for r in mine if r["flight_id"] in ids and r["cue_basis"] == b]
                item[b] = raid_leakage(pool, basis_rows, int(raid.missiles.value), s.pk, s.doctrine, s.decoys, counts)
                at = {key: raid_leakage(pool, basis_rows, int(raid.missiles.value), pk_map, s.doctrine, s.decoys,
                                        counts) for key, pk_map in records["at"].items()}
                for name in ("expected_leaking_warheads", "expected_leaking_missiles"):
                    item[b][f"{name}_test_records"] = {k: v[name] for k, v in at.items()}
            entry["raids"].append(item)
        entry["test_records_pk"] = {key: {e.interceptor: pk_map[e.interceptor] for e in phase.sites}
                                    for key, pk_map in records["at"].items()}
        for pk in PK_SWEEP:
            point = {"single_shot_pk": pk,
                     "russian_destroyed_at_most": {b: russian_bound(russian[b], pk, s.doctrine, s.decoys, counts,
                                                                    russian_total, told["warheads"])["destroyed_at_most"]
                                                   for b in bases},
                     "raid_expected_leaking_warheads": {}}
            for raid, pool in raids:
                ids = {f["flight_id"] for f in pool}
                point["raid_expected_leaking_warheads"][raid.name] = {
                    b: raid_leakage(pool, [r for r in mine if r["flight_id"] in ids and r["cue_basis"] == b],
                                    int(raid.missiles.value), pk, s.doctrine, s.decoys, counts)[
                        "expected_leaking_warheads"] for b in bases}
            entry["pk_sweep"].append(point)
        for d in DECOY_SWEEP:
            entry["decoy_sweep"].append({"decoys_per_warhead": d, "russian_destroyed_at_most": {
                b: russian_bound(russian[b], s.pk, s.doctrine, d, counts, russian_total,
                                 told["warheads"])["destroyed_at_most"] for b in bases},
                "russian_destroyed_at_most_test_records": {
                    b: {key: russian_bound(russian[b], pk_map, s.doctrine, d, counts, russian_total,
                                           told["warheads"])["destroyed_at_most"]
                        for key, pk_map in records["at"].items()} for b in bases}})
        phases.append(entry)
    return _rounded({"scenario": scenario.name,
            "assumptions": {"single_shot_pk": s.single_shot_pk, "shot_doctrine": s.shot_doctrine,
                            "decoys_per_warhead": s.decoys_per_warhead,
                            "shoot_look_shoot_s": scenario.assumptions.shoot_look_shoot_s.value,
                            "deterrent": told, "pk_sweep": list(PK_SWEEP), "decoy_sweep": list(DECOY_SWEEP),
                            "test_records": records["summary"], "rules": RULES},
            "raids": [{"name": r.name, "threat_set": r.threat_set, "missiles": int(r.missiles.value),
                       "source": r.missiles.source, "estimate": r.missiles.estimate, "note": r.missiles.note,
                       "launch_areas": list(r.launch_areas), "pool_flights": len(pool),
                       "pool_flown": sum(1 for f in pool if f["flown"])} for r, pool in raids],
            "phases": phases})


def posterior_pks(scenario, prior: kp.BetaPrior = kp.DEFAULT_PRIOR) -> dict:
    """The test-record posterior of every interceptor of the scenario's phases, and the Pk of each at the
    percentiles every output is given at: ``{"at": {"at_pk_p05": {interceptor: pk}, ...}, "summary": {...}}``."""
    names = sorted({e.interceptor for phase in scenario.phases for e in phase.sites})
    posteriors = {name: kp.posterior(name, prior) for name in names}
    at = {f"at_pk_{kp.percentile_key(q)}": {name: post.quantile(q / 100.0) for name, post in posteriors.items()}
          for q in kp.PERCENTILES}
    summary = {"prior": prior.as_dict(), "interval_level": kp.INTERVAL_LEVEL, "percentiles": list(kp.PERCENTILES),
               "posteriors": {name: post.as_dict() for name, post in posteriors.items()},
               "tallies": {name: [{"date": t.date.isoformat(), "system": t.system, "hits": t.hits,
                                   "attempts": t.attempts, "source": t.source, "note": t.note}
                                  for t in kp.tallies(name)] for name in names},
               "sentences": [post.sentence() for post in posteriors.values()],
               "rules": POSTERIOR_RULES}
    return {"at": at, "summary": summary}


POSTERIOR_RULES = [
    "a Beta(a, b) prior of each interceptor's single-shot Pk (uniform Beta(1, 1) unless the scenario states "
    "pk_prior), updated by the hits and misses of its test records: Beta(a + hits, b + misses)",
    "records that count: intercept attempts by the test's own account, hit or miss, against a ballistic target "
    "(no-test rows, satellites and tests flown to collect data count for nothing); a salvo's row is its lead "
    "interceptor's shot",
    "each output is also given with every site's Pk at the 5th, 50th and 95th percentile of its interceptor's "
    "posterior (at_pk_p05, at_pk_p50, at_pk_p95): warheads destroyed rise and leakers fall with every site's Pk, "
    "so with the interceptors at the same percentile of their posteriors the three values are the output's "
    "percentiles (leakers: in reverse order)",
    "an interceptor without counted records has the prior alone as its posterior; the test records are scripted "
    "tests, not combat",
]


def posterior_sentences(data: dict, basis: str) -> list[str]:
    """The posterior of each interceptor and, per phase, the Russian bound (cue basis ``basis``) and each
    raid's leakers (the architecture's cueing, as the raid sentences) at the posterior's 5th-95th Pk
    percentiles, in words."""
    t = data["assumptions"]["test_records"]
    out = list(t["sentences"])
    for p in data["phases"]:
        r = p["russian"].get(basis)
        if r is None:
            continue
        v = r["destroyed_at_most_test_records"]
        text = (f"{p['phase']}: at its interceptors' test-record Pk (5th to 95th percentile, median) it could destroy "
                f"at most {v['at_pk_p05']:,.1f} to {v['at_pk_p95']:,.1f} warheads (median {v['at_pk_p50']:,.1f}), "
                f"beside {r['destroyed_at_most']:,.1f} at the point value")
        for raid in p["raids"]:
            on = "architecture" if "architecture" in raid else basis  # as the raid sentences beside it
            leak = raid[on]["expected_leaking_warheads_test_records"]
            if raid[on]["expected_leaking_warheads"] is not None:
                text += (f"; raid '{raid['raid']}' ({on} cue): {leak['at_pk_p95']:,.2f} to {leak['at_pk_p05']:,.2f} "
                         f"expected leaking warheads (median {leak['at_pk_p50']:,.2f}), beside "
                         f"{raid[on]['expected_leaking_warheads']:,.2f}")
        out.append(text + ".")
    return out


def _rounded(data, digits: int = 6):
    """Floats rounded to ``digits`` decimals (0.4, not 0.3999999999999999), recursively."""
    if isinstance(data, float):
        return round(data, digits)
    if isinstance(data, dict):
        return {k: _rounded(v, digits) for k, v in data.items()}
    if isinstance(data, list):
        return [_rounded(v, digits) for v in data]
    return data


RULES = [
    "each engageable Russian-concern flight counts as one missile flown at the defence, with the catalog's warheads",
    "decoys are not discriminated: each of a warhead's decoys is engaged and spends interceptors like a warhead",
    "one interceptor destroys at most one object (intercepts after the warheads and decoys are released)",
    "shoot-look-shoot: kill 1-(1-Pk)^k over the pair's k shot opportunities, (1-(1-Pk)^k)/Pk interceptors expected; "
    "salvo:N: kill 1-(1-Pk)^N, N interceptors, one opportunity",
    "warheads destroyed at most per site: Pk E[min(I, S)]/(1+d) (shoot-look-shoot, exact distribution of S) or "
    "(1-(1-Pk)^N) min(objects, floor(I/N))/(1+d) (salvo); a site without a stated count is not limited",
    "a phase: the sum over its sites, capped at the warheads on the flights some site can engage",
    "a raid of N missiles is drawn uniformly from the flyable flights of its threat set (its launch areas); "
    "each missile is engaged by the site with the most shot opportunities; a warhead leaks with (1-Pk)^k "
    "(shoot-look-shoot) or (1-Pk)^N (salvo), 1 when no site can engage the missile",
    "inventory exhaustion in a raid: a site asked for more interceptors than its count engages only that share "
    "of its missiles (expected-value account); the rest leak",
]


def _count_words(sites: list[dict]) -> str:
    parts = []
    for s in sites:
        if not s["engageable_flights"]:
            continue
        number = f"{s['count']:,}" if s["count"] is not None else "an unstated number of (not limited here)"
        parts.append(f"{number} interceptors ({s['interceptor']}) at {s['site']}")
    return " and ".join(parts)


def sentence(entry: dict, basis: str, s: Settings, told: dict) -> str:
    """'Phase 4 could engage X of N Russian flights kinematically; with ... it could destroy at most Y
    warheads of a deterrent of 1,550' for one phase and cue basis."""
    r = entry["russian"][basis]
    cue = "the architecture's cueing" if basis == "architecture" else "the bounding cue"
    pk = f"a single-shot Pk of {s.pk:g}" + (" (notional)" if s.single_shot_pk.get("estimate") else "")
    head = f"{entry['phase']} could engage {r['engageable_flights']:,} of {r['flights']:,} Russian flights kinematically ({cue})"
    if not r["engageable_flights"]:
        return f"{head}: it could destroy no warhead of a deterrent of {told['warheads']:,} ({told['name']})."
    return (f"{head}; with {_count_words(r['sites'])}, {pk} and the doctrine {s.doctrine}, it could destroy at most "
            f"{r['destroyed_at_most']:,.1f} warheads of a deterrent of {told['warheads']:,} ({told['name']}; "
            f"{100 * r['deterrent_fraction']:.2f} %).")


def raid_sentence(item: dict, basis: str) -> str:
    """One raid's expected leakage against one phase and cue basis, in words."""
    r = item[basis]
    cue = "the architecture's cueing" if basis == "architecture" else "the bounding cue"
    if r["expected_leaking_warheads"] is None:
        return f"Raid '{item['raid']}' ({item['missiles']:,} missiles): {r['reason']}."
    exhausted = [s for s in r["sites"] if s["exhausted"]]
    tail = ""
    if exhausted:
        tail = "; inventory exhausted: " + ", ".join(
            f"{s['site']} ({s['interceptor']}) has {s['count']:,} of the {s['interceptors_asked']:,.1f} "
            f"interceptors asked, enough for about {s['missiles_covered']:,.1f} missiles" for s in exhausted)
    unlimited = [s for s in r["sites"] if s["count"] is None]
    if unlimited:
        tail += "; not limited (count not stated): " + ", ".join(f"{s['site']} ({s['interceptor']})" for s in unlimited)
    return (f"Raid '{item['raid']}' ({item['missiles']:,} missiles from '{item['threat_set']}', {cue}): "
            f"{100 * r['engageable_share']:.0f} % of its flyable routes engageable; expected leaking warheads "
            f"{r['expected_leaking_warheads']:,.2f} of {r['raid_warheads']:,.0f}{tail}.")
