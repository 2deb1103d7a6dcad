"""Launch areas: points drawn uniformly by area, within the radius by geodesic distance, on the right
surface, reproducibly; and every bad area or argument gives one line naming what and what is allowed.

References: Karney's geodesics (GeographicLib through pyproj, ``earth.geodesic_inverse``) for the
distances and for the area of a geodesic disc; the binomial distribution for the statistical
checks (tolerances of 5 standard deviations, so that a correct sampler fails about once in
two million runs, while a sampler uniform in radius instead of area, which puts half its points
inside half the radius, fails every time); Natural Earth's country shapes
(``geography.land_near``) for land and sea.
"""

import math

import numpy as np
import pytest
from pyproj import Geod

from shieldcheck import catalog, geography, launch_areas
from shieldcheck.catalog import SiteRecord
from shieldcheck.earth import EARTH_MODELS, geodesic_inverse
from shieldcheck.errors import InputError

WGS84 = EARTH_MODELS["wgs84-j2-rotating"]
N = 20_000


def _five_sigma(p: float, n: int) -> float:
    return 5.0 * math.sqrt(p * (1.0 - p) / n)


def _record(**launch_area) -> SiteRecord:
    """A site record with a launch area, as sites.toml would give it."""
    raw = {"name": "Test area", "kind": "icbm-base", "country": "nowhere", "summary": "test",
           "latitude_deg": {"value": launch_area.pop("lat", 56.0), "source": "MODEL", "estimate": True},
           "longitude_deg": {"value": launch_area.pop("lon", 40.0), "source": "MODEL", "estimate": True},
           "launch_area": launch_area}
    return SiteRecord.model_validate(raw)


def _radius(value, low=None, high=None):
    return {"value": value, "low": value if low is None else low, "high": value if high is None else high,
            "source": "MODEL", "estimate": True}


def _polygon(vertices):
    return {"vertices_deg": vertices, "source": "MODEL", "estimate": True}


# --- uniform in a disc, within the radius ----------------------------------------------------------

def test_disc_points_lie_within_the_radius_and_fill_it_uniformly_by_area():
    area = launch_areas.area("Teykovo")  # 100 km round Teykovo: all land, so nothing is rejected
    lat, lon = launch_areas.sample("Teykovo", N, seed=7)
    distance_m, azimuth_deg = geodesic_inverse(area.latitude_deg, area.longitude_deg, lat, lon, WGS84)
    radius_m = area.radius_km * 1e3
    assert distance_m.max() <= radius_m + 1e-3  # Karney's inverse is good to nanometres: 1 mm is rounding room
    # inside half the radius: a quarter of the points (the cap's exact share differs from 1/4 by 1e-5)
    inner = float(np.mean(distance_m <= radius_m / 2))
    assert inner == pytest.approx(0.25, abs=_five_sigma(0.25, N))
    # ten rings of equal area and eight equal sectors each hold their share
    rings = np.floor((distance_m / radius_m) ** 2 * 10).clip(0, 9)
    for k in range(10):
        assert np.mean(rings == k) == pytest.approx(0.1, abs=_five_sigma(0.1, N))
    for k in range(8):
        assert np.mean(np.floor(azimuth_deg % 360 / 45) == k) == pytest.approx(0.125, abs=_five_sigma(0.125, N))


@pytest.mark.parametrize("latitude_deg", [0.0, 56.9, 85.0])
@pytest.mark.parametrize("radius_km", [50.0, 1_000.0])
def test_polar_draw_is_uniform_on_the_ellipsoid_not_only_the_sphere(latitude_deg, radius_km):
    """The draw is uniform on a sphere of the centre's Gaussian radius; the geodesic disc on WGS 84 has
    that sphere's cap area, and so does the disc of half the radius, to 1e-5 relative (5e-7 measured,
    the outline's chords), so the density on the ellipsoid is uniform at that level."""
    geod = Geod(a=WGS84.equatorial_radius_m, f=WGS84.flattening)
    radius_r = launch_areas._gaussian_radius_m(latitude_deg)
    azimuth = np.linspace(0.0, 360.0, 3601)[:-1]
    for r_m in (radius_km * 1e3, radius_km * 500.0):
        lon, lat, _ = geod.fwd(np.full_like(azimuth, 40.0), np.full_like(azimuth, latitude_deg), azimuth,
                               np.full_like(azimuth, r_m))
        area_m2, _ = geod.polygon_area_perimeter(lon, lat)
        cap_m2 = 2.0 * math.pi * radius_r**2 * (1.0 - math.cos(r_m / radius_r))
        assert abs(area_m2) / cap_m2 == pytest.approx(1.0, abs=1e-5)


def test_a_radius_override_shrinks_the_disc():
    area = launch_areas.area("Kozelsk", radius_km=20.0)
    assert area.radius_km == 20.0 and area.area_km2 == pytest.approx(math.pi * 20.0**2, rel=1e-3)
    lat, lon = launch_areas.sample("Kozelsk", 500, seed=3, radius_km=20.0)
    distance_m, _ = geodesic_inverse(area.latitude_deg, area.longitude_deg, lat, lon, WGS84)
    assert distance_m.max() <= 20_000.0 + 1e-3 and distance_m.max() > 15_000.0


def test_a_land_area_by_the_sea_is_drawn_on_land_only():
    record = _record(kind="dispersal", radius_km=_radius(150.0), lat=64.55, lon=39.8)  # Arkhangelsk, White Sea
    area = launch_areas.area(record)
    assert 0.2 < area.area_km2 / (math.pi * 150.0**2) < 0.95  # the disc is partly at sea
    lat, lon = launch_areas.sample(record, 2_000, seed=1)
    land = geography.land_near(area.geometry)
    assert geography.contains(land, lat, lon).all()


# --- patrol areas: at sea, uniform by area --------------------------------------------------------------

@pytest.mark.parametrize("name", ["Barents Sea patrol point", "Sea of Okhotsk patrol point"])
def test_patrol_points_are_all_at_sea_inside_the_polygon(name):
    record = catalog.load().sites[name]
    vertices = np.asarray(record.launch_area.polygon.vertices_deg)
    outline = geography.polygon_from_lon_lat(vertices[:, ::-1])
    lat, lon = launch_areas.sample(name, 5_000, seed=11)
    assert geography.contains(outline, lat, lon).all()
    assert not geography.contains(geography.land_near(outline), lat, lon).any()
    # the representative point stays inside the area it represents
    assert geography.contains(launch_areas.area(name).geometry, record.latitude_deg.value,
                              record.longitude_deg.value)


def test_patrol_points_fill_the_sea_uniformly_by_area():
    """The share of points north of 55 N equals that part's share of the sea area (equal-area sizes,
    geography.area_km2), within 5 standard deviations."""
    import shapely

    area = launch_areas.area("Sea of Okhotsk patrol point")
    north = geography.area_km2(area.geometry.intersection(shapely.box(140.0, 55.0, 160.0, 62.0)))
    p = north / area.area_km2
    lat, _ = launch_areas.sample("Sea of Okhotsk patrol point", N, seed=5)
    assert 0.2 < p < 0.5
    assert np.mean(lat > 55.0) == pytest.approx(p, abs=_five_sigma(p, N))


# --- reproducible ---------------------------------------------------------------------------------------

def test_same_seed_same_points_other_seed_other_points():
    a = launch_areas.sample("Teykovo", 50, seed=42)
    launch_areas.sample("Barents Sea patrol point", 50, seed=42)  # other draws do not disturb it
    b = launch_areas.sample(catalog.load().sites["Teykovo"], 50, seed=42)  # uncached path, same stream
    c = launch_areas.sample("Teykovo", 50, seed=43)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert not a[0].flags.writeable  # the cached draw cannot be changed by a caller
    # one seed gives each area its own stream: the same relative pattern would mean shared draws
    k = launch_areas.sample("Yoshkar-Ola", 50, seed=42)
    assert not np.allclose(a[0] - 56.85853, k[0] - 56.63877)


# --- bad areas and arguments: one line each ---------------------------------------------------------

def _with_area(folder, block: str):
    path = folder / "sites.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('name = "Teykovo"')
    end = text.index('\n[site.launch_area]', start)
    stop = text.index("\n[[site]]", end)
    path.write_text(text[:end] + "\n" + block + text[stop:], encoding="utf-8")
    return path


@pytest.mark.parametrize("block, expected", [
    ('[site.launch_area]\nkind = "dispersal"\nradius_km = { value = -5.0, low = -5.0, high = 10.0, source = "MODEL", '
     'estimate = true }\n', "site 'Teykovo': launch_area.radius_km.value = -5.0 is outside 0 (excluded) to 1,000 km"),
    ('[site.launch_area]\nkind = "dispersal"\nradius_km = { value = nan, low = 10.0, high = 10.0, source = "MODEL", '
     'estimate = true }\n', "site 'Teykovo': launch_area.radius_km.value = nan is outside 0 (excluded) to 1,000 km"),
    ('[site.launch_area]\nkind = "dispersal"\nradius_km = { value = 5000.0, low = 10.0, high = 6000.0, '
     'source = "MODEL", estimate = true }\n', "launch_area.radius_km.value = 5000.0 is outside 0 (excluded) to "
     "1,000 km"),
    ('[site.launch_area]\nkind = "dispersal"\nradius_km = { value = 100.0, low = 150.0, high = 200.0, '
     'source = "MODEL", estimate = true }\n', "launch_area.radius_km = 100.0: allowed low <= value <= high"),
    ('[site.launch_area]\nkind = "dispersal"\nradius_km = { value = 100.0, low = 50.0, high = 200.0, '
     'source = "NOPE", estimate = true }\n', "launch_area: source: 'NOPE' is not an allowed choice; allowed: "),
    ('[site.launch_area]\nkind = "dispersal"\nradius_km = { value = 100.0, low = 50.0, high = 200.0, '
     'source = "MODEL", spread_sources = ["FRUS89_STRAT"], estimate = true }\n',
     "launch_area: source: 'FRUS89_STRAT' is not an allowed choice; allowed: "),
    ('[site.launch_area]\nkind = "patrol"\n[site.launch_area.polygon]\nsource = "MODEL"\nestimate = true\n'
     'vertices_deg = [[70.0, 40.0], [71.0, 41.0], [70.0, 40.0]]\n',
     "launch_area.polygon.vertices_deg = 2 distinct vertices: allowed a polygon of at least 3"),
    ('[site.launch_area]\nkind = "patrol"\n[site.launch_area.polygon]\nsource = "MODEL"\nestimate = true\n'
     'vertices_deg = [[70.0, 40.0], [72.0, 44.0], [70.0, 44.0], [72.0, 40.0]]\n',
     "launch_area.polygon.vertices_deg: the outline crosses itself (Self-intersection"),
    ('[site.launch_area]\nkind = "patrol"\n[site.launch_area.polygon]\nsource = "MODEL"\nestimate = true\n'
     'vertices_deg = [[70.0, 40.0], [95.0, 44.0], [70.0, 44.0]]\n',
     "launch_area.polygon.vertices_deg[2] latitude_deg = 95.0 is outside -90 to 90 deg"),
    ('[site.launch_area]\nkind = "dispersal"\n', "launch_area: give exactly one of radius_km and polygon"),
    ('[site.launch_area]\nkind = "roaming"\nradius_km = { value = 100.0, low = 50.0, high = 200.0, source = "MODEL", '
     'estimate = true }\n', "('Teykovo').launch_area.kind = 'roaming': Input should be 'dispersal', "
     "'silo-field' or 'patrol'"),
])
def test_bad_catalog_areas_name_file_site_field_value_and_what_is_allowed(data_copy, block, expected):
    path = _with_area(data_copy, block)
    with pytest.raises(InputError) as info:
        catalog.Catalog(data_copy)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    assert expected in message


def test_a_patrol_area_on_land_and_a_land_area_at_sea_have_no_launch_point():
    on_land = _record(kind="patrol", polygon=_polygon([[55.0, 37.0], [56.0, 37.0], [56.0, 39.0], [55.0, 39.0]]))
    with pytest.raises(InputError, match=r"sites.toml: site 'Test area': launch_area: the polygon lies wholly on "
                                         r"land .* allowed: a patrol area with at least 1 km\^2 of sea in it"):
        launch_areas.area(on_land)
    at_sea = _record(kind="silo-field", radius_km=_radius(50.0), lat=40.0, lon=-40.0)  # mid-Atlantic
    with pytest.raises(InputError, match=r"site 'Test area': launch_area: the radius_km = 50 lies wholly at sea .* "
                                         r"allowed: a silo-field area with at least 1 km\^2 of land in it"):
        launch_areas.area(at_sea)
    # a polygon partly on land is fine: only its sea is drawn from
    coast = _record(kind="patrol", polygon=_polygon([[68.0, 38.0], [70.0, 38.0], [70.0, 42.0], [68.0, 42.0]]))
    assert 0.0 < launch_areas.area(coast).area_km2 < geography.area_km2(
        geography.polygon_from_lon_lat(np.array([[38.0, 68.0], [38.0, 70.0], [42.0, 70.0], [42.0, 68.0]])))


@pytest.mark.parametrize("call, expected", [
    (lambda: launch_areas.sample("Teykovo", 0), "n = 0 is outside 1 to 1,000,000 points"),
    (lambda: launch_areas.sample("Teykovo", 10**7), "n = 10000000 is outside 1 to 1,000,000 points"),
    (lambda: launch_areas.sample("Teykovo", 2.5), "n = 2.5 is not a whole number; allowed: 1 to 1,000,000 points"),
    (lambda: launch_areas.sample("Teykovo", 5, seed=-1), "seed = -1 is outside 0 to "),
    (lambda: launch_areas.sample("Teykovo", 5, radius_km=float("nan")),
     "radius_km = nan is outside 0 (excluded) to 1,000 km"),
    (lambda: launch_areas.sample("Barents Sea patrol point", 5, radius_km=50.0),
     "launch_area: radius_km = 50.0 given, but this area is a polygon"),
    (lambda: launch_areas.sample("Tabriz", 5), "site 'Tabriz' has no launch area"),
    (lambda: launch_areas.sample("Teykovoo", 5), "site: 'Teykovoo' is not an allowed choice"),
])
def test_bad_arguments_say_what_is_allowed(call, expected):
    with pytest.raises(InputError) as info:
        call()
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_every_catalog_area_is_cited_and_has_room_for_launchers():
    cat = catalog.load()
    with_areas = {name: r for name, r in cat.sites.items() if r.launch_area is not None}
    assert set(with_areas) == {"Teykovo", "Yoshkar-Ola", "Novosibirsk", "Irkutsk", "Barnaul", "Vypolzovo",
                               "Nizhny Tagil", "Kozelsk", "Tatishchevo", "Dombarovsky", "Uzhur",
                               "Barents Sea patrol point", "Sea of Okhotsk patrol point"}
    for name, record in with_areas.items():
        spec = record.launch_area
        cited = spec.radius_km or spec.polygon
        assert cited.source in cat.sources and cited.estimate and cited.note
        assert set(getattr(cited, "spread_sources", [])) <= set(cat.sources)
        area = launch_areas.area(name)
        if spec.radius_km is not None:
            assert spec.radius_km.low <= spec.radius_km.value <= spec.radius_km.high
            assert area.surface == "land" and area.area_km2 > 0.9 * math.pi * spec.radius_km.value**2  # inland
        else:
            assert area.surface == "sea" and area.area_km2 > 1e5
