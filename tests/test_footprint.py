"""Defended-area footprints (shieldcheck.footprint): the grid's area against the closed-form area of
an ellipsoidal box, the raster's limits (nothing engageable: zero area; everything engageable: every
reached cell), impact points within the missile's reach, and bad input as one line with status 2.

Small grids and few steering ranges keep the fan to a few hundred Shahab-3 flights from Tabriz over
eastern Turkey.
"""

import json
import math

import numpy as np
import pyarrow.parquet as pq
import pytest
import scenarios
from cli_helpers import run

from shieldcheck import aiming, catalog, footprint, scenario
from shieldcheck.engagement import Verdict
from shieldcheck.report import figures

WGS84_A_M = 6378137.0
WGS84_F = 1 / 298.257223563
BOX = "36,36,42,44"  # eastern Turkey: within a Shahab-3's reach of Tabriz


def box_area_km2(south_deg, west_deg, north_deg, east_deg):
    """Closed-form area of a latitude-longitude box on the WGS 84 ellipsoid (authalic-latitude form):
    A = dlon * b^2 / 2 * [g(lat2) - g(lat1)], g = sin/(1 - e^2 sin^2) + ln((1 + e sin)/(1 - e sin)) / (2e)."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)
    b = WGS84_A_M * (1 - WGS84_F)

    def g(lat_deg):
        s = math.sin(math.radians(lat_deg))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return math.radians(east_deg - west_deg) * b * b / 2 * (g(north_deg) - g(south_deg)) / 1e6


@pytest.fixture(scope="module")
def late(tmp_path_factory):
    path = scenarios.write(tmp_path_factory.mktemp("footprint"), scenarios.LATE_CUE, "footprint-test.toml")
    return scenario.load(path), path


# --- the grid: equal-area cells --------------------------------------------------------------

@pytest.mark.parametrize("box, cell_km", [("40,0,60,30", 25.0), ("24,-125,50,-66", 50.0)])
def test_grid_area_matches_the_closed_form_box_area(box, cell_km):
    # reference: the closed-form ellipsoidal area of the box; tolerance 1 %: cells whose centres fall
    # inside stand for the box, so the error is that of the staircase along its outline
    cells = footprint.grid(box, cell_km)
    exact_km2 = box_area_km2(*(float(v) for v in box.split(",")))
    assert abs(len(cells) * cells.cell_area_km2 - exact_km2) / exact_km2 < 0.01


def test_each_cell_has_its_nominal_area_on_the_ellipsoid():
    # reference: GeographicLib's geodesic polygon area of a cell's corners; tolerance 0.5 % (the
    # projection is equal-area, the cell's edges straight in it but geodesics on the ellipsoid)
    import pyproj

    cells = footprint.grid("europe", 100.0)
    lat, lon = cells.corners_deg()
    geod = pyproj.Geod(ellps="WGS84")
    for k in (0, len(cells) // 2, len(cells) - 1):
        area_m2, _ = geod.polygon_area_perimeter(lon[k], lat[k])
        assert abs(abs(area_m2) / 1e6 - cells.cell_area_km2) / cells.cell_area_km2 < 0.005


# --- the raster's limits ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def late_footprint(late):
    chosen, _ = late
    plan = footprint.plan(chosen, launch="Tabriz", missile="Shahab-3", phases=["Late"], where=BOX, grid_km=100.0,
                          steering_ranges_count=8)
    return plan, footprint.compute(plan)[0]


def test_a_cue_later_than_every_flight_defends_nothing(late_footprint):
    # reference: a launch 7,200 s after the threat's, later than any Shahab-3 flight lasts: no flight
    # is engageable, so the defended area is exactly 0 km^2 while the missile reaches cells
    _, result = late_footprint
    assert result.flight_engageable.size > 100 and not result.flight_engageable.any()
    assert result.area_km2 == 0.0 and result.partly_area_km2 == 0.0
    assert result.reachable_area_km2 > 0.0 and result.places_inside == []


def test_an_always_feasible_defence_covers_every_reached_cell(late_footprint, monkeypatch):
    # reference: with every pair feasible, every cell some flight lands in is defended, and the
    # defended area equals the reached area exactly
    from shieldcheck import engagement

    plan, before = late_footprint
    real = engagement.engage_many

    def always(flights, *args, **kw):
        result = real(flights, *args, **kw)
        result.verdict[:] = Verdict.FEASIBLE
        return result

    monkeypatch.setattr(engagement, "engage_many", always)
    result = footprint.compute(plan)[0]
    assert result.flight_engageable.all()
    assert result.area_km2 == result.reachable_area_km2 == before.reachable_area_km2 > 0.0
    assert set(np.unique(result.cell_state)) <= {footprint.CellState.BEYOND_REACH, footprint.CellState.DEFENDED}


def test_impact_points_lie_within_the_missiles_reach(late_footprint):
    # reference: aiming.max_range_m, the full-burn maximum range on each flight's own bearing;
    # tolerance 0.5 % (the fan's longest flights are full burns on a near-best kick angle)
    _, result = late_footprint
    launch = catalog.site("Tabriz")
    longest = np.argsort(result.flight_range_km)[-3:]
    reach_m, _ = aiming.max_range_m(catalog.missile("Shahab-3"), launch.latitude_deg, launch.longitude_deg,
                                    result.flight_latitude_deg[longest], result.flight_longitude_deg[longest])
    assert np.all(result.flight_range_km[longest] * 1e3 <= reach_m * 1.005)
    assert result.flight_range_km.min() >= footprint.MIN_RANGE_KM * 0.9


def test_table_json_and_map_are_written_with_the_stated_schema(late_footprint, tmp_path):
    _, result = late_footprint
    paths = footprint.write([result], tmp_path, draw_map=figures.footprint_map)
    table = pq.read_table(paths["parquet"])
    assert table.schema.equals(footprint.TABLE_SCHEMA) and table.num_rows == len(result.grid)
    summary = json.loads(paths["json"].read_text())[0]
    assert summary["area_km2"] == 0.0 and summary["grid_km"] == 100.0
    assert any("actually lands" in line for line in summary["assumptions"])
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "defended 0 km^2" in repr(result)


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["--grid-km", "0.0001"], "--grid-km = 0.0001 is outside 1 to 2,000 km"),
    (["--grid-km", "nan"], "--grid-km = nan is outside"),
    (["--grid-km", "-25"], "--grid-km = -25.0 is outside"),
    (["--grid-km", "1"], "at most 200,000 allowed"),
    (["--region", "-89,-180,89,0", "--grid-km", "1"], "at most 200,000 allowed"),
    (["--region", "mars"], "region: 'mars' is not an allowed choice; allowed: europe, us, LAT0,LON0,LAT1,LON1"),
    (["--region", "50,10,40,20"], "need -89 <= LAT0 < LAT1 <= 89"),
    (["--missile", "Shahab-4"], "missile: 'Shahab-4' is not an allowed choice"),
    (["--launch", "Tabrizz"], "site: 'Tabrizz' is not an allowed choice"),
    (["--site", "Atlantis"], "interceptor site of Phase 3 of epaa: 'Atlantis' is not an allowed choice"),
    (["--phase", "Phase 9"], "phase of scenario 'epaa': 'Phase 9' is not an allowed choice"),
    (["--missile", "R-36orb"], "fractional-orbit (FOBS) missile"),
    (["--cue-basis", "bound"], "cue basis: 'bound' is not an allowed choice; allowed: architecture, bounding"),
    (["--missile", ""], "--missile = '' names nothing"),
])
def test_bad_input_is_one_line_and_exit_status_2_before_any_work(capsys, tmp_path, args, expected):
    base = {"--phase": "Phase 3", "--launch": "Tabriz", "--missile": "Shahab-3"}
    options = dict(base)
    for k in range(0, len(args), 2):
        options[args[k]] = args[k + 1]
    argv = ["footprint", "epaa", "--out", str(tmp_path / "out")] + [x for kv in options.items() for x in kv]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert expected in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()  # nothing written, nothing flown


def test_command_writes_the_map_table_and_summary(capsys, late, tmp_path):
    _, path = late
    code, out, err = run(["footprint", str(path), "--phase", "Late", "--launch", "Tabriz", "--missile",
                          "Shahab-3", "--region", BOX, "--grid-km", "200", "--out", str(tmp_path), "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["phase"] == "Late" and data["area_km2"] == 0.0 and data["reachable_area_km2"] > 0.0
    assert data["kind"] == "defended area" and data["cell_area_km2"] == 40_000.0
    assert {p.name for p in tmp_path.iterdir()} >= {"footprint.png", "footprint.parquet", "footprint.json"}


def test_report_shows_a_defended_area_per_phase(late, late_footprint, tmp_path):
    from shieldcheck import assess
    from shieldcheck.report.html import write_report

    chosen, _ = late
    assessment = assess.assess(chosen, work_dir=tmp_path / "work")
    page = write_report(assessment, tmp_path / "with", footprints=[late_footprint[1]]).read_text(encoding="utf-8")
    assert 'id="defended-areas"' in page and "defended area against Shahab-3 from Tabriz" in page
    assert "Lambert azimuthal equal-area" in page
    page = write_report(assessment, tmp_path / "without").read_text(encoding="utf-8")
    assert "Footprints were not computed for this report" in page
