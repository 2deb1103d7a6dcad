"""What a sweep varies: parameter paths, value specifications and the cases drawn from them.

References: grids include both ends (closed form of START + k STEP); a Latin hypercube of n samples
puts exactly one sample in each of the n equal strata of every parameter (its defining property);
uniform and normal draws match their closed-form mean within 4 standard errors; the catalog bands
are the catalog's own low and high; bad paths and specifications are one-line errors.
"""

import math

import numpy as np
import pytest

from shieldcheck.errors import InputError
from shieldcheck.sampling import ParameterPath, Spec, cases


def test_paths_read_quoted_records_and_nested_fields():
    path = ParameterPath.parse('interceptor."SM-3 Block IIA".kill_vehicle.divert_km_s')
    assert (path.table, path.record, path.field) == ("interceptor", "SM-3 Block IIA", ("kill_vehicle", "divert_km_s"))
    assert str(path) == 'interceptor."SM-3 Block IIA".kill_vehicle.divert_km_s'
    assert ParameterPath.parse("assumptions.bounding_decision_time_s").field == ("bounding_decision_time_s",)
    assert path.catalog_value().value == 1.0


def test_a_grid_includes_both_ends_and_lists_keep_their_order():
    assert Spec.parse("4.0:5.0:0.25").values == (4.0, 4.25, 4.5, 4.75, 5.0)
    assert Spec.parse("0:900:30").values[-1] == 900.0 and len(Spec.parse("0:900:30").values) == 31
    assert Spec.parse("3,1,2").values == (3.0, 1.0, 2.0)


def test_band_is_the_catalog_range():
    spec = Spec.parse("band", ParameterPath.parse('interceptor."SM-3 Block IIA".max_intercept_altitude_km'))
    assert (spec.kind, spec.a, spec.b) == ("uniform", 700.0, 1500.0) and "press figure" in spec.basis
    speed = Spec.parse("band", ParameterPath.parse('interceptor."SM-3 Block IIA".burnout_speed_km_s'))
    assert (speed.a, speed.b) == (4.0, 5.0)


def test_latin_hypercube_puts_one_sample_in_each_stratum():
    a = ParameterPath.parse('interceptor."SM-3 Block IIA".burnout_speed_km_s')
    b = ParameterPath.parse("assumptions.bounding_decision_time_s")
    drawn = cases({a: Spec.parse("uniform(4,5)"), b: Spec.parse("uniform(0,120)")}, samples=50, seed=7)
    assert len(drawn) == 50
    for key, low, high in ((str(a), 4.0, 5.0), (str(b), 0.0, 120.0)):
        strata = np.floor((np.array([c[key] for c in drawn]) - low) / (high - low) * 50).astype(int)
        assert sorted(strata.tolist()) == list(range(50))
    assert drawn == cases({a: Spec.parse("uniform(4,5)"), b: Spec.parse("uniform(0,120)")}, samples=50, seed=7)


def test_draws_match_their_distributions_and_cross_the_grid():
    a = ParameterPath.parse('interceptor."SM-3 Block IIA".burnout_speed_km_s')
    b = ParameterPath.parse("assumptions.bounding_decision_time_s")
    drawn = cases({a: Spec.parse("normal(4.5,0.2)"), b: Spec.parse("0,60")}, samples=2_000, seed=1,
                  method="monte-carlo")
    assert len(drawn) == 4_000 and {c[str(b)] for c in drawn} == {0.0, 60.0}
    values = np.array([c[str(a)] for c in drawn[:2_000]])
    assert abs(values.mean() - 4.5) < 4 * 0.2 / math.sqrt(2_000)
    assert abs(values.std() - 0.2) < 0.02


@pytest.mark.parametrize("text, spec, words", [
    ("interceptr.x.y", "1", "table: 'interceptr' is not an allowed choice; allowed: interceptor, missile, sensor, "
                            "launch, assumptions. Did you mean 'interceptor'"),
    ('interceptor."SM-3 Block IIC".burnout_speed_km_s', "band", "SM-3 Block IIC"),
    ('interceptor."SM-3 Block IIA".burnout_speed', "band", "field of the interceptor: 'burnout_speed' is not an allowed "
                                                           "choice"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "5:4:1", "needs STOP >= START and STEP > 0"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "uniform(5,4)", "needs B > A"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "normal(4,-1)", "needs SIGMA > 0"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "lots", "not a specification"),
    ('interceptor."SM-3 Block IIA".guidance.pitch_over_s', "band", "gives it no range"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "0:1e9:1", "more than 1,000,000"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "1e400:1e401:1", "1e400 is not a finite number"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "4:1e400:1", "1e400 is not a finite number"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "4,1e400", "1e400 is not a finite number"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "uniform(4,1e400)", "1e400 is not a finite number"),
    ('interceptor."SM-3 Block IIA".burnout_speed_km_s', "1e-300:1:1e-300", "over 10^12 grid points"),
])
def test_bad_paths_and_specifications_are_one_line(text, spec, words):
    with pytest.raises(InputError) as error:
        Spec.parse(spec, ParameterPath.parse(text))
    assert words in str(error.value) and "\n" not in str(error.value)


def test_a_long_specification_or_number_comes_back_cut():
    path = ParameterPath.parse('interceptor."SM-3 Block IIA".burnout_speed_km_s')
    for spec in ("x" * 100_000, "1" * 400 + ":2:1", "uniform(" + "9" * 5000 + ",1)"):
        with pytest.raises(InputError) as caught:
            Spec.parse(spec, path)
        assert len(str(caught.value)) < 400 and "characters)" in str(caught.value), str(caught.value)[:500]
    for text in ("..", 'interceptor."".burn_time_s', "." * 50_000):
        with pytest.raises(InputError, match="a part of the path is empty") as caught:
            ParameterPath.parse(text)
        assert len(str(caught.value)) < 400
