"""What a sweep varies and how: readable parameter paths and the specifications of their values.

A parameter is addressed by a path of three parts, a table, a record and a field, the record
quoted where its name has spaces::

    interceptor."SM-3 Block IIA".burnout_speed_km_s
    interceptor."SM-3 Block IIA".kill_vehicle.divert_km_s
    assumptions.bounding_decision_time_s
    missile.Yars.scale
    launch.Teykovo.dispersal_km

``launch.AREA.dispersal_km`` is the radius of a disc launch area (a road-mobile garrison, a silo
field) in which a threat set's launch points are drawn. Its values are given by a specification:

``START:STOP:STEP``
    a grid, both ends included (``4.0:5.0:0.25``);
``A,B,C``
    a list;
``uniform(A,B)``, ``normal(MU,SIGMA)``
    Monte Carlo draws;
``band``
    uniform draws over the range the catalog gives the value (its ``low`` and ``high``, or the
    interceptor's ``burnout_speed_band_km_s``), with the range's basis stated.

Grids and lists are crossed with each other; draws are made ``samples`` times, by plain Monte Carlo
or, for several parameters, by Latin hypercube (``scipy.stats.qmc``), each case crossed with the
grid. Every draw is reproducible from its seed.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

from . import limits
from .errors import InputError

TABLES = ("interceptor", "missile", "sensor", "launch", "assumptions")
METHODS = ("monte-carlo", "latin-hypercube")
MAX_CASES = int(limits.bound("sweep_cases").high)  # a larger sweep is refused before any work
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class ParameterPath:
    """A parameter of the catalog or of a scenario's assumptions (see the module docstring)."""

    table: str
    record: str | None  # None for assumptions
    field: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> ParameterPath:
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"--vary {limits.shown(text)}: give PATH=SPEC, e.g. interceptor.\"SM-3 Block IIA\".burnout_speed_km_s=4:5:0.5")
        parts = [m.group(1) if m.group(1) is not None else m.group(2)
                 for m in re.finditer(r'"([^"]*)"|([^.]+)', text.strip())]
        if not parts or not all(part.strip() for part in parts):  # "..", 'interceptor."".x': an empty part
            raise InputError(f"parameter {limits.shown(text)}: a part of the path is empty; give TABLE.NAME.FIELD, "
                             "e.g. interceptor.\"SM-3 Block IIA\".burnout_speed_km_s")
        table = parts[0]
        if table not in TABLES:
            raise limits.not_allowed(f"parameter {limits.shown(text)}: table", table, TABLES)
        if table == "assumptions":
            if len(parts) != 2:
                raise InputError(f"parameter {limits.shown(text)}: give assumptions.NAME")
            return cls(table, None, tuple(parts[1:]))
        if len(parts) < 3:
            raise InputError(f"parameter {limits.shown(text)}: give {table}.\"NAME\".FIELD")
        return cls(table, parts[1], tuple(parts[2:]))

    def __str__(self) -> str:
        record = "" if self.record is None else (f'."{self.record}"' if re.search(r"[ .]", self.record)
                                                 else f".{self.record}")
        return f"{self.table}{record}.{'.'.join(self.field)}"

    def catalog_field(self) -> tuple[str, str, tuple[str, ...]]:
        """(table, catalog name, field path) of ``catalog.Catalog.with_value`` for this parameter."""
        from . import catalog

        if self.table == "assumptions":
            raise InputError(f"parameter {self}: assumptions belong to a scenario, not to the catalog")
        cat = catalog.load()
        if self.table == "launch":
            if self.field != ("dispersal_km",):  # a launch area has one parameter, the radius of its disc
                raise limits.not_allowed(f"parameter {self}: field", ".".join(self.field), ["dispersal_km"])
            name = cat.find("site", self.record)
            area = cat.sites[name].launch_area
            if area is None or area.radius_km is None:
                raise InputError(f"parameter {self}: {name!r} has no disc launch area (a point, or a patrol polygon "
                                 "whose launch points are drawn over the whole polygon); no dispersal to vary")
            return "site", name, ("launch_area", "radius_km")
        return self.table, cat.find(self.table, self.record), self.field

    def catalog_value(self):
        """The catalog record's value object at this path (a ``catalog.Value`` or ``Ranged``), checked."""
        from . import catalog

        table, record, _ = self.catalog_field()
        cat = catalog.load()
        item = {"interceptor": cat.interceptors, "missile": cat.missiles, "sensor": cat.sensors,
                "site": cat.sites}[table][record]
        if self.table == "launch":
            return item.launch_area.radius_km
        for k, name in enumerate(self.field):
            fields = type(item).model_fields if hasattr(type(item), "model_fields") else {}
            if name not in fields:
                raise limits.not_allowed(f"parameter {self}: field of the {self.table}", ".".join(self.field[:k + 1]),
                                         fields, suggest=fields)
            item = getattr(item, name)
            if item is None:
                raise InputError(f"parameter {self}: the catalog gives no {'.'.join(self.field[:k + 1])}")
        if not hasattr(item, "value"):
            raise InputError(f"parameter {self} is not a number of the catalog (it has fields)")
        return item

    def assumption_value(self, scenario):
        """The scenario's assumption at this path (a ``catalog.Value``, which may carry a range), checked."""
        from .catalog import Value

        numbers = [k for k, v in scenario.assumptions if isinstance(v, Value)]
        name = self.field[0]
        if len(self.field) != 1 or name not in numbers:
            raise limits.not_allowed(f"parameter {self}: number of the scenario's assumptions", ".".join(self.field),
                                     numbers)
        return getattr(scenario.assumptions, name)

    def value_object(self, scenario=None):
        """The value object at this path: the catalog's, or the scenario's for an assumption."""
        if self.table == "assumptions":
            if scenario is None:
                raise InputError(f"parameter {self}: assumptions belong to a scenario; give one")
            return self.assumption_value(scenario)
        return self.catalog_value()

    def band(self, scenario=None) -> tuple[float, float, str]:
        """(low, high, basis) of the range the catalog (or, for an assumption, the scenario) gives this value."""
        item = self.value_object(scenario)
        if getattr(item, "low", None) is not None and getattr(item, "high", None) is not None:
            return float(item.low), float(item.high), getattr(item, "basis", None) or item.note or item.source
        if self.table == "interceptor" and self.field == ("burnout_speed_km_s",):
            from . import catalog

            cat = catalog.load()
            spread = cat.interceptors[cat.find("interceptor", self.record)].burnout_speed_band_km_s
            return float(spread.low), float(spread.high), spread.note or spread.source
        raise InputError(f"parameter {self}: the {'scenario' if self.table == 'assumptions' else 'catalog'} gives it "
                         "no range (low, high) for 'band'; give "
                         "uniform(A,B), normal(MU,SIGMA) or a grid")


def _finite(shown: str, text: str) -> float:
    """The number ``text`` of the specification ``shown``, refused in one line where it is not finite (1e400)."""
    value = float(text)
    if not math.isfinite(value):
        number = text if len(text) <= limits.SHOWN_CHARS else limits.shown(text)  # 400 digits, cut
        raise InputError(f"--vary {shown}: {number} is not a finite number")
    return value


@dataclass(frozen=True)
class Spec:
    """The values of one parameter: a grid or list (``values``), or a distribution to draw from."""

    kind: str  # "values", "uniform", "normal"
    values: tuple[float, ...] = ()
    a: float = math.nan  # uniform: low; normal: mean
    b: float = math.nan  # uniform: high; normal: standard deviation
    basis: str | None = None  # for a catalog band: what the range rests on

    @classmethod
    def parse(cls, text: str, path: ParameterPath | None = None, scenario=None) -> Spec:
        shown = limits.shown(f"{path}={text}" if path is not None else text)  # quoted, a long text cut
        t = text.strip() if isinstance(text, str) else ""
        m = re.fullmatch(rf"({_NUMBER}):({_NUMBER}):({_NUMBER})", t)
        if m:
            start, stop, step = (_finite(shown, g) for g in m.groups())
            if not (step > 0 and stop >= start):
                raise InputError(f"--vary {shown}: a grid START:STOP:STEP needs STOP >= START and STEP > 0")
            points = (stop - start) / step + 1e-9
            n = int(math.floor(points)) + 1 if math.isfinite(points) else math.inf
            if n > MAX_CASES:
                count = f"{n:,}" if n < 1e12 else "over 10^12"
                raise InputError(f"--vary {shown}: {count} grid points, more than {MAX_CASES:,}")
            return cls("values", tuple(round(start + k * step, 12) for k in range(n)))
        if re.fullmatch(rf"{_NUMBER}(?:,{_NUMBER})*", t):
            return cls("values", tuple(_finite(shown, x) for x in t.split(",")))
        m = re.fullmatch(rf"(uniform|normal)\(\s*({_NUMBER})\s*,\s*({_NUMBER})\s*\)", t)
        if m:
            a, b = _finite(shown, m.group(2)), _finite(shown, m.group(3))
            if m.group(1) == "uniform" and not b > a:
                raise InputError(f"--vary {shown}: uniform(A,B) needs B > A")
            if m.group(1) == "normal" and not b > 0:
                raise InputError(f"--vary {shown}: normal(MU,SIGMA) needs SIGMA > 0")
            return cls(m.group(1), (), a, b)
        if t == "band":
            if path is None:
                raise InputError("'band' needs a catalog parameter")
            low, high, basis = path.band(scenario)
            return cls("uniform", (), low, high, basis)
        raise InputError(f"--vary {shown}: not a specification; allowed: START:STOP:STEP, A,B,C, uniform(A,B), "
                         "normal(MU,SIGMA), band")

    @property
    def drawn(self) -> bool:
        return self.kind != "values"


def cases(specs: dict, *, samples: int = 1, seed: int = 0, method: str = "latin-hypercube") -> list[dict]:
    """Every case of a sweep: the grids and lists crossed, each crossed with ``samples`` draws of the
    distributions (Latin hypercube over them all, or plain Monte Carlo). Keys are the parameter paths
    as text; a case is one value per parameter."""
    limits.choose("method", method, METHODS)
    samples = int(limits.check("samples", samples))
    grid = {str(p): s.values for p, s in specs.items() if not s.drawn}
    drawn = {str(p): s for p, s in specs.items() if s.drawn}
    n_grid = math.prod(len(v) for v in grid.values())
    total = n_grid * (samples if drawn else 1)
    if total > MAX_CASES:
        raise InputError(f"{limits.bound('sweep_cases').message(total, 'the sweep: cases')}: coarsen a grid or draw "
                         "fewer samples")
    rng = np.random.default_rng(seed)
    draws: list[dict] = [{}]
    if drawn:
        if method == "latin-hypercube" and len(drawn) > 1:
            from scipy.stats import qmc

            unit = qmc.LatinHypercube(d=len(drawn), seed=rng).random(samples)
        else:
            unit = rng.random((samples, len(drawn)))
        draws = [{key: _from_unit(spec, float(u[k])) for k, (key, spec) in enumerate(drawn.items())} for u in unit]
    out = []
    for combination in itertools.product(*grid.values()):
        fixed = dict(zip(grid, combination))
        out += [{**fixed, **draw} for draw in draws]
    return out


def _from_unit(spec: Spec, u: float) -> float:
    """A draw of ``spec`` from a uniform variate on (0, 1) (inverse transform)."""
    if spec.kind == "uniform":
        return spec.a + (spec.b - spec.a) * u
    from scipy.stats import norm

    return float(norm.ppf(min(max(u, 1e-12), 1.0 - 1e-12), loc=spec.a, scale=spec.b))
