"""What the report's sections read: the rows of an assessment grouped by phase, purpose and cue basis,
and summed up by :mod:`shieldcheck.aggregate` (who a flight is for, what counts as engageable, the
margins, the counts). Nothing here computes physics; it only looks rows up and counts them.
"""

from __future__ import annotations

import functools
import json

from .. import aggregate, catalog
from ..aggregate import Outcome, finite
from ..scene import site_label  # "Site (interceptor)": the same words on the globe and in the report
from .markup import fmt

__all__ = ["EVASIVE_ROLES", "Facts", "nearest"]

EVASIVE_ROLES = ("HGV", "FOBS")  # catalog roles of the threats built to evade defences: glide vehicles, fractional orbits


class Facts:
    """The rows of an assessment, grouped by phase, purpose and cue basis, and summed up
    (:mod:`shieldcheck.aggregate`: who a flight is for, what counts as engageable, the margins)."""

    def __init__(self, assessment):
        self.assessment = assessment
        self.scenario = assessment.scenario
        self.rows = aggregate.rows(assessment.results)  # each label text shared by its rows
        for r in self.rows:
            r["cue_basis"] = r.get("cue_basis") or "architecture"
        self.flights = {int(f["flight_id"]): f for f in assessment.flights.rows}
        self.tracks = assessment.flights.tracks or {}
        self.phases = sorted(self.scenario.phases, key=lambda p: p.date)
        self.bases = ["architecture"] + (["bounding"] if any(r["cue_basis"] == "bounding" for r in self.rows) else [])
        self.outcomes: dict[tuple, dict[int, Outcome]] = aggregate.outcomes(self.rows)
        self._summary = aggregate.summary(assessment.results, self.phases)

    def of(self, phase, purpose: str, basis: str = "architecture") -> dict[int, Outcome]:
        """Flight id -> :class:`aggregate.Outcome` of one phase, purpose and cue basis."""
        return self.outcomes.get((phase.name, purpose, basis), {})

    def of_purpose(self, purpose: str) -> list[dict]:
        """The flights (flown or not) of the threat sets with this purpose."""
        return [f for f in self.flights.values() if purpose in f.get("purposes", ())]

    def summary(self) -> list[dict]:
        """Per phase (date order): {"phase": the phase, (purpose, basis): :func:`aggregate.cell`}."""
        by_name = {p.name: p for p in self.phases}
        return [{"phase": by_name[entry["phase"]], **{(purpose, basis): aggregate.cell(entry, purpose, basis)
                                                      for purpose in aggregate.PURPOSES for basis in self.bases}}
                for entry in self._summary]

    def engageable_words(self, purpose: str, basis: str) -> str:
        """"N of M engageable in PHASE, ..." of a purpose under a cue basis (:func:`aggregate.engageable_words`)."""
        return aggregate.engageable_words(self._summary, purpose, basis)

    def emergence(self, basis: str) -> tuple | None:
        """(phase, engageable outcomes) of the first phase in which a Russian-concern flight is engageable
        (:func:`aggregate.emergence`: the threat set's purpose says who a flight is for)."""
        first = aggregate.emergence(self._summary, basis)
        if first is None:
            return None
        phase = next(p for p in self.phases if p.name == first["phase"])
        return phase, [o for o in self.of(phase, "russian-concern", basis).values() if o.engageable]

    def _role(self, flight_id: int) -> str | None:
        cat = catalog.load()
        try:
            return cat.missiles[cat.find("missile", self.flights[flight_id]["missile"])].role
        except Exception:  # an unknown name: no role to go by
            return None

    def evasive_ids(self) -> list[int]:
        """Flown flights of glide vehicles and fractional orbits (catalog roles HGV and FOBS)."""
        flown = {int(r["flight_id"]) for r in self.rows}
        return sorted(i for i in flown if self._role(i) in EVASIVE_ROLES)

    def ballistic_twin(self, flight_id: int) -> int | None:
        """A flown minimum-energy ICBM or SLBM flight from the same launch area to the same aim point."""
        x = self.flights[flight_id]
        flown = {int(r["flight_id"]) for r in self.rows}
        for i, y in sorted(self.flights.items()):
            if (i in flown and y["launch"] == x["launch"] and y["aim"] == x["aim"]
                    and y.get("trajectory") == "minimum-energy" and self._role(i) in ("ICBM", "SLBM")):
                return i
        return None

    def detections(self, flight_id: int | None) -> dict[str, tuple]:
        """Sensor -> (first detection, track) in s after launch, of a flown flight, whatever the architecture."""
        if flight_id is None:
            return {}
        text = self.flights.get(flight_id, {}).get("detections_json")
        return {k: tuple(v) for k, v in json.loads(text).items()} if text else {}

    def stated_by_threat_set(self, phase_name: str) -> list[dict]:
        """The stated (Iranian) flights of one phase per threat set, architecture cueing (:func:`aggregate.counts`)."""
        return [c for c in self.threat_set_counts if c["phase"] == phase_name and c["purpose"] == "stated"
                and c["cue_basis"] == "architecture"]

    @functools.cached_property
    def threat_set_counts(self) -> list[dict]:
        """:func:`aggregate.counts` per phase, threat set, purpose and cue basis."""
        return aggregate.counts(self.assessment.results, ("phase", "threat_sets", "purpose", "cue_basis"))

    def site_share(self, phase_name: str, limit) -> float | None:
        """The share of the Iranian flights a site engages at its catalog values under the cue of the speed sweep
        (the scenario's bounding cue where it states one): the coverage a limit is compared with."""
        basis = "bounding" if "bounding" in self.bases else "architecture"
        for c in self.site_counts:
            if (c["phase"], c["site"], c["interceptor"], c["purpose"], c["cue_basis"]) == (
                    phase_name, limit.site, limit.interceptor, "stated", basis):
                return c["engageable"] / c["flights"] if c["flights"] else None
        return None

    @functools.cached_property
    def site_counts(self) -> list[dict]:
        """:func:`aggregate.counts` per phase, site, interceptor, purpose and cue basis."""
        return aggregate.counts(self.assessment.results, ("phase", "site", "interceptor", "purpose", "cue_basis"))

    def flight_name(self, flight_id: int) -> str:
        """"Missile launch → aim (trajectory)" of a flight."""
        f = self.flights.get(flight_id, {})
        shape = f.get("trajectory")
        return f"{f.get('missile')} {f.get('launch')} → {f.get('aim')}" + (f" ({shape})" if shape else "")


NO_SITE = {  # every site fails alike, with no margin to rank them by: say why, name none
    "never_detected": "no site tracked it (the cueing sensors of every site never hold a track)",
    "out_of_range": "no site reaches it (it comes within no interceptor's reach)",
    "out_of_altitude_band": "no site reaches it in its altitude band",
    "endgame_infeasible": "no site's kill vehicle can use any point its interceptor reaches",
}


def nearest(outcome: Outcome) -> str:
    """Why a flight no site engages is not engageable: the nearest site by the stated measure (the verdict
    that comes closest, :data:`verdicts.RANK`, then the larger margin) and its message; or, where every
    site fails alike with no margin to rank them by, that no site tracked (or reached) it, naming none."""
    best = outcome.best
    if best is None:
        return "no site was assessed"
    verdicts = {r.get("verdict") for r in outcome.rows}
    if len(verdicts) == 1 and finite(best.get("margin_s")) is None and best.get("verdict") in NO_SITE:
        return f"{NO_SITE[best.get('verdict')]}, at all {len(outcome.rows)} site(s)"
    return f"nearest: {site_label(best)}: {fmt(best.get('message'))}"
