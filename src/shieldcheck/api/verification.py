"""``sc.verify`` (``shieldcheck verify``): who of the other side can watch an interceptor test, and how
precisely they can measure its burnout speed against a stated limit (:mod:`shieldcheck.verify`)."""

from __future__ import annotations

import json
from pathlib import Path

from typing import TYPE_CHECKING

from .. import atomic
from . import folders, terminal
from .result import Result

if TYPE_CHECKING:
    from .. import verify as verify_mod

VERIFY_LIMIT_KM_S = 4.5  # the limit ``verify`` checks by default: the Helsinki statement's sea-based line, km/s
VERIFY_CONFIDENCE = 0.95  # its confidence level by default

#: What ``verify --out`` writes (also checked by :func:`folders.output_folder` before any work).
FILES = ("verify.json", "verify.png", "verify-radars.parquet", "verify-estimates.parquet", "verify-flight.parquet")


def _planned_speed_m_s(verification, estimate) -> float:
    """The speed against which tests and tracked time needed are counted: the burnout speed flown, or for
    a coast estimate the speed it measures (its own value)."""
    return estimate.speed_m_s if estimate.kind == "coast" else verification.speed_flown_m_s


class VerifyResult(Result):
    """One interceptor test and what the other side can tell of it (:func:`verify`).

    Tables: ``radars`` (one row per radar: whether and when it sees the test, elevation and slant range
    seen, whether burnout is tracked, its noise and biases), ``estimates`` (one row per estimate: radars (the
    declared stage model's burnout speed), radars, coast only (the speed at the first coast point, no
    stage model: a lower bound on the largest speed), radars and telemetry, or telemetry alone: speed,
    interval, lower bound, whether the limit is shown exceeded, tests and tracked time needed) and ``flight`` (the test flight's samples: time, place,
    speed, and how many of the radars see each). Also: ``verification`` (the
    :class:`~shieldcheck.verify.Verification`), ``data`` (verify.json's content) and ``folder``.

    ``explain()`` prints what ``shieldcheck verify`` prints; ``to_json()`` the line ``--json`` prints;
    ``write(folder)`` writes verify.json, verify.png and the three tables as verify-*.parquet.
    """

    TABLES = ("radars", "estimates", "flight")

    def __init__(self, verification: verify_mod.Verification):
        self.verification = verification
        self.folder = None

    @property
    def radars(self):
        import pyarrow as pa

        rows = []
        for view, noise in zip(self.verification.views, self.verification.noises):
            elevation = view.seen_range(view.elevation_deg) or (None, None)
            slant = view.seen_range(view.slant_range_m) or (None, None)
            rows.append({"radar": view.radar.name, "country": view.country, "sees": view.sees,
                         "first_seen_s": view.first_detection_s, "last_seen_s": view.last_seen_s,
                         "track_s": view.track_s, "burnout_tracked": view.burnout_tracked,
                         "min_elevation_deg": elevation[0], "max_elevation_deg": elevation[1],
                         "min_range_km": None if slant[0] is None else slant[0] / 1e3,
                         "max_range_km": None if slant[1] is None else slant[1] / 1e3,
                         "reason_never": view.reason_never, "range_noise_m": noise.range_noise_m,
                         "angle_noise_mrad": noise.angle_noise_mrad, "range_rate_noise_m_s": noise.range_rate_noise_m_s,
                         "update_interval_s": noise.update_interval_s, "range_bias_m": noise.range_bias_m,
                         "angle_bias_mrad": noise.angle_bias_mrad, "range_rate_bias_m_s": noise.range_rate_bias_m_s})
        schema = pa.schema([("radar", pa.string()), ("country", pa.string()), ("sees", pa.bool_()),
                            ("first_seen_s", pa.float64()), ("last_seen_s", pa.float64()), ("track_s", pa.float64()),
                            ("burnout_tracked", pa.bool_()), ("min_elevation_deg", pa.float64()),
                            ("max_elevation_deg", pa.float64()), ("min_range_km", pa.float64()),
                            ("max_range_km", pa.float64()), ("reason_never", pa.string()),
                            ("range_noise_m", pa.float64()), ("angle_noise_mrad", pa.float64()),
                            ("range_rate_noise_m_s", pa.float64()), ("update_interval_s", pa.float64()),
                            ("range_bias_m", pa.float64()), ("angle_bias_mrad", pa.float64()),
                            ("range_rate_bias_m_s", pa.float64())])
        return pa.Table.from_pylist(rows, schema=schema)

    def _estimates(self) -> list[tuple[str, object]]:
        v = self.verification
        out = []
        if v.estimate is not None:
            out.append(("radars", v.estimate))
        if v.coast is not None:
            out.append(("radars, coast only", v.coast))
        if v.with_telemetry is not None:
            out.append(("radars and telemetry" if v.estimate is not None else "telemetry alone", v.with_telemetry))
        return out

    @property
    def estimates(self):
        import pyarrow as pa

        v = self.verification
        rows = []
        for basis, e in self._estimates():
            planned = _planned_speed_m_s(v, e)
            tracked = e.tracked_s_needed(planned, v.limit_m_s)
            rows.append({"basis": basis, "kind": e.kind, "speed_km_s": e.speed_m_s / 1e3, "std_m_s": e.std_m_s,
                         "confidence": e.confidence, "low_km_s": e.low_m_s / 1e3, "high_km_s": e.high_m_s / 1e3,
                         "lower_bound_km_s": e.lower_bound_m_s / 1e3, "limit_km_s": v.limit_m_s / 1e3,
                         "flown_km_s": v.speed_flown_m_s / 1e3, "shows_exceeded": e.shows_exceeded(v.limit_m_s),
                         "tests_needed_count": e.tests_needed(planned, v.limit_m_s),
                         "tracked_s_needed": tracked, "measurements_count": e.measurements, "tracked_s": e.tracked_s})
        schema = pa.schema([("basis", pa.string()), ("kind", pa.string()), ("speed_km_s", pa.float64()), ("std_m_s", pa.float64()),
                            ("confidence", pa.float64()), ("low_km_s", pa.float64()), ("high_km_s", pa.float64()),
                            ("lower_bound_km_s", pa.float64()), ("limit_km_s", pa.float64()),
                            ("flown_km_s", pa.float64()), ("shows_exceeded", pa.bool_()),
                            ("tests_needed_count", pa.int64()), ("tracked_s_needed", pa.float64()),
                            ("measurements_count", pa.int64()), ("tracked_s", pa.float64())])
        return pa.Table.from_pylist(rows, schema=schema)

    @property
    def flight(self):
        import numpy as np
        import pyarrow as pa

        trial = self.verification.trial
        lat, lon, height = trial.geodetic()
        seen = np.zeros(trial.time_s.size, dtype=np.int64)
        for view in self.verification.views:
            seen += view.seen
        return pa.table({"time_s": trial.time_s, "latitude_deg": lat, "longitude_deg": lon, "altitude_km": height / 1e3,
                         "speed_km_s": np.linalg.norm(trial.velocity_ecef_m_s, axis=1) / 1e3,
                         "radars_seeing_count": seen})

    @property
    def data(self) -> dict:
        """verify.json's content: the test, the conclusion, the radars and the estimates."""
        v, trial = self.verification, self.verification.trial
        return {"range": v.place.name, "country": v.place.country, "interceptor": v.interceptor,
                "azimuth_deg": trial.azimuth_deg, "kick_deg": trial.kick_deg, "programme": trial.programme,
                "burnout_speed_km_s": trial.burnout_speed_m_s / 1e3, "burnout_time_s": trial.burnout_time_s,
                "burnout_altitude_km": trial.burnout_altitude_m / 1e3, "limit_km_s": v.limit_m_s / 1e3,
                "confidence": v.confidence, "telemetry": v.telemetry, "seed": v.seed, "rcs_m2": v.rcs_m2,
                "observable": v.observable, "watched_by": v.watchers, "conclusion": v.conclusion(),
                "radars": self.radars.to_pylist(), "estimates": self.estimates.to_pylist()}

    def to_json(self) -> str:
        """The one line of JSON ``shieldcheck verify --json`` prints (without its newline)."""
        return json.dumps(self.data, allow_nan=False)

    def write(self, folder) -> Path:
        """Write what ``shieldcheck verify --out FOLDER`` writes into ``folder``; the folder."""
        folder = folders.output_folder(Path(folder))
        with folders.exclusive(folder):
            self._write(folder)
        return folder

    def _write(self, out: Path) -> None:
        import pyarrow.parquet as pq

        for name in ("radars", "estimates", "flight"):
            table = getattr(self, name)
            atomic.write(out / f"verify-{name}.parquet", lambda partial, t=table: pq.write_table(t, partial))
        text = json.dumps(self.data, indent=2, allow_nan=False) + "\n"
        atomic.write(out / "verify.json", lambda partial: Path(partial).write_text(text))
        verification_figure(self.verification, out / "verify.png")
        self.folder = out

    def explain(self) -> None:
        """Print what ``shieldcheck verify`` prints: the test, the radars, the estimates and the conclusion."""
        v, trial = self.verification, self.verification.trial
        console = terminal.console()
        radar_rows = []
        for view in v.views:
            if view.sees:
                low, high = view.seen_range(view.elevation_deg)
                near, far = view.seen_range(view.slant_range_m)
                radar_rows.append([view.radar.name, f"{view.first_detection_s:.0f}-{view.last_seen_s:.0f}",
                                   f"{low:.1f}-{high:.1f}", f"{near / 1e3:,.0f}-{far / 1e3:,.0f}",
                                   "yes" if view.burnout_tracked else "no"])
            else:
                radar_rows.append([view.radar.name, "never", "—", "—", view.reason_never or ""])
        console.print(terminal.table(
            f"{v.interceptor} from {v.place.name} on {trial.azimuth_deg:g} deg: burnout {trial.burnout_speed_m_s / 1e3:.2f}"
            f" km/s at {trial.burnout_time_s:.0f} s, {trial.burnout_altitude_m / 1e3:.0f} km",
            [("radar", "key"), ("seen (s)", "number"), ("elevation (deg)", "number"), ("range (km)", "number"),
             ("burnout tracked", "text")], radar_rows, width=80))
        rows = []
        for basis, e in self._estimates():
            tests = e.tests_needed(_planned_speed_m_s(v, e), v.limit_m_s)
            rows.append([basis, f"{e.speed_m_s / 1e3:.4f}", f"{e.low_m_s / 1e3:.4f}-{e.high_m_s / 1e3:.4f}",
                         "yes" if e.shows_exceeded(v.limit_m_s) else "no", "—" if tests is None else str(tests)])
        if rows:
            console.print(terminal.table(
                f"burnout speed estimated, {100 * v.confidence:g} % interval, limit {v.limit_m_s / 1e3:g} km/s",
                [("basis", "key"), ("speed (km/s)", "number"), ("interval (km/s)", "number"),
                 ("limit shown exceeded", "text"), ("tests needed", "number")], rows, width=80))
        console.print(v.conclusion(), highlight=False)
        if self.folder is not None:
            console.print(f"Wrote {', '.join(str(self.folder / name) for name in FILES)}", highlight=False)

    def __repr__(self) -> str:
        v = self.verification
        return f"<VerifyResult {v.interceptor} from {v.place.name}: {'observable' if v.observable else 'not observable'}>"


def verification_figure(verification: verify_mod.Verification, path: Path) -> Path:
    """The test flight on a map with the radars' coverage (their sectors to their detection range for the
    interceptor's cross-section) and the arc each tracks, thicker; the launch and burnout marked."""
    import numpy as np

    from ..report import figures

    v, trial = verification, verification.trial
    lat, lon, _ = trial.geodetic()
    colours = ("#d7191c", "#7b3294", "#e66101", "#008837", "#5e3c99")
    tracks = [(lat, lon, "0.2", 1.0)]
    legend = [("test flight (ground track)", "line", "0.2", None)]
    for k, view in enumerate(w for w in v.views if w.sees):
        colour = colours[k % len(colours)]
        seen_lat, seen_lon = np.where(view.seen, lat, np.nan), np.where(view.seen, lon, np.nan)
        tracks.append((seen_lat, seen_lon, colour, 3.0))
        legend.append((f"tracked by {view.radar.name}", "line", colour, None))
    radars = []
    for view in v.views:
        r = view.radar
        radars.append((r.name, r.site.latitude_deg, r.site.longitude_deg, r.boresight_azimuth_deg,
                       r.azimuth_half_width_deg, float(r.detection_range_m(v.rcs_m2)) / 1e3, r.name))
    legend += [("radar (coverage shaded)", "marker", figures.RADAR_COLOR, "s"), ("launch", "marker", figures.SITE_COLOR, "^"),
               ("burnout", "marker", "white", "o")]
    lats = [*lat, *(r[1] for r in radars)]
    lons = [*lon, *(r[2] for r in radars)]
    extent = (max(min(lons) - 4.0, -180.0), min(max(lons) + 4.0, 180.0), max(min(lats) - 3.0, -90.0),
              min(max(lats) + 3.0, 90.0))
    burnout = int(np.searchsorted(trial.time_s, trial.burnout_time_s))
    burnout = min(burnout, trial.time_s.size - 1)
    layers = figures.MapLayers(
        extent, f"{v.interceptor} test from {v.place.name}: "
                + ("tracked by " + ", ".join(v.watchers) if v.observable else "not observable by the other side's radars"),
        radars=radars, tracks=tracks, sites=[(v.place.name, trial.launch.latitude_deg, trial.launch.longitude_deg)],
        points=[(float(lat[burnout]), float(lon[burnout]), "o", "white", "burnout")], legend=legend)
    return figures.layer_map(layers, path)


def verify(range_name: str, interceptor: str, *, azimuth_deg: float, radars=(),
           limit_km_s: float = VERIFY_LIMIT_KM_S, confidence: float = VERIFY_CONFIDENCE,
           telemetry: bool = False, seed: int = 0, burnout_speed_km_s: float | None = None,
           range_noise_m: float | None = None, angle_noise_mrad: float | None = None,
           range_rate_noise_m_s: float | None = None, update_interval_s: float | None = None,
           range_bias_m: float | None = None, angle_bias_mrad: float | None = None,
           range_rate_bias_m_s: float | None = None, out=None) -> VerifyResult:
    """Who of the other side can watch an interceptor test from ``range_name`` (a catalog test range or
    site) on ``azimuth_deg``, and how precisely they measure its burnout speed against ``limit_km_s``:
    what ``shieldcheck verify`` computes, with the same options and defaults.

    ``radars``: catalog radar names (default: the other side's); ``confidence``: 0-1 (exclusive);
    ``telemetry``: telemetry shared (the New START precedent); ``burnout_speed_km_s``: fly the test at
    this speed (default: the catalog model's); noise and bias options: replace every radar's noise and
    per-track biases (0: no bias; defaults in :mod:`shieldcheck.burnout_estimate`); ``out``: write into this folder as ``verify --out`` does.

    Returns a :class:`VerifyResult`. Raises :class:`InputError` on bad input, before any work.
    """
    from .. import verify as verify_mod

    found = verify_mod.verify(range_name, interceptor, azimuth_deg, radars=list(radars) or None,
                              limit_km_s=limit_km_s, confidence=confidence, telemetry=telemetry, seed=seed,
                              burnout_speed_km_s=burnout_speed_km_s, range_noise_m=range_noise_m,
                              angle_noise_mrad=angle_noise_mrad, range_rate_noise_m_s=range_rate_noise_m_s,
                              update_interval_s=update_interval_s, range_bias_m=range_bias_m,
                              angle_bias_mrad=angle_bias_mrad, range_rate_bias_m_s=range_rate_bias_m_s)
    result = VerifyResult(found)
    if out is not None:
        folder = folders.output_folder(Path(out))
        with folders.exclusive(folder):
            result._write(folder)
    return result
