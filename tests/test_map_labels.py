"""Map labels a reader can read, and the polar map's projection is what its caption says.

References: label boxes are matplotlib's own text extents (``Text.get_window_extent``) on the saved
figure's canvas; the sea label points are checked against the shipped Natural Earth land; the polar
map is checked against the WGS 84 geodesic distance from the pole (pyproj ``Geod.inv``, Karney 2013):
an azimuthal equidistant map centred on the pole keeps that distance as the radius.
"""

import itertools

import numpy as np
import pyproj
import pytest

from shieldcheck import geography
from shieldcheck.report import figures, maps


def _boxes(artists):
    """The text boxes of placed labels (a leader line may cross other labels' space; its text may not)."""
    from matplotlib.text import Text

    renderer = artists[0].figure.canvas.get_renderer()
    for a in artists:
        a.update_positions(renderer)
    return [Text.get_window_extent(a, renderer) for a in artists]


def test_crowded_site_labels_do_not_overlap():
    # twelve named points within 1.5 degrees of each other: their labels collide unless moved apart
    figure, ax = maps.world_axes((10.0, 30.0, 45.0, 60.0), width_in=6.0)
    rng = np.random.default_rng(7)
    lat = 52.0 + rng.uniform(-0.75, 0.75, 12)
    lon = 20.0 + rng.uniform(-0.75, 0.75, 12)
    labels = [(x, y, f"Site number {k}") for k, (x, y) in enumerate(zip(lon, lat))]
    placed = maps.place_labels(ax, labels, taken=[])
    assert len(placed) == len(labels)  # a site's name is never dropped
    boxes = _boxes(placed)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_a_layer_map_places_its_labels_and_place_names_apart(tmp_path):
    layers = figures.MapLayers((-15.0, 60.0, 25.0, 72.0), "labels")
    for name, lat, lon in (("Ankara", 39.93, 32.86), ("Bucharest", 44.43, 26.10), ("Sofia", 42.70, 23.32),
                           ("Athens", 37.98, 23.73), ("Skopje", 42.00, 21.43), ("Tirana", 41.33, 19.82),
                           ("Podgorica", 42.44, 19.26), ("Belgrade", 44.79, 20.45), ("Sarajevo", 43.86, 18.41)):
        layers.points.append((lat, lon, "o", figures.ENGAGEABLE, name))
    figures.layer_map(layers, tmp_path / "map.png")
    assert len(layers.placed) == 9 and layers.placed_places  # every point named; some countries and seas too
    boxes = _boxes(layers.placed + layers.placed_places)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_sea_label_points_lie_at_sea():
    land = [geography.country(name) for name in geography.country_names()]
    for name, lat, lon in maps.sea_labels():
        assert not any(geography.contains(shape, lat, lon) for shape in land), name


@pytest.mark.parametrize("lat_deg, lon_deg", [(20.0, -40.0), (45.0, 37.0), (60.0, 150.0), (80.0, -120.0)])
def test_polar_map_is_azimuthal_equidistant_about_the_pole(lat_deg, lon_deg):
    _, ax = maps.polar_axes(20.0, width_in=4.0)
    x, y = maps.project(ax, [lat_deg], [lon_deg])
    _, _, distance_m = pyproj.Geod(ellps="WGS84").inv(lon_deg, 90.0, lon_deg, lat_deg)
    # radius on the map = geodesic distance from the pole; 1 m is far below a pixel (about 30 km here)
    assert abs(float(np.hypot(x[0], y[0])) - distance_m) < 1.0
    # and the direction from the pole is the meridian's: the central meridian (-40) points down the page
    bearing = np.degrees(np.arctan2(x[0], -y[0]))
    assert abs(((bearing - (lon_deg + 40.0)) + 180.0) % 360.0 - 180.0) < 1e-6
