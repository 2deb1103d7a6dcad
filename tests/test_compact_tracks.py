"""Compact tracks (``engagement.compact_tracks``, and those the flight kernel writes with ``tracks=True``)
against the NumPy geodesy of ``earth.py``.

Reference: the recorded ECI samples rotated into ECEF one by one (``earth.ecef_from_eci``,
``earth.earth_relative_velocity_ecef``: a cosine and sine per sample) and converted by Bowring's
iteration (``earth.geodetic_from_ecef``), not by the kernel's Heikkinen closed form or its rotation
carried from sample to sample. Tolerances: height 1 mm, unit normal 1e-12, velocity 1e-9 m/s
(rounding of the angle sum formulas, re-anchored every 32 samples: measured about 1e-11 m/s).
"""

import numpy as np
import pytest

from shieldcheck import catalog, earth, flight
from shieldcheck.errors import InputError
from shieldcheck.engagement import compact_tracks
from shieldcheck.engine import results as R


def _yars(**recording):
    return flight.fly_launch(catalog.missile("Yars"), catalog.site("Teykovo"), np.linspace(300.0, 340.0, 5),
                             [15.0, 20.0, 25.0, 30.0, 35.0], **recording)


@pytest.mark.parametrize("written_by", ["compact_tracks", "flight kernel"])
def test_compact_tracks_match_the_numpy_geodesy_of_every_sample(written_by):
    flights = _yars(history=True)
    tracks, counts = compact_tracks(flights if written_by == "compact_tracks" else _yars(tracks=True))
    np.testing.assert_array_equal(counts, flights.summary[:, flight.P.O_HISTORY_COUNT])
    omega = flights.earth.rotation_rate_rad_s
    for i in range(len(flights)):
        samples = flights.history[i, : counts[i]]
        assert counts[i] > 3 * 32  # the rotation is carried across several anchors
        t, position, velocity = samples[:, 0], samples[:, 1:4], samples[:, 4:7]
        ecef = earth.ecef_from_eci(position, t, omega)
        latitude, longitude, height = earth.geodetic_from_ecef(ecef, flights.earth)
        normal = np.stack([np.cos(latitude) * np.cos(longitude), np.cos(latitude) * np.sin(longitude),
                           np.sin(latitude)], axis=-1)
        moving = earth.earth_relative_velocity_ecef(position, velocity, t, omega)
        track = tracks[i, : counts[i]]
        np.testing.assert_array_equal(track[:, R.T_TIME], t)
        np.testing.assert_allclose(track[:, R.T_HEIGHT], height, rtol=0.0, atol=1e-3)
        np.testing.assert_allclose(track[:, R.T_NORMAL:R.T_NORMAL + 3], normal, rtol=0.0, atol=1e-12)
        np.testing.assert_allclose(track[:, R.T_VELOCITY:R.T_VELOCITY + 3], moving, rtol=0.0, atol=1e-9)


def test_a_batch_with_tracks_answers_as_one_with_histories():
    """Same summaries; trajectories from the tracks within 1 mm and 1e-9 m/s; chunks joined and flights picked
    keep their tracks; both recordings at once refused."""
    histories, tracks = _yars(history=True), _yars(tracks=True)
    np.testing.assert_array_equal(tracks.summary, histories.summary)
    assert tracks.history.shape[1] == 0 and tracks.tracks.shape[2] == R.N_TRACK
    for i in (0, 4):
        a, b = histories.trajectory_of(i), tracks.trajectory_of(i)
        np.testing.assert_array_equal(b["time_s"], a["time_s"])
        np.testing.assert_allclose(b["position_ecef_m"], a["position_ecef_m"], rtol=0.0, atol=1e-3)
        np.testing.assert_allclose(b["velocity_ecef_m_s"], a["velocity_ecef_m_s"], rtol=0.0, atol=1e-9)
    np.testing.assert_array_equal(_yars(tracks=True, chunk_size=2).tracks, tracks.tracks)  # joined chunks
    picked = tracks[[1, 3]]
    np.testing.assert_array_equal(picked.tracks, tracks.tracks[[1, 3]])
    with pytest.raises(InputError, match="histories or compact tracks"):
        _yars(history=True, tracks=True)
