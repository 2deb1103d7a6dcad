"""The Python API validates at its edge as the command line does: wrong types and impossible values
raise the package's InputError with one line naming the argument, never an internal exception."""

import math

import numpy as np
import pytest

import shieldcheck as sc
from shieldcheck import catalog
from shieldcheck.earth import Sites
from shieldcheck.engagement import Cueing
from shieldcheck.errors import InputError


@pytest.mark.parametrize("call, named", [
    (lambda: catalog.missile(123), "missile = 123"),
    (lambda: catalog.missile(None), "missile = None"),
    (lambda: catalog.missile(""), "missile = ''"),
    (lambda: catalog.missile(b"Yars"), "missile = b'Yars'"),
    (lambda: catalog.site(None), "site = None"),
    (lambda: catalog.site(["Teykovo"]), "site = ['Teykovo']"),
    (lambda: catalog.interceptor({"name": "x"}), "interceptor = {'name': 'x'}"),
    (lambda: catalog.sensor(3.5), "sensor = 3.5"),
    (lambda: sc.fly(42, "Tabriz", "Tehran"), "missile = 42"),
    (lambda: sc.fly("Shahab-3", None, "Tehran"), "launch = None"),
    (lambda: sc.fly("Shahab-3", "Tabriz", []), "aim = []"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", tolerance_m=0.0), "tolerance_m = 0.0"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", tolerance_m=-5.0), "tolerance_m = -5.0"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", tolerance_m=math.nan), "tolerance_m = nan"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", history="yes"), "history = 'yes'"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", trajectory=7), "trajectory: 7 is not an allowed choice"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", integrator=None), "integrator = None"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", trajectory="lofted", burnout_angle_deg="20"),
     "burnout_angle_deg = '20' is not a number"),
    (lambda: sc.fly("Shahab-3", "Tabriz", "Tehran", device="tpu"), "device: 'tpu' is not an allowed choice"),
    (lambda: sc.fly_burnout([], [], 0.0, 3000.0, 30.0, 40.0, catalog.missile("Shahab-3")), "no flight given"),
    (lambda: sc.fly_burnout([[1.0], [1.0, 2.0]], 0.0, 0.0, 3000.0, 30.0, 40.0, catalog.missile("Shahab-3")),
     "latitude_deg = [[1.0], [1.0, 2.0]]: give a number or a flat sequence"),
    (lambda: Cueing.parse(None), "cueing: None is not an allowed choice"),
    (lambda: Cueing.parse(120), "cueing: 120 is not an allowed choice"),
])
def test_bad_arguments_are_one_line_input_errors(call, named):
    with pytest.raises(InputError) as error:
        call()
    message = str(error.value)
    assert named in message and "\n" not in message


def test_a_flight_index_out_of_range_is_an_input_error():
    flights = sc.fly("Shahab-3", "Tabriz", "Tehran", history=True)
    for bad in (1, -2, 1.0, "0", True):
        with pytest.raises(InputError, match=r"flight index i = .* is not an index of these 1 flights"):
            flights.trajectory_of(bad)
    assert flights.trajectory_of(0)["time_s"].size > 0


@pytest.mark.parametrize("call, named", [
    (lambda m, s: sc.fly_launch(m, [s, s], [0.0, 1.0, 2.0], [10.0, 20.0, 30.0]), "launch: 2 sites for 3 flights"),
    (lambda m, s: sc.fly_launch(m, s, [0.0, 1.0], [10.0, 20.0, 30.0]), "azimuth_deg = [0.0, 1.0]"),
    (lambda m, s: sc.fly_launch("Yars", s, 0.0, 10.0), "missile = 'Yars'"),
    (lambda m, s: sc.fly_launch([m, "Yars"], s, 0.0, [10.0, 20.0]), "missile = 'Yars'"),
    (lambda m, s: sc.fly_launch([m, m], s, 0.0, [10.0, 20.0, 30.0]), "missile: 2 missiles for 3 flights"),
    (lambda m, s: sc.fly_launch(m, "Teykovo", 0.0, 10.0), "launch = 'Teykovo'"),
    (lambda m, s: sc.fly_launch(m, [], [], []), "launch = []"),
    (lambda m, s: sc.fly_launch(m, s, 0.0, math.nan), "kick_deg = nan"),
    (lambda m, s: sc.fly_launch(m, s, 0.0, ["a"]), "kick_deg = ['a']"),
    (lambda m, s: sc.fly_launch(m, s, 0.0, 10.0, history="no"), "history = 'no'"),
    (lambda m, s: sc.fly_launch(m, s, 0.0, 10.0, tracks="no"), "tracks = 'no'"),
    (lambda m, s: sc.fly_launch(m, s, 0.0, 10.0, integrator=sc.Integrator(boost_interface_altitude_m=-1.0)),
     "boost_interface_altitude_m = -1.0 is outside 0 to"),
    (lambda m, s: sc.fly_launch(m, Sites([56.9, 57.0], [40.5, 40.6, 40.7]), 0.0, 10.0),
     "sites: latitude_deg, longitude_deg and height_m have 2, 3, 1 values"),
    (lambda m, s: sc.fly_launch(m, Sites([56.9, 57.0], [40.5, 40.6]), 0.0, [10.0, 20.0, 30.0]),
     "launch: 2 sites for 3 flights"),
    (lambda m, s: Sites([56.9, math.nan], 40.5), "sites: point 1: latitude_deg = nan is outside -90 to 90 deg"),
    (lambda m, s: Sites(56.9, [40.5, 400.0]), "sites: point 1: longitude_deg = 400.0 is outside -180 to 360 deg"),
    (lambda m, s: Sites(56.9, 40.5, -1e4), "sites: point 0: height_m = -10000.0 is outside -500 to 10,000 m"),
    (lambda m, s: Sites(["a"], 40.5), "sites: latitude_deg = ['a']: give a number or a one-dimensional array"),
    (lambda m, s: Sites([[56.9]], 40.5), "sites: latitude_deg = [[56.9]]: give a number or a one-dimensional"),
    (lambda m, s: Sites([], []), "sites: no points given"),
    (lambda m, s: sc.fly_burnout(50.0, 40.0, 200e3, 6500.0, 30.0, 315.0, None), "missile = None"),
    (lambda m, s: sc.fly_burnout(math.nan, 40.0, 200e3, 6500.0, 30.0, 315.0, m), "latitude_deg = nan"),
])
def test_flight_entry_points_check_their_arguments(call, named):
    with pytest.raises(InputError) as error:
        call(catalog.missile("Yars"), catalog.site("Teykovo"))
    assert named in str(error.value) and "\n" not in str(error.value)


def test_arrays_of_launch_points_fly_as_a_site_each():
    """``earth.Sites`` is the same launch as one ``earth.Site`` per point, bit for bit."""
    missile = catalog.missile("Yars")
    lat, lon = [56.9, 57.1, 56.7], [40.5, 40.2, 40.9]
    one_each = sc.fly_launch(missile, [sc.earth.site(a, b) for a, b in zip(lat, lon)], [0.0, 20.0, 40.0], 20.0)
    arrays = sc.fly_launch(missile, Sites(lat, lon), [0.0, 20.0, 40.0], 20.0)
    assert np.array_equal(one_each.summary, arrays.summary) and arrays.launch_latitude_deg.tolist() == lat
    assert len(Sites(lat, 40.5, 100.0)) == 3


def test_a_gpu_asked_for_where_there_is_none_is_one_line_before_any_work():
    # Without a CUDA driver (as on the test machines) the GPU is refused at the edge: one line, not the
    # CudaSupportError numba raises at the first kernel launch.
    from numba import cuda

    if cuda.is_available():
        pytest.skip("a GPU is present: the refusal applies only where there is none")
    with pytest.raises(InputError) as error:
        sc.fly("Shahab-3", "Tabriz", "Tehran", device="gpu")
    assert str(error.value).startswith("device = 'gpu' is not available here") and "\n" not in str(error.value)
