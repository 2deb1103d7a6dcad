"""The scene an assessment writes for globe viewers: CZML (czml3's model) and KML (fastkml), checked
against the results and tracks tables they are drawn from.

References: czml3's pydantic model of the CZML specification and fastkml's reader of OGC KML 2.2 (both
independent of shieldcheck) parse the documents; every coordinate is compared with the tables to
1e-9 deg and 1 mm (they are written, not recomputed, so they must agree to rounding).
"""

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from shieldcheck import scene

PHASE, BASIS = "First", "architecture"  # the small scenario's phase and cue with a feasible intercept


def tracks_of(folder):
    """The tracks table by flight (numpy columns), read with pyarrow alone."""
    table = pq.read_table(folder / "tracks.parquet")
    columns = {c: table.column(c).to_numpy() for c in table.column_names}
    return {int(i): {c: v[columns["flight_id"] == i] for c, v in columns.items()} for i in np.unique(columns["flight_id"])}


@pytest.fixture(scope="module")
def small_scene(small_result):
    chosen, assessed, folder = small_result
    return scene.Scene.read(folder, chosen), folder


def test_czml_parses_with_czml3_and_tracks_match_the_tables(small_scene):
    from czml3 import Document

    drawn, folder = small_scene
    text = scene.czml(drawn, PHASE, BASIS)
    document = Document.model_validate_json(text)
    assert document.packets[0].id == "document"
    packets = {p["id"]: p for p in json.loads(text)}
    tracks = tracks_of(folder)
    flights = [k for k in packets if k.startswith("flight-")]
    assert flights, "no flight drawn"
    for key in flights:
        samples = np.array(packets[key]["position"]["cartographicDegrees"]).reshape(-1, 4)
        mine = tracks[int(key.split("-")[1])]
        np.testing.assert_allclose(samples[:, 0], mine["time_s"], atol=1e-9)
        np.testing.assert_allclose(samples[:, 1], mine["longitude_deg"], atol=1e-9)
        np.testing.assert_allclose(samples[:, 2], mine["latitude_deg"], atol=1e-9)
        np.testing.assert_allclose(samples[:, 3], mine["altitude_km"] * 1e3, atol=1e-3)


def test_czml_intercepts_and_colours_follow_the_results(small_scene):
    drawn, folder = small_scene
    packets = {p["id"]: p for p in json.loads(scene.czml(drawn, PHASE, BASIS))}
    rows = [r for r in pq.read_table(folder / "results.parquet").to_pylist()
            if r["phase"] == PHASE and r["cue_basis"] == BASIS]
    feasible = [r for r in rows if r["verdict"] == "feasible"]
    assert feasible
    for r in feasible:
        lon, lat, height = packets[f"intercept-{r['flight_id']}-{r['site']}"]["position"]["cartographicDegrees"]
        assert (lon, lat) == pytest.approx((r["intercept_lon_deg"], r["intercept_lat_deg"]), abs=1e-9)
        assert height == pytest.approx(r["intercept_altitude_km"] * 1e3, abs=1e-3)
    for flight_id, best in scene.best_rows(rows).items():
        packet = packets[f"flight-{flight_id}"]
        assert packet["properties"]["verdict"] == best["verdict"]
        assert packet["path"]["material"]["solidColor"]["color"]["rgba"] == list(scene.VERDICT_RGBA[best["verdict"]])
    assert any(k.startswith("site-") for k in packets) and any(k.startswith("radar-") for k in packets)


def test_kml_parses_with_fastkml_and_its_points_match(small_scene):
    from fastkml import kml as fastkml

    drawn, folder = small_scene
    document = fastkml.KML.from_string(scene.kml(drawn, PHASE, BASIS).encode())
    placemarks = {}

    def walk(feature):
        for child in getattr(feature, "features", []) or []:
            if type(child).__name__ == "Placemark":
                placemarks[child.name] = child
            walk(child)

    walk(document)
    rows = [r for r in pq.read_table(folder / "results.parquet").to_pylist()
            if r["phase"] == PHASE and r["cue_basis"] == BASIS and r["verdict"] == "feasible"]
    for r in rows:
        mark = next(p for name, p in placemarks.items() if name.startswith("earliest intercept"))
        x, y, z = mark.geometry.coords[0]
        assert (x, y) == pytest.approx((r["intercept_lon_deg"], r["intercept_lat_deg"]), abs=1e-9)
        assert z == pytest.approx(r["intercept_altitude_km"] * 1e3, abs=1e-3)
    tracks = tracks_of(folder)
    lines = [p for p in placemarks.values() if type(p.geometry).__name__ == "LineString" and "→" in p.name]
    assert lines
    for line in lines:
        coords = np.array(line.geometry.coords)
        assert any(np.allclose(coords[:, :2], np.column_stack([t["longitude_deg"], t["latitude_deg"]]), atol=1e-9)
                   for t in tracks.values() if len(t["time_s"]) == len(coords))


def test_unknown_phase_or_basis_is_one_clear_error(small_scene):
    from shieldcheck.errors import InputError

    drawn, _ = small_scene
    with pytest.raises(InputError, match="phase: 'Third' is not an allowed choice; allowed: First, Second"):
        scene.czml(drawn, "Third", BASIS)
    with pytest.raises(InputError, match="cue basis: 'psychic' is not an allowed choice; allowed: "):
        scene.kml(drawn, PHASE, "psychic")


def test_one_site_mark_per_site_where_a_site_holds_two_interceptor_types():
    """EPAA Phase 4 holds SM-3 IIA and IIB at Redzikowo: one site packet, naming both (packet ids are unique)."""
    import pyarrow as pa

    from shieldcheck import scenario

    epaa = scenario.load("epaa")
    rows = [{"phase": "Phase 4", "cue_basis": "bounding", "flight_id": 0, "site": "Redzikowo", "verdict": "out_of_range",
             "margin_s": None, "intercept_lat_deg": None}]
    drawn = scene.Scene(epaa, pa.Table.from_pylist(rows), {})
    sites = [m for m in scene.marks(drawn, "Phase 4", "bounding") if m.kind == "site"]
    ids = [m.id for m in sites]
    assert len(ids) == len(set(ids)) == len({e.site for e in epaa.phase("Phase 4").sites})
    redzikowo = next(m for m in sites if m.id == "site-Redzikowo")
    assert "SM-3 Block IIA" in redzikowo.name and "SM-3 Block IIB" in redzikowo.name


def test_each_intercept_lies_within_the_reach_its_interceptor_has_at_that_time(small_scene):
    """Consistency with the verdict: a feasible intercept point was reached by the intercept time, so its ground
    distance from the site is within the reach circle drawn for that moment, to one envelope range step (the
    circle is read off the envelope's grid)."""
    from shieldcheck import catalog, earth, reach

    drawn, _ = small_scene
    reaches = [m for m in scene.marks(drawn, PHASE, BASIS) if m.kind == "reach"]
    assert reaches
    for m in reaches:
        row = next(r for r in drawn.rows(PHASE, BASIS) if r["flight_id"] == m.properties["flight_id"]
                   and r["site"] == m.properties["site"])
        site = catalog.site(row["site"])
        distance_m, azimuth = earth.geodesic_inverse(site.latitude_deg, site.longitude_deg, row["intercept_lat_deg"],
                                                     row["intercept_lon_deg"], earth.earth_model(earth.DEFAULT_EARTH))
        step_km = reach.envelope(catalog.interceptor(row["interceptor"]).vehicle, site.latitude_deg,
                                 float(azimuth)).range_step_m / 1e3
        assert float(distance_m) / 1e3 <= m.range_km + step_km, (float(distance_m) / 1e3, m.range_km)
        assert m.start_s == row["intercept_time_s"]
