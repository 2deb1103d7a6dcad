"""The Python-driven FOBS aiming solver that the compiled one (``engine/fobs.py``) replaced: the baseline of
``bench_fobs_aiming.py`` and the reference of ``tests/test_fobs_aiming.py``.

Every step of its searches (batched grid searches over the kick, Illinois regula falsi on the cut-off and
on the deorbit time, secant steps on the azimuth) is one batched run of the flight kernel over all routes,
driven from NumPy; the state at a deorbit time is read from the recorded coast by cubic Hermite
interpolation, and the answer flown at the end with the kernel stopped at each deorbit time. Kept only to
be measured against, in the same run, and to compare solutions with.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from python_aiming import illinois

from shieldcheck import earth as earth_mod
from shieldcheck.engine import pack as P
from shieldcheck.errors import InputError
from shieldcheck.flight import DEFAULT_ATMOSPHERE, Flights, Integrator, atmosphere_name, fly_launch
from shieldcheck.orbital import (deorbit_impulse, fly_reentry, kepler_orbit, orbit_altitudes_m, reentry_range_angle_rad,
                                 state_at)
from shieldcheck.vehicles import Missile

KICK_MIN_DEG = 0.05
KICK_MAX_DEG = 85.0


def _settled(f, tolerance: float):
    """``f`` for a batched root finder, and a function that, given its result, returns for each
    element the first point at which |f| fell below ``tolerance``: each element's answer is then
    the one it gets when solved alone, however long the rest of the batch iterates."""
    first = {}

    def wrapped(x):
        value = f(x)
        if "x" not in first:
            first["x"], first["hit"] = np.array(x, float), np.abs(value) < tolerance
        else:
            new = ~first["hit"] & (np.abs(value) < tolerance)
            first["x"] = np.where(new, x, first["x"])
            first["hit"] = first["hit"] | new
        return value

    def result(x):
        return np.where(first["hit"], first["x"], x) if "x" in first else x

    return wrapped, result


class _Fobs:
    """Batched FOBS flights for one missile from launch sites to aim points."""

    def __init__(self, missile: Missile, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator,
                 device, perigee_m):
        self.missile = missile
        self.model = earth_mod.earth_model(earth)
        self.launch = [earth_mod.Site(f"launch {i}", a, b, h) for i, (a, b, h) in enumerate(zip(lat, lon, height))]
        self.lat, self.lon, self.aim_lat, self.aim_lon = lat, lon, aim_lat, aim_lon
        self.earth, self.atmosphere, self.integrator, self.device = earth, atmosphere, integrator, device
        self.perigee_m = perigee_m
        self.delta_v = missile.orbital.deorbit_delta_v_m_s
        self.full_s = missile.burn_time_s
        self.distance_m, self.bearing_deg = earth_mod.geodesic_inverse(lat, lon, aim_lat, aim_lon, self.model)
        self.n = len(lat)

    def _options(self, max_flight_time_s: float, history: bool):
        integrator = dataclasses.replace(self.integrator, max_flight_time_s=max_flight_time_s)
        return dict(earth=self.earth, atmosphere=self.atmosphere, integrator=integrator, history=history,
                    device=self.device)

    def insertion(self, azimuth, kick, cutoff_s, rows=None) -> Flights:
        """Boost only (to thrust end), for the orbit at insertion; ``rows`` (flight index of each
        row, default one row per flight) lets one kernel run try several steerings per flight."""
        rows = np.arange(self.n) if rows is None else rows
        return fly_launch(self.missile, [self.launch[i] for i in rows], azimuth, kick, cutoff_s,
                          **self._options(self.full_s + 1.0, False))

    def perigee_of(self, flights: Flights) -> np.ndarray:
        """Perigee altitude (m) of the insertion orbit; -1e7 for flights that fell before thrust ended."""
        state = flights.summary[:, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6]
        fell = (flights.status != P.STATUS_MAX_TIME) | (np.linalg.norm(state[:, :3], axis=1) < 1.0)
        state = np.where(fell[:, None], np.array([7e6, 0, 0, 0, 7e3, 0.0]), state)
        return np.where(fell, -1e7, orbit_altitudes_m(state[:, :3], state[:, 3:], self.model)[0])

    def cutoff_for_perigee(self, azimuth, kick, top, rows=None):
        """Thrust cut-off (s) at which the osculating perigee reaches the target on given kicks, where
        the full burn's perigee ``top`` exceeds it (perigee rises monotonically over the last stage's
        final seconds); the full burn elsewhere. Arrays are per row (see :meth:`insertion`)."""
        rows = np.arange(self.n) if rows is None else rows
        lo = np.full(len(rows), self.missile.stage_times_s()[-1][0] + 1.0)  # one second into the last stage

        def f(cutoff):
            return self.perigee_of(self.insertion(azimuth, kick, cutoff, rows)) - self.perigee_m

        f_lo = f(lo)
        ok = (f_lo < 0.0) & (top >= self.perigee_m)
        g, settled = _settled(f, 300.0)
        cutoff = settled(illinois(g, lo, np.full(len(rows), self.full_s), np.where(ok, f_lo, -1.0),
                                   np.where(ok, top - self.perigee_m, 1.0), 40, 300.0))
        return np.where(ok, cutoff, np.where(f_lo >= 0.0, lo, self.full_s))

    def _grid_best(self, score, lo, hi, points: int, rounds: int):
        """Kick (deg) of the lowest ``score`` per flight: a grid of ``points`` kicks per flight in
        one batched run, refined ``rounds`` times around the best (each round spans two grid steps)."""
        n = self.n
        rows = np.repeat(np.arange(n), points)
        best = 0.5 * (lo + hi)
        for _ in range(rounds):
            grid = np.linspace(lo, hi, points).T  # (flight, point)
            values = score(grid.ravel(), rows).reshape(n, points)
            j = np.argmin(values, axis=1)
            best = grid[np.arange(n), j]
            step = (hi - lo) / (points - 1)
            lo, hi = np.maximum(best - step, KICK_MIN_DEG), np.minimum(best + step, KICK_MAX_DEG)
        return best

    def steering(self, azimuth, previous_kick=None) -> tuple[np.ndarray, np.ndarray]:
        """Kick angle (deg) and thrust cut-off (s) of the insertion: of the gravity-turn kicks whose
        orbit reaches the target perigee, the one that needs the earliest cut-off (least propellant;
        it is also the most nearly circular orbit), cut off when the osculating perigee reaches it.
        Grid searches batched over flights; with ``previous_kick`` (a solution for a nearby
        azimuth) only a window of 3 deg around it is searched."""
        n = self.n
        full_s = self.full_s

        def top(kick, rows):
            return self.perigee_of(self.insertion(azimuth[rows], kick, np.full(len(rows), full_s), rows))

        if previous_kick is None:
            best = self._grid_best(lambda k, rows: -top(k, rows), np.full(n, KICK_MIN_DEG), np.full(n, KICK_MAX_DEG),
                                   21, 4)
            window = 12.0  # deg either side of the highest-perigee kick: the kicks that reach the perigee
        else:
            best, window = previous_kick, 3.0
        highest = top(best, np.arange(n))
        if np.any(highest < self.perigee_m):
            i = int(np.argmax(highest < self.perigee_m))
            raise InputError(f"{self.missile.name} cannot reach an orbit with a perigee of {self.perigee_m / 1e3:,.0f} km "
                             f"from ({self.lat[i]:.2f}, {self.lon[i]:.2f}) on azimuth {azimuth[i] % 360:.1f} deg: its "
                             f"highest perigee there is {highest[i] / 1e3:,.0f} km")

        def cost(kick, rows):
            reach = top(kick, rows)
            shortfall_km = np.maximum(self.perigee_m - reach, 0.0) / 1e3
            return self.cutoff_for_perigee(azimuth[rows], kick, reach, rows) + shortfall_km  # 1 s per km short

        kick = self._grid_best(cost, np.maximum(best - window, KICK_MIN_DEG), np.minimum(best + window, KICK_MAX_DEG),
                               13, 4)
        reach = top(kick, np.arange(n))
        if np.any(reach < self.perigee_m):  # the least-propellant search left the reachable kicks: fall back
            kick = np.where(reach < self.perigee_m, best, kick)
            reach = top(kick, np.arange(n))
        return kick, self.cutoff_for_perigee(azimuth, kick, reach)

    def coast(self, azimuth, kick, cutoff_s, max_time_s: float) -> Flights:
        return fly_launch(self.missile, self.launch, azimuth, kick, cutoff_s, **self._options(max_time_s, True))

    def impact_errors(self, summary):
        """Along-track miss (m, + beyond the aim) and cross-track miss (m, + aim to the right of the
        track) of impacts, and their distance to the aim (m)."""
        impact = summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
        velocity = summary[:, P.O_IMPACT_VELOCITY_ECEF:P.O_IMPACT_VELOCITY_ECEF + 3]
        lat, lon, _ = earth_mod.geodetic_from_ecef(impact, self.model)
        _, east, north = earth_mod.local_frame(lat, lon)
        heading = np.degrees(np.arctan2(np.sum(velocity * east, -1), np.sum(velocity * north, -1)))
        distance, bearing = earth_mod.geodesic_inverse(np.degrees(lat), np.degrees(lon), self.aim_lat, self.aim_lon,
                                                       self.model)
        off = np.radians(bearing - heading)
        landed = summary[:, P.O_STATUS] == P.STATUS_IMPACT
        along = np.where(landed, -distance * np.cos(off), -1e7)  # not landed: treat as far short
        return along, np.where(landed, distance * np.sin(off), 0.0), distance

    def reentry(self, coast: Flights, deorbit_time_s, history: bool = False, state=None):
        if state is None:
            state = state_at(coast.history, coast.summary[:, P.O_HISTORY_COUNT], deorbit_time_s)
        after = deorbit_impulse(state, self.delta_v)
        options = self._options(self.integrator.max_flight_time_s, history)
        return fly_reentry(after, deorbit_time_s, self.missile, self.model, self.atmosphere, options["integrator"],
                           history, self.device)

    def first_guess(self, coast: Flights) -> np.ndarray:
        """Deorbit time (s) from the coast's ground track and the closed-form re-entry range angle:
        the time the track passes nearest the aim, less the re-entry's angle over the mean motion."""
        guess = np.empty(self.n)
        burnout = coast.burnout_time_s
        aim = earth_mod.ecef_from_geodetic(np.radians(self.aim_lat), np.radians(self.aim_lon), 0.0, self.model)
        for i in range(self.n):
            track = coast.trajectory_of(i)
            after = track["time_s"] > burnout[i] + 60.0
            gap = np.linalg.norm(track["position_ecef_m"][after] - aim[i], axis=1)
            t_over = track["time_s"][after][int(np.argmin(gap))]
            samples = coast.history[i, :int(coast.summary[i, P.O_HISTORY_COUNT])]
            state = samples[min(int(np.searchsorted(samples[:, 0], t_over)), len(samples) - 1), 1:]
            r = np.linalg.norm(state[:3])
            v = np.linalg.norm(state[3:]) - self.delta_v
            angle = reentry_range_angle_rad(r, v, 0.0, float(np.linalg.norm(aim[i])), self.model.gm_m3_s2)
            period = kepler_orbit(state[:3], state[3:], self.model.gm_m3_s2)["period_s"]
            angle = np.nan_to_num(angle, nan=0.05)
            guess[i] = t_over - angle / (2.0 * np.pi) * period
        return np.clip(guess, burnout + 1.0, None)

    def solve_deorbit(self, coast: Flights, tolerance_m: float) -> np.ndarray:
        """Deorbit times that put each impact on its aim along the track (secant, then Illinois)."""
        lo_limit = coast.burnout_time_s + 1.0
        hi_limit = coast.flight_time_s - 1.0
        x0 = np.clip(self.first_guess(coast), lo_limit, hi_limit)
        f0 = self.impact_errors(self.reentry(coast, x0)[0])[0]
        speed_m_s = 7_000.0  # ground speed of a low orbit, for the second point only
        x1 = np.clip(x0 - f0 / speed_m_s, lo_limit, hi_limit)
        f1 = self.impact_errors(self.reentry(coast, x1)[0])[0]
        for _ in range(12):
            if np.all(np.abs(f1) < tolerance_m):
                break
            slope = np.where(np.abs(x1 - x0) > 1e-9, (f1 - f0) / np.where(x1 != x0, x1 - x0, 1.0), speed_m_s)
            slope = np.where(slope > 100.0, slope, speed_m_s)  # the landing point moves forward with t_d
            x2 = np.clip(x1 - f1 / slope, lo_limit, hi_limit)
            x2 = np.where(np.abs(f1) < tolerance_m, x1, x2)
            x0, f0 = x1, f1
            x1 = x2
            f1 = self.impact_errors(self.reentry(coast, x1)[0])[0]
        if np.all(np.abs(f1) < tolerance_m):
            return x1
        # bracket and finish with Illinois regula falsi where the secant did not converge
        lo = np.clip(x1 - 120.0, lo_limit, hi_limit)
        hi = np.clip(x1 + 120.0, lo_limit, hi_limit)

        def f(t):
            return self.impact_errors(self.reentry(coast, t)[0])[0]

        f_lo, f_hi = f(lo), f(hi)
        ok = (f_lo < 0.0) & (f_hi >= 0.0)
        if not np.all(ok | (np.abs(f1) < tolerance_m)):
            i = int(np.argmax(~ok & (np.abs(f1) >= tolerance_m)))
            raise InputError(f"no deorbit time lands {self.missile.name} on the aim ({self.aim_lat[i]:.2f}, "
                             f"{self.aim_lon[i]:.2f}) within the coast: along-track miss {f1[i] / 1e3:,.1f} km")
        g, settled = _settled(f, tolerance_m)
        return np.where(np.abs(f1) < tolerance_m, x1,
                        settled(illinois(g, lo, hi, np.where(ok, f_lo, -1.0), np.where(ok, f_hi, 1.0), 40, tolerance_m)))


def solve(missile: Missile, lat, lon, aim_lat, aim_lon, *, perigee_km: float | None = None,
          earth: str = earth_mod.DEFAULT_EARTH, atmosphere: str = DEFAULT_ATMOSPHERE, integrator: Integrator = Integrator(),
          tolerance_m: float = 100.0, device: str = "cpu") -> dict[str, np.ndarray]:
    """Aim FOBS routes (arrays of launch and aim points, deg; launch height 0 m) as ``orbital.fly_fobs`` did before
    the compiled solver, and fly the answers: their controls (azimuth, kick, cut-off, deorbit time), the impact
    points (ECEF m) and the misses (m). Raises InputError where a route cannot be solved, as it did."""
    atmosphere_name(atmosphere)
    lat, lon, aim_lat, aim_lon = (np.atleast_1d(np.asarray(v, float)) for v in (lat, lon, aim_lat, aim_lon))
    height = np.zeros(len(lat))
    vehicle = missile
    perigee_m = vehicle.orbital.perigee_altitude_m if perigee_km is None else perigee_km * 1e3
    problem = _Fobs(vehicle, lat, lon, height, aim_lat, aim_lon, earth, atmosphere, integrator, device, perigee_m)
    if np.any(problem.distance_m < 1_000.0):
        raise InputError("aim point within 1 km of the launch point")
    radius_m = math.sqrt(problem.model.equatorial_radius_m * problem.model.polar_radius_m)
    range_angle = 2.0 * np.pi - problem.distance_m / radius_m  # the long way round
    azimuth = (problem.bearing_deg + 180.0) % 360.0
    kick = cutoff = steered_azimuth = previous = None
    done = np.zeros(problem.n, bool)  # converged flights keep their steering
    for _ in range(12):
        if kick is None:
            kick, cutoff = problem.steering(azimuth)
            steered_azimuth = azimuth.copy()
        else:
            # a flight whose azimuth moved by more than 0.5 deg searches its kick again (near the last
            # one); the others keep it and re-solve only the cut-off, so that small azimuth corrections
            # are not lost in search noise (each flight's path is independent of the batch)
            moved = ~done & (np.abs((azimuth - steered_azimuth + 180.0) % 360.0 - 180.0) > 0.5)
            new_kick, new_cutoff = problem.steering(azimuth, kick) if moved.any() else (kick, cutoff)
            reach = problem.perigee_of(problem.insertion(azimuth, kick, np.full(problem.n, problem.full_s)))
            kept_cutoff = problem.cutoff_for_perigee(azimuth, kick, reach)
            kick = np.where(moved, new_kick, kick)
            cutoff = np.where(moved, new_cutoff, np.where(done, cutoff, kept_cutoff))
            steered_azimuth = np.where(moved, azimuth, steered_azimuth)
        period = orbit_altitudes_m(*np.split(problem.insertion(azimuth, kick, cutoff).summary[
            :, P.O_BURNOUT_STATE:P.O_BURNOUT_STATE + 6], 2, axis=1), problem.model)[2]
        coast = problem.coast(azimuth, kick, cutoff, float(problem.full_s + 1.1 * np.max(period)))
        deorbit_s = problem.solve_deorbit(coast, tolerance_m / 4)
        along, cross, miss = problem.impact_errors(problem.reentry(coast, deorbit_s)[0])
        done = miss < tolerance_m / 2  # margin for the final flight from the kernel's exact deorbit state
        if np.all(done):
            break
        # a clockwise turn of the launch azimuth by delta moves the track at range angle theta by
        # R sin(theta) delta to the right (Earth rotation changes this): first step from it, then
        # secant steps on each flight's own cross-track miss against its azimuth
        slope = -np.radians(1.0) * radius_m * np.sin(range_angle)  # d(cross)/d(azimuth), m per deg
        slope = np.where(np.abs(slope) < 0.2 * np.radians(1.0) * radius_m,
                         np.sign(slope - 1e-30) * 0.2 * np.radians(1.0) * radius_m, slope)
        if previous is not None:
            change = (azimuth - previous[0] + 180.0) % 360.0 - 180.0
            secant = (cross - previous[1]) / np.where(np.abs(change) > 1e-9, change, 1.0)
            slope = np.where((np.abs(change) > 1e-9) & (secant * slope > 0.0), secant, slope)
        previous = (azimuth.copy(), cross.copy())
        turn = np.clip(-cross / slope, -20.0, 20.0)
        azimuth = np.where(done, azimuth, (azimuth + turn) % 360.0)
    if np.any(miss >= tolerance_m):
        i = int(np.argmax(miss >= tolerance_m))
        raise InputError(f"no fractional orbit of {vehicle.name} lands within {tolerance_m:g} m of "
                         f"({aim_lat[i]:.2f}, {aim_lon[i]:.2f}): closest {miss[i]:,.0f} m")
    return _final(problem, azimuth, kick, cutoff, deorbit_s)


def _final(problem: _Fobs, azimuth, kick, cutoff, deorbit_s) -> dict[str, np.ndarray]:
    """Fly the solution: the kernel stopped at each deorbit time (Integrator(max_flight_time_s=t_d)), the impulse,
    the re-entry."""
    parts = [fly_launch(problem.missile, problem.launch[i], azimuth[i], kick[i], cutoff[i],
                        **problem._options(float(deorbit_s[i]), False)) for i in range(problem.n)]
    boost_summary = np.concatenate([p.summary for p in parts])
    end_time_s = boost_summary[:, P.O_END_T]
    state = boost_summary[:, P.O_END_STATE:P.O_END_STATE + 6]
    after = deorbit_impulse(state, problem.delta_v)
    options = problem._options(problem.integrator.max_flight_time_s, False)
    summary, _ = fly_reentry(after, end_time_s, problem.missile, problem.model, problem.atmosphere,
                             options["integrator"], False, problem.device)
    impact = summary[:, P.O_IMPACT_ECEF:P.O_IMPACT_ECEF + 3]
    aim = earth_mod.ecef_from_geodetic(np.radians(problem.aim_lat), np.radians(problem.aim_lon), 0.0, problem.model)
    return {"azimuth_deg": azimuth % 360.0, "kick_deg": np.asarray(kick, float), "cutoff_s": np.asarray(cutoff, float),
            "deorbit_time_s": end_time_s, "impact_ecef_m": impact, "miss_m": np.linalg.norm(impact - aim, axis=1)}
