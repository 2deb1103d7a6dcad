"""Assessment folders the explorer shows: their scenario, results, tracks and, for what-ifs, their flights."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import assess, scenario as scenario_mod
from ..errors import InputError
from ..scene import Scene, cue_bases

#: What ``assess --out`` writes that the explorer reads.
NEEDED = ("results.parquet", "flights.parquet", "tracks.parquet", "scenario.json")


def scenario_json(chosen) -> str:
    """The scenario as it was assessed (its assumptions and switches included), as JSON text that
    :func:`read_scenario` turns back into the same scenario."""
    return json.dumps(chosen.model_dump(mode="json", by_alias=True), indent=1)


def write_view(assessment, out: Path) -> None:
    """What the explorer and globe viewers read besides the tables: ``scene.czml``, ``scene.kml``,
    ``tracks.parquet`` and ``scenario.json``, each written through a temporary name."""
    from .. import atomic, scene

    scene.write(Scene.of(assessment), out)
    atomic.write_text(out / "scenario.json", scenario_json(assessment.scenario))


def read_scenario(path: Path):
    """The scenario written by :func:`scenario_json`."""
    try:
        return scenario_mod.Scenario.model_validate(json.loads(path.read_text()))
    except (ValueError, OSError) as error:
        raise InputError(f"{str(path)!r}: not a scenario written by shieldcheck assess ({error})") from None


@dataclass
class Loaded:
    """One assessment folder: what the explorer draws, and the flights a what-if re-evaluates."""

    id: str
    folder: Path
    scene: Scene
    _threats: object = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def scenario(self):
        return self.scene.scenario

    def threats(self) -> assess.ThreatFlights:
        """The scenario's threat flights with their histories, flown once, or read back from the folder's
        work cache or the shared one (``assess.threat_flights``)."""
        with self._lock:
            if self._threats is None:
                self._threats = assess.threat_flights(self.scenario, self.folder / ".work", assess.shared_work_dir())
            return self._threats

    def describe(self) -> dict:
        """The result as ``/api/results`` lists it."""
        from .. import catalog

        cat = catalog.load()
        s = self.scenario
        names = sorted({e.interceptor for p in s.phases for e in p.sites})
        interceptors = []
        for name in names:
            record = cat.interceptors[cat.find("interceptor", name)]
            band = record.burnout_speed_band_km_s
            interceptors.append({"name": name, "burnout_speed_km_s": record.burnout_speed_km_s.value,
                                 "low": band.low, "high": band.high,
                                 "min_intercept_altitude_km": record.min_intercept_altitude_km.value})
        return {"id": self.id, "scenario": s.name, "title": s.title, "phases": [p.name for p in s.phases],
                "cue_bases": cue_bases(s),
                "sites": [{"phase": p.name, "site": e.site, "interceptor": e.interceptor} for p in s.phases for e in p.sites],
                "interceptors": interceptors, "launch_delay_s": s.assumptions.launch_delay_s.value,
                "min_intercept_altitude_km": {i["name"]: i["min_intercept_altitude_km"] for i in interceptors}}


def load(folder: Path, ident: str | None = None) -> Loaded:
    """An assessment folder written by ``shieldcheck assess --out``; a folder that is not one is an
    InputError naming what is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"result folder {str(folder)!r} does not exist; write one with shieldcheck assess SCENARIO --out "
                         "FOLDER")
    missing = [n for n in NEEDED if not (folder / n).exists()]
    if missing:
        raise InputError(f"result folder {str(folder)!r} lacks {', '.join(missing)}: assess it again with this version "
                         "(shieldcheck assess SCENARIO --out FOLDER)")
    chosen = read_scenario(folder / "scenario.json")
    return Loaded(ident or folder.name, folder, Scene.read(folder, chosen))
