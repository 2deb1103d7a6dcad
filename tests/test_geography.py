"""Country shapes, sectors, rasters and maps (shieldcheck.geography, shieldcheck.report.maps).

References are national statistics for areas, WGS 84 geodesics (pyproj.Geod, Karney's
algorithm) for buffer distances, and the shapes' own point-in-polygon test for the raster.
"""

import fnmatch
import math
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from shieldcheck import geography
from shieldcheck.errors import InputError
from shieldcheck.report import maps

ROOT = Path(__file__).parents[1]
GEOD = pyproj.Geod(ellps="WGS84")
BALTIC = ("Estonia", "Latvia", "Lithuania")
EUROPE = ("Portugal", "Spain", "France", "Belgium", "Netherlands", "Luxembourg", "Germany", "Denmark", "Norway",
          "Sweden", "Finland", "Estonia", "Latvia", "Lithuania", "Poland", "Czechia", "Slovakia", "Hungary",
          "Austria", "Switzerland", "Italy", "Slovenia", "Croatia", "Romania", "Bulgaria", "Greece",
          "United Kingdom", "Ireland", "Iceland", "Albania")


def _distance_to_km(geometry, lat_deg: float, lon_deg: float) -> float:
    """Geodesic distance (WGS 84) from a point to the outline of ``geometry``, sampled every 0.01 degree."""
    boundary = shapely.segmentize(geometry.boundary, 0.01)
    xy = shapely.get_coordinates(boundary)
    n = len(xy)
    _, _, distance_m = GEOD.inv(np.full(n, lon_deg), np.full(n, lat_deg), xy[:, 0], xy[:, 1])
    return float(distance_m.min()) / 1000.0


def test_area_of_poland_vs_statistics_poland():
    """Poland 312,696 km^2 (Statistics Poland, Concise Statistical Yearbook of Poland 2023), within 1.5 %.

    The tolerance allows for the 1:50m outline, which smooths the coast and the rivers on the border.
    """
    area_km2 = geography.area_km2(geography.country("Poland"))
    assert area_km2 == pytest.approx(312_696.0, rel=0.015)


def test_area_of_iceland_vs_statistics_iceland():
    """Iceland 103,000 km^2 (Statistics Iceland; Landmaelingar Islands), within 2 % (1:50m coast)."""
    assert geography.area_km2(geography.country("Iceland")) == pytest.approx(103_000.0, rel=0.02)


def test_area_of_fiji_across_the_antimeridian():
    """Fiji 18,274 km^2 (CIA World Factbook), within 3 %: its islands lie on both sides of 180 degrees,
    so a polygon that wrapped the globe would be off by orders of magnitude."""
    assert geography.area_km2(geography.country("Fiji")) == pytest.approx(18_274.0, rel=0.03)


def test_capitals_lie_in_their_countries():
    """Warsaw (52.23 N, 21.01 E) is in Poland and not in Germany; Berlin (52.52 N, 13.40 E) the other way
    round; Reykjavik (64.15 N, 21.94 W) in Iceland. Exact (the capitals are tens of km from any border)."""
    lat_deg = np.array([52.23, 52.52, 64.15])
    lon_deg = np.array([21.01, 13.40, -21.94])
    assert geography.contains(geography.country("Poland"), lat_deg, lon_deg).tolist() == [True, False, False]
    assert geography.contains(geography.country("Germany"), lat_deg, lon_deg).tolist() == [False, True, False]
    assert geography.contains(geography.country("Iceland"), lat_deg, lon_deg + 360.0).tolist() == [False, False, True]


@pytest.mark.parametrize("buffer_km", [0.0, 100.0])
def test_russia_is_cut_at_the_antimeridian(buffer_km):
    """Chukotka (65 N, 170 E and 65.5 N, 175 W) is in Russia; 50 N 0 E is not; no piece spans the globe.

    Exact: the points are 100 km and more inside or thousands of km outside.
    """
    geometry = geography.sector("Russia", ["Russia"], buffer_km).geometry
    assert geometry.contains(shapely.Point(170.0, 65.0))
    assert geometry.contains(shapely.Point(-175.0, 65.5))
    assert not geometry.contains(shapely.Point(0.0, 50.0))
    widths_deg = [p.bounds[2] - p.bounds[0] for p in shapely.get_parts(geometry)]
    assert max(widths_deg) < 180.0


@pytest.mark.parametrize("azimuth_deg", [0.0, 180.0])
def test_200_km_buffer_of_poland_vs_geodesic_distance(azimuth_deg):
    """A 200 km buffer takes in a point 150 km beyond Poland's border and leaves out one 250 km beyond.

    The points lie due north of Poland's northernmost point (over the Baltic) and due south of its
    southernmost point (over Slovakia and Hungary); their distances to the border are measured with
    WGS 84 geodesics (pyproj) and must be within 2 km of 150 and 250 km, so the test checks the buffer
    to within 50 km either way (the method is good to 0.35 %, 0.7 km, see geography.sector).
    """
    poland = geography.country("Poland")
    buffered = geography.sector("Poland", ["Poland"], buffer_km=200.0).geometry
    xy = shapely.get_coordinates(poland)
    edge_lon_deg, edge_lat_deg = xy[np.argmax(xy[:, 1])] if azimuth_deg == 0.0 else xy[np.argmin(xy[:, 1])]
    for beyond_km, inside in ((150.0, True), (250.0, False)):
        lon_deg, lat_deg, _ = GEOD.fwd(edge_lon_deg, edge_lat_deg, azimuth_deg, beyond_km * 1000.0)
        assert _distance_to_km(poland, lat_deg, lon_deg) == pytest.approx(beyond_km, abs=2.0)
        assert bool(geography.contains(buffered, lat_deg, lon_deg)) is inside


def test_raster_agrees_with_contains_away_from_the_border():
    """On 2,000 random points in the bounding box of 30 European countries, the 0.1-degree raster looked up
    as a kernel does (i = floor((lat + 90)/step), j = floor((lon + 180)/step)) agrees with contains()
    everywhere except within one cell diagonal (0.1 * sqrt(2) degree) of the outline. It takes under 2 s.

    The union is clipped to 25 W-45 E, 34-72 N: France's overseas departments would otherwise stretch
    the box across the globe and leave few points in Europe.
    """
    step_deg = 0.1
    union = geography.sector("Europe", EUROPE).geometry
    started_s = time.perf_counter()
    geography.raster(union, step_deg)
    elapsed_s = time.perf_counter() - started_s
    assert elapsed_s < 2.0
    europe = union.intersection(shapely.box(-25.0, 34.0, 45.0, 72.0))
    mask = geography.raster(europe, step_deg)
    assert mask.shape == (1800, 3600) and mask.dtype == np.uint8 and set(np.unique(mask)) == {0, 1}

    lon_min, lat_min, lon_max, lat_max = europe.bounds
    rng = np.random.default_rng(2024)
    lat_deg = rng.uniform(lat_min, lat_max, 2000)
    lon_deg = rng.uniform(lon_min, lon_max, 2000)
    inside = geography.contains(europe, lat_deg, lon_deg)
    i = np.floor((lat_deg + 90.0) / step_deg).astype(int)
    j = np.floor((lon_deg + 180.0) / step_deg).astype(int)
    looked_up = mask[i, j]
    differ = looked_up.astype(bool) != inside
    border_distance_deg = shapely.distance(europe.boundary, shapely.points(lon_deg, lat_deg))
    assert np.all(border_distance_deg[differ] < step_deg * math.sqrt(2.0))
    assert inside.sum() > 200 and (~inside).sum() > 200  # both kinds of point are tested


def test_raster_cells_are_indexed_from_the_south_west():
    """Cell (i, j) covers latitude -90 + i*step.. and longitude -180 + j*step..: Warsaw's cell is set, and
    the cell west of 180 E at 65 N (Chukotka) too. Exact."""
    mask = geography.raster(geography.country("Poland"), 0.5)
    assert mask.shape == (360, 720)
    assert mask[math.floor((52.23 + 90.0) / 0.5), math.floor((21.01 + 180.0) / 0.5)] == 1
    russia = geography.raster(geography.country("Russia"), 0.5)
    assert russia[math.floor((65.0 + 90.0) / 0.5), 719] == 1
    with pytest.raises(InputError, match="divide 180"):
        geography.raster(geography.country("Poland"), 0.7)


def test_overlap_of_poland_and_the_baltic_states():
    """Poland and the Baltic states only share a border (overlap exactly 0 km^2); grown by 100 km each
    they overlap (around the Polish-Lithuanian border and the Baltic coast), by more than 10,000 km^2
    (63,000 km^2 measured)."""
    assert geography.overlap_km2(geography.sector("Poland", ["Poland"]), geography.sector("Baltic", BALTIC)) == 0.0
    baltic = geography.sector("Baltic", BALTIC, 100.0)
    assert geography.overlap_km2(geography.sector("Poland", ["Poland"], 100.0), baltic) > 10_000.0
    assert repr(baltic).startswith("<Sector 'Baltic': Estonia, Latvia, Lithuania; buffer 100 km; lon 19.")


def test_names_are_matched_loosely_and_unknown_names_suggest():
    """Case, spaces and hyphens do not matter; aliases reach Natural Earth's names; an unknown name raises
    InputError naming it, with the closest names."""
    assert geography.country("czech-republic") is geography.country("Czechia")
    assert geography.country("united states") is geography.country("United States of America")
    assert geography.country("UK") is geography.country("United Kingdom")
    assert geography.iso_numeric("Poland") == "616"
    assert len(geography.country_names()) == 241
    with pytest.raises(InputError, match=r"^country: 'Polnad' is not an allowed choice; allowed: .*\(241 in all\).*"
                                         r"Did you mean 'Poland'"):
        geography.country("Polnad")
    with pytest.raises(InputError, match="buffer_km"):
        geography.sector("bad", ["Poland"], -5.0)


def test_outlines_leave_out_the_cut_edges():
    """Coast and border lines never run along 180 degrees or along a pole (cut edges are dropped)."""
    lines = geography.outlines()
    assert len(lines) > 1000
    for line in lines:
        along_cut = (np.abs(line[:-1, 0]) == 180.0) & (line[:-1, 0] == line[1:, 0])
        along_pole = (np.abs(line[:-1, 1]) == 90.0) & (np.abs(line[1:, 1]) == 90.0)
        assert not along_cut.any() and not along_pole.any()


def test_maps_draw_everything_and_break_tracks_at_the_antimeridian(tmp_path):
    """world_axes and every draw function write a non-empty PNG; a track from 170 E to 170 W is drawn as
    two pieces (a NaN gap at 180 degrees), and range-ring vertices are the radius away (1 m, Karney)."""
    figure, ax = maps.world_axes((100.0, 180.0, 30.0, 75.0), title="North Pacific")
    maps.draw_sector(ax, geography.sector("Japan", ["Japan"], 50.0), "tab:red", "Japan + 50 km")
    lines = maps.draw_track(ax, np.linspace(40.0, 60.0, 41), np.linspace(170.0, 190.0, 41), color="black")
    maps.draw_sites(ax, [35.68, 52.71], [139.69, 174.11], ["Tokyo", "Shemya"], "^", "navy")
    ring = maps.draw_circle_km(ax, 52.71, 174.11, 2000.0, color="navy")
    maps.draw_wedge_km(ax, 52.71, 174.11, 2000.0, 240.0, 330.0, color="purple")
    ax.legend(fontsize=7)
    path = maps.save_png(figure, tmp_path / "map.png")

    assert path.exists() and path.stat().st_size > 10_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lon_deg = lines[0].get_xdata()
    assert len(lines) == 1 and np.isnan(lon_deg).sum() == 1
    assert np.nanmax(np.abs(np.diff(lon_deg))) < 180.0
    ring_lon_deg, ring_lat_deg = (np.asarray(v) for v in ring[0].get_data())
    finite = np.abs(ring_lon_deg) < 180.0  # not the gap, nor the end points added on the antimeridian
    _, _, distance_m = GEOD.inv(np.full(finite.sum(), 174.11), np.full(finite.sum(), 52.71),
                                ring_lon_deg[finite], ring_lat_deg[finite])
    assert np.allclose(distance_m, 2_000_000.0, atol=1.0)


def test_geography_does_not_import_matplotlib_and_data_are_packaged():
    """Importing shieldcheck.geography leaves matplotlib unloaded (it is needed for reports only), and
    pyproject's package data take in the shapes and their licence."""
    code = "import sys, shieldcheck.geography; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["shieldcheck"]
    for shipped in ("data/countries-50m.geojson.gz", "data/NATURAL_EARTH_LICENCE.txt"):
        assert (ROOT / "src" / "shieldcheck" / shipped).exists()
        assert any(fnmatch.fnmatch(shipped, pattern) for pattern in patterns)


def test_polar_map_keeps_distances_from_the_pole(tmp_path):
    """maps.polar_axes is azimuthal equidistant about the pole: a point's distance from the map's
    centre equals its geodesic distance from the pole (pyproj Geod.inv), within 1 m; the meridian
    of central_lon_deg points down; a track across the antimeridian stays one line."""
    import pyproj

    from shieldcheck.report import maps

    figure, ax = maps.polar_axes(20.0, central_lon_deg=-40.0, title="polar")
    geod = pyproj.Geod(ellps="WGS84")
    for lat, lon in [(60.0, 30.0), (38.9, -77.0), (55.7, 37.6), (25.0, 170.0)]:
        x, y = maps.project(ax, [lat], [lon])
        _, _, distance_m = geod.inv(lon, lat, lon, 90.0)
        assert math.hypot(x[0], y[0]) == pytest.approx(distance_m, abs=1.0)
    x, y = maps.project(ax, [50.0], [-40.0])
    assert abs(x[0]) < 1e-6 and y[0] < 0.0
    lines = maps.draw_track(ax, [60.0, 62.0, 64.0], [170.0, 179.5, -170.0])
    assert len(lines) == 1 and not np.isnan(lines[0].get_xydata()).any()
    assert maps.save_png(figure, tmp_path / "polar.png").read_bytes()[:4] == b"\x89PNG"
