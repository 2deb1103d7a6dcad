"""The CUDA target: the same flight physics (one flight per thread) and engagement evaluation (one
(flight, site) pair per thread) compiled with numba-cuda.

Compact tracks written by the flight kernel stay in the device's memory (:class:`DeviceTracks`)
for the engagement and cue kernels, which read them there.

Imported only when the GPU path is asked for (``pip install .[gpu]``); under
``NUMBA_ENABLE_CUDASIM=1`` numba-cuda's simulator runs the same kernel on the CPU, which is how
the kernel's logic is tested without a GPU.
"""

from __future__ import annotations

import numpy as np
from numba import cuda, float64

from .aim import build as build_aim
from .engage import SCRATCH_SAMPLES
from .fobs import build as build_fobs
from .engage import build as build_engage
from .physics import build
from .sensing import build as build_sensing

_fly_one = build(cuda.jit(device=True)).fly_one
_aim_one = build_aim(cuda.jit(device=True), _fly_one).aim_one
_fobs = build_fobs(cuda.jit(device=True), _fly_one)
THREADS_PER_BLOCK = 128


@cuda.jit
def _fly_kernel(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history):
    i = cuda.grid(1)
    if i < flights.shape[0]:
        _fly_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history)


class DeviceTracks:
    """Compact tracks (flight, sample, results.N_TRACK) kept in the GPU's memory where the flight kernel
    wrote them: the engagement kernels read them there (``on_device``); the host gets a copy only when
    it asks (``np.asarray``, indexing), once, and ``copied`` says whether it has."""

    def __init__(self, array):
        self.array = array
        self.shape = tuple(array.shape)
        self.ndim = len(self.shape)
        self.dtype = np.dtype(array.dtype)
        self._host = None

    def __len__(self) -> int:
        return self.shape[0]

    @property
    def copied(self) -> bool:
        return self._host is not None

    def __array__(self, dtype=None, copy=None):
        if self._host is None:
            self._host = self.array.copy_to_host()
        return self._host if dtype is None else self._host.astype(dtype)

    def __getitem__(self, index):
        return np.asarray(self)[index]


def on_device(a):
    """A kernel argument in the GPU's memory: resident tracks as they are, a host array copied up."""
    return a.array if isinstance(a, DeviceTracks) else cuda.to_device(np.ascontiguousarray(a))


def fly_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history,
              resident=False):
    """Fly every row of ``flights`` on the GPU and copy the summaries back; the history too, or, with
    ``resident``, keep the recorded samples on the device and return them as :class:`DeviceTracks`."""
    n = flights.shape[0]
    history_device = cuda.device_array_like(history)
    if n > 0:
        device = [cuda.to_device(np.ascontiguousarray(a)) for a in (flights, vehicles, drag, settings, earth, log_density, log_pressure, sound)]
        out_device = cuda.device_array_like(out)
        blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
        _fly_kernel[blocks, THREADS_PER_BLOCK](*device, out_device, history_device)
        out_device.copy_to_host(out)
    if resident:
        return DeviceTracks(history_device)
    if n > 0:
        history_device.copy_to_host(history)


_evaluate_pair = build_engage(cuda.jit(device=True)).evaluate_pair


@cuda.jit
def _engage_kernel(tracks, counts, phases, sites, envelope_index, grids, velocities, site_min, site_rates, masks,
                   launch_s, look_s, band, steps, earth, endgame, guides, site_guides, out):
    k = cuda.grid(1)
    n_sites = sites.shape[0]
    if k < tracks.shape[0] * n_sites:
        scratch = cuda.local.array((SCRATCH_SAMPLES, 4), float64)  # samples past it are taken in time order
        _evaluate_pair(k, k // n_sites, k % n_sites, tracks, counts, phases, sites, envelope_index, grids, velocities,
                       site_min, site_rates, masks, launch_s[k], look_s, band, steps, earth, endgame, guides, site_guides,
                       scratch, out)


def engage_batch(tracks, counts, phases, sites, envelope_index, grids, velocities, site_min, site_rates, masks, launch_s,
                 look_s, band, steps, earth, endgame, guides, site_guides, out):
    """Evaluate every (flight, site) pair on the GPU, one pair per thread; copy the results back."""
    n = out.shape[0]
    if n == 0:
        return
    device = [on_device(a) for a in
              (tracks, counts, phases, sites, envelope_index, grids, velocities, site_min, site_rates, masks, launch_s)]
    device += [float(look_s)]
    device += [cuda.to_device(np.ascontiguousarray(a)) for a in (band, steps, earth, endgame, guides, site_guides)]
    out_device = cuda.device_array_like(out)
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    _engage_kernel[blocks, THREADS_PER_BLOCK](*device, out_device)
    out_device.copy_to_host(out)


_cue_of_flight = build_sensing(cuda.jit(device=True))[2]


@cuda.jit
def _cue_kernel(tracks, counts, burnout_s, sensors, a, f, out):
    i = cuda.grid(1)
    if i < tracks.shape[0]:
        _cue_of_flight(i, tracks, counts, burnout_s, sensors, a, f, out)


def cue_batch(tracks, counts, burnout_s, sensors, a, f, out):
    """First detection and track of every flight by the sensor rows on the GPU, one flight per thread."""
    n = out.shape[0]
    if n == 0:
        return
    device = [on_device(x) for x in (tracks, counts, burnout_s, sensors)]
    out_device = cuda.device_array_like(out)
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    _cue_kernel[blocks, THREADS_PER_BLOCK](*device, a, f, out_device)
    out_device.copy_to_host(out)


@cuda.jit
def _aim_kernel(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes, scan,
                result):
    i = cuda.grid(1)
    if i < flights.shape[0]:
        _aim_one(i, flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes, scan,
                 result)


def aim_batch(flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes, scan,
              result):
    """Aim every route on the GPU, one route per thread (``engine/aim.py``); copy the results back."""
    n = flights.shape[0]
    if n == 0:
        return
    device = [cuda.to_device(np.ascontiguousarray(a)) for a in
              (flights, vehicles, drag, settings, earth, log_density, log_pressure, sound, out, history, routes, scan)]
    result_device = cuda.device_array_like(result)
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    _aim_kernel[blocks, THREADS_PER_BLOCK](*device, result_device)
    result_device.copy_to_host(result)


@cuda.jit
def _fobs_aim_kernel(flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                     reentry_flights, reentry_out, reentry_history, result):
    i = cuda.grid(1)
    if i < flights.shape[0]:
        _fobs.aim_one(i, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                      reentry_flights, reentry_out, reentry_history, result)


@cuda.jit
def _fobs_fly_kernel(flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                     reentry_flights, reentry_out, reentry_history, result):
    i = cuda.grid(1)
    if i < flights.shape[0]:
        _fobs.fly_solution(i, flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history,
                           routes, reentry_flights, reentry_out, reentry_history, result)


def _fobs_run(kernel, arrays, kept):
    """Run a FOBS kernel over the routes of ``arrays`` (its arguments, in order) on the GPU, one route per thread,
    and copy back the arrays at the positions ``kept``."""
    n = arrays[0].shape[0]
    if n == 0:
        return
    device = [cuda.to_device(np.ascontiguousarray(a)) for a in arrays]
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    kernel[blocks, THREADS_PER_BLOCK](*device)
    for k in kept:
        device[k].copy_to_host(arrays[k])


def fobs_aim_batch(flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                   reentry_flights, reentry_out, reentry_history, result):
    """Aim every fractional-orbit route on the GPU, one route per thread (``engine/fobs.py``); copy the results
    back."""
    _fobs_run(_fobs_aim_kernel, (flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history,
                                 routes, reentry_flights, reentry_out, reentry_history, result), (14,))


def fobs_fly_batch(flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history, routes,
                   reentry_flights, reentry_out, reentry_history, result):
    """Fly every fractional-orbit route's solution on the GPU; copy back the summaries, histories and re-entry rows."""
    _fobs_run(_fobs_fly_kernel, (flights, vehicles, drag, scratch, earth, log_density, log_pressure, sound, out, history,
                                 routes, reentry_flights, reentry_out, reentry_history, result), (8, 9, 11, 12, 13))
