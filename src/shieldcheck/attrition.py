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
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Literal

import numpy as np

from . import aggregate, limits
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
    """The numbers game's assumptions, each as {value, source, estimate, note, stated}."""

    single_shot_pk: dict
    shot_doctrine: dict
    decoys_per_warhead: dict

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
    return Settings(pk, doctrine, decoys)


def deterrent() -> dict:
    """The catalog deterrent compared with (New START): name, warheads, source, citation, note."""
    from . import catalog

    cat = catalog.load()
    record = cat.deterrents[DETERRENT]
    return {"name": record.name, "warheads": int(record.warheads.value), "source": record.warheads.source,
            "estimate": record.warheads.estimate, "citation": cat.sources[record.warheads.source].citation,
            "note": record.warheads.note}


# ---------------------------------------------------------------------------------------------
# Per phase, from the result rows
# ---------------------------------------------------------------------------------------------

def _site_key(row: dict) -> tuple[str, str]:
    return row["site"], row["interceptor"]


def russian_bound(rows: list[dict], pk: float, doctrine: Doctrine, decoys: int,
                  counts: dict[tuple[str, str], int | None], flights_total: int, deterrent_warheads: int) -> dict:
    """The warheads one phase's sites could destroy at most, from its Russian-concern rows of one cue basis.

    ``counts``: every site of the phase, (site, interceptor) -> inventory (None: not stated).
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
                      "destroyed_at_most": warheads_destroyed_at_most(targets, inventory, pk, doctrine, decoys)
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


def raid_leakage(pool: list[dict], rows: list[dict], missiles: int, pk: float, doctrine: Doctrine, decoys: int,
                 counts: dict[tuple[str, str], int | None]) -> dict:
    """Expected leakers of a raid of ``missiles`` drawn from ``pool`` (its flights: flight_id, warheads,
    flown), against one phase's rows of one cue basis (the module's rules)."""
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
                pk, int(r["shots"]))
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
        leak = 1.0 - doctrine.kill_probability(pk, int(r["shots"]))
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
    told = deterrent()
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
        for raid, pool in raids:
            ids = {f["flight_id"] for f in pool}
            item = {"raid": raid.name, "threat_set": raid.threat_set, "missiles": int(raid.missiles.value),
                    "missiles_source": raid.missiles.source, "missiles_estimate": raid.missiles.estimate,
                    "launch_areas": list(raid.launch_areas), "note": raid.note}
            for b in bases:
                item[b] = raid_leakage(pool, [r for r in mine if r["flight_id"] in ids and r["cue_basis"] == b],
                                       int(raid.missiles.value), s.pk, s.doctrine, s.decoys, counts)
            entry["raids"].append(item)
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
                                 told["warheads"])["destroyed_at_most"] for b in bases}})
        phases.append(entry)
    return _rounded({"scenario": scenario.name,
            "assumptions": {"single_shot_pk": s.single_shot_pk, "shot_doctrine": s.shot_doctrine,
                            "decoys_per_warhead": s.decoys_per_warhead,
                            "shoot_look_shoot_s": scenario.assumptions.shoot_look_shoot_s.value,
                            "deterrent": told, "pk_sweep": list(PK_SWEEP), "decoy_sweep": list(DECOY_SWEEP),
                            "rules": RULES},
            "raids": [{"name": r.name, "threat_set": r.threat_set, "missiles": int(r.missiles.value),
                       "source": r.missiles.source, "estimate": r.missiles.estimate, "note": r.missiles.note,
                       "launch_areas": list(r.launch_areas), "pool_flights": len(pool),
                       "pool_flown": sum(1 for f in pool if f["flown"])} for r, pool in raids],
            "phases": phases})


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
