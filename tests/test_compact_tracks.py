"""Compact tracks (``engagement.compact_tracks``) against the NumPy geodesy of ``earth.py``.

Reference: the recorded ECI samples rotated into ECEF one by one (``earth.ecef_from_eci``,
``earth.earth_relative_velocity_ecef``: a cosine and sine per sample) and converted by Bowring's
iteration (``earth.geodetic_from_ecef``), not by the kernel's Heikkinen closed form or its rotation
carried from sample to sample. Tolerances: height 1 mm, unit normal 1e-12, velocity 1e-9 m/s
(rounding of the angle sum formulas, re-anchored every 32 samples: measured about 1e-11 m/s).
"""

import numpy as np

from shieldcheck import catalog, earth, flight
from shieldcheck.engagement import compact_tracks
from shieldcheck.engine import results as R


def test_compact_tracks_match_the_numpy_geodesy_of_every_sample():
    missile, site = catalog.missile("Yars"), catalog.site("Teykovo")
    flights = flight.fly_launch(missile, site, np.linspace(300.0, 340.0, 5), [15.0, 20.0, 25.0, 30.0, 35.0],
                                history=True)
    tracks, counts = compact_tracks(flights)
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
