"""The small scenario files the tests share, and the helpers that write them into a test's folder.

Each text is a whole scenario file, named for what it tests; a test that needs a variant changes a
line of it where it is used (``SMALL.replace(...)``) instead of writing another copy. Tests that
count lines (error messages name file:line) count them in these texts: change a text only with them.
"""

from pathlib import Path

from shieldcheck import scenario

# Two phases of three sites (one cued by its own radar, the others remote, a bounding cue), an Iranian set of
# two flights (Tabriz to London is beyond a Sejjil-2's reach) and one Russian flight: small enough to assess in
# seconds. The assessment, its commands (assess, guarantee, compare, sweep), the scene and the explorer read it.
SMALL = """
[scenario]
name = "small"
title = "Two sites, two phases, an Iranian and a Russian flight"
description = "test scenario"

[assumptions]
launch_delay_s = { value = 10.0, source = "MODEL", estimate = true }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true }
cueing = "remote"
bounding_cueing = { value = "delay:105", source = "MODEL", estimate = true }

[[phase]]
name = "First"
date = 2011-01-01
source = "MODEL"
  [[phase.site]]
  site = "Eastern Mediterranean patrol station"
  interceptor = "SM-3 Block IA"
  sensors = ["AN/SPY-1 Eastern Mediterranean"]
  cue_sensors = ["AN/TPY-2 Kurecik"]

[[phase]]
name = "Second"
date = 2018-01-01
source = "MODEL"
  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cueing = "own"
  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIA"
  sensors = ["AN/SPY-1 Redzikowo"]
  cue_sensors = ["UEWR Fylingdales"]

[[threats]]
name = "Iran"
purpose = "stated"
launch_areas = ["Tabriz"]
aim_points = ["Ankara", "London"]
missiles = ["Sejjil-2"]
trajectories = ["minimum-energy"]

[[threats]]
name = "Russia"
purpose = "russian-concern"
launch_areas = ["Teykovo"]
aim_points = ["Washington"]
missiles = ["Yars"]
trajectories = ["minimum-energy"]
"""

# The early phases of every Russian class: SMALL's phases, a third (cancelled) with two interceptors at Redzikowo,
# and one flight of each class (ICBM, SLBM from a patrol area, glide vehicle, fractional orbit) to Washington, in
# threat sets of purpose russian-concern; no Iranian flight.
EARLY = SMALL[:SMALL.index("[[threats]]")] + """
[[phase]]
name = "Third"
date = 2020-01-01
source = "MODEL"
cancelled = 2013-03-15
cancelled_source = "SP13"
  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cueing = "own"
  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIA"
  sensors = ["AN/SPY-1 Redzikowo"]
  cue_sensors = ["UEWR Fylingdales"]
  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIB"
  sensors = ["AN/SPY-1 Redzikowo"]
  cue_sensors = ["UEWR Fylingdales"]

[[threats]]
name = "Russian ICBM"
purpose = "russian-concern"
launch_areas = ["Teykovo"]
aim_points = ["Washington"]
missiles = ["Yars"]
trajectories = ["minimum-energy"]

[[threats]]
name = "Russian SLBM"
purpose = "russian-concern"
launch_areas = ["Barents Sea patrol point"]
aim_points = ["Washington"]
missiles = ["Bulava"]
trajectories = ["minimum-energy"]

[[threats]]
name = "Russian systems built to evade defences"
purpose = "russian-concern"
aim_points = ["Washington"]
trajectories = ["minimum-energy"]
  [[threats.group]]
  launch_areas = ["Dombarovsky"]
  missiles = ["R-36orb"]
  [[threats.group]]
  launch_areas = ["Dombarovsky"]
  missiles = ["Avangard"]
"""

# Every kind of section (two sectors, two phases, each cueing rule, one threat set of 24 flights), loaded and
# never assessed: the loader's tests change it one line at a time and look for the line they changed.
MINIMAL = """\
[scenario]
name = "test"
title = "A test scenario"
description = "two phases, two sectors, one threat set"
sources = ["MODEL"]

[assumptions]
launch_delay_s = { value = 0.0, source = "MODEL", estimate = true }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true }
cueing = "remote"

[[sector]]
name = "West"
countries = [
  "France",
  "Germany",
]
buffer_km = { value = 0.0, source = "MODEL", estimate = true }
source = "MODEL"

[[sector]]
name = "East"
countries = ["Poland"]
buffer_km = { value = 0.0, source = "MODEL", estimate = true }
source = "MODEL"

[[phase]]
name = "One"
date = 2011-01-01
source = "MODEL"

  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cue_sensors = ["AN/TPY-2 Kurecik"]

[[phase]]
name = "Two"
date = 2012-01-01
source = "MODEL"

  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cue_sensors = ["AN/TPY-2 Kurecik"]
  sector = "West"

  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIA"
  cueing = "delay:120"

[[threats]]
name = "Iran"
purpose = "stated"
launch_areas = ["Tabriz", "Semnan"]
aim_points = ["Bucharest", "Warsaw", "Berlin"]
missiles = ["Shahab-3", "Sejjil-2"]
trajectories = ["minimum-energy", "lofted"]
"""

# MINIMAL with a stated single-shot Pk (0.5) and shot doctrine (salvo:2): the numbers game's settings.
STATED_PK = MINIMAL.replace('cueing = "remote"\n', 'cueing = "remote"\n'
                            'single_shot_pk = { value = 0.5, source = "MODEL", estimate = true }\n'
                            'shot_doctrine = { value = "salvo:2", source = "MODEL", estimate = true }\n', 1)

# A raid of six missiles from MINIMAL's Iran threat set, to append to a scenario that has that set.
RAID = """
[[raid]]
name = "Iranian raid"
threat_set = "Iran"
launch_areas = ["Tabriz"]
missiles = { value = 6, source = "MODEL", estimate = true }
"""

# Two phases, one cancelled, a sector, a bounding cue, notes with markup and ampersands, four Iranian flights (two
# beyond the missiles' reach) and two Russian ones: what the HTML report must show and escape.
REPORT = """
[scenario]
name = "report-test"
title = "Report test <small> & scenario"
description = "Two phases & a sector, for the report's tests."
sources = ["USEMB_EPAA"]

[assumptions]
launch_delay_s = { value = 0.0, source = "MODEL", estimate = true, note = "test value" }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true, note = "test value" }
cueing = "remote"
bounding_cueing = { value = "delay:105", source = "DERIVED", estimate = true, note = "test bound" }

[[sector]]
name = "NATO"
countries = ["Poland", "Romania"]
buffer_km = { value = 0.0, source = "MODEL", estimate = true }
source = "MODEL"

[[phase]]
name = "Phase A"
date = 2015-01-01
source = "USEMB_EPAA"
note = "a note with <b>markup</b> & an ampersand"

  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cue_sensors = ["AN/TPY-2 Kurecik"]

[[phase]]
name = "Phase B"
date = 2020-01-01
source = "USEMB_EPAA"
cancelled = 2013-03-15
cancelled_source = "SP13"

  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cue_sensors = ["AN/TPY-2 Kurecik"]

  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIB"
  sensors = ["AN/SPY-1 Redzikowo"]
  cue_sensors = ["AN/TPY-2 Kurecik"]
  sector = "NATO"

[[threats]]
name = "Iran test"
purpose = "stated"
launch_areas = ["Tabriz"]
missiles = ["Sejjil-2", "Khorramshahr"]
aim_points = ["Ankara", "London"]
trajectories = ["minimum-energy"]

[[threats]]
name = "Russia test"
purpose = "russian-concern"
launch_areas = ["Kozelsk"]
missiles = ["Yars"]
aim_points = ["Washington", "Boston"]
trajectories = ["minimum-energy"]
"""

# A fractional-orbit R-36orb beside a ballistic R-36M2 on the same route, with decoys: threats built to evade
# defences.
EVASIVE = """
[scenario]
name = "evasive-test"
title = "A fractional orbit beside a ballistic ICBM"
description = "test scenario"

[assumptions]
launch_delay_s = { value = 0.0, source = "MODEL", estimate = true }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true }
cueing = "remote"
bounding_cueing = { value = "delay:105", source = "MODEL", estimate = true }
decoys_per_warhead = { value = 2, source = "MODEL", estimate = true, note = "test value" }

[[phase]]
name = "Only"
date = 2018-01-01
source = "MODEL"
  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIA"
  sensors = ["AN/SPY-1 Redzikowo"]
  cue_sensors = ["UEWR Fylingdales"]

[[threats]]
name = "Russia"
purpose = "russian-concern"
aim_points = ["Washington"]
trajectories = ["minimum-energy"]
  [[threats.group]]
  launch_areas = ["Dombarovsky"]
  missiles = ["R-36M2", "R-36orb"]
"""

# One phase whose site launches two hours after the threat (a cue delay of 7,200 s), one Shahab-3 route:
# nothing is engageable, the defended footprint's lower limit.
LATE_CUE = """
[scenario]
name = "footprint-test"
title = "Footprint test"
description = "One phase whose site launches two hours after the threat: nothing is engageable."
sources = ["USEMB_EPAA"]

[assumptions]
launch_delay_s = { value = 0.0, source = "MODEL", estimate = true }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true }
cueing = "delay:7200"

[[phase]]
name = "Late"
date = 2015-01-01
source = "USEMB_EPAA"

  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"

[[threats]]
name = "Iran test"
purpose = "stated"
launch_areas = ["Tabriz"]
missiles = ["Shahab-3"]
aim_points = ["Ankara"]
trajectories = ["minimum-energy"]
"""

# One phase of one site cued after a fixed delay, and no threat set: a test appends its own.
ONE_SITE = """\
[scenario]
name = "sampled"
title = "Launch points drawn in the launch areas"
description = "one phase, one sampled threat set"

[assumptions]
launch_delay_s = { value = 0.0, source = "MODEL", estimate = true }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true }
cueing = "delay:120"

[[phase]]
name = "One"
date = 2018-01-01
source = "MODEL"
  [[phase.site]]
  site = "Redzikowo"
  interceptor = "SM-3 Block IIA"

"""

# ONE_SITE with a threat set that draws three launch points (seed 5) in each launch area.
SAMPLED = ONE_SITE + """\
[[threats]]
name = "Mobile and fixed"
purpose = "russian-concern"
launch_areas = ["Teykovo", "Tabriz", "Barents Sea patrol point"]
aim_points = ["Washington", "Boston"]
missiles = ["Yars"]
trajectories = ["minimum-energy"]
launch_samples = 3
seed = 5
"""

# One phase of one site, the notional Iranian ICBM from Semnan and Yars from Kozelsk and Teykovo, all to
# Washington: what a constellation of space-based interceptors is studied against.
SPACE = """
[scenario]
name = "space-test"
title = "Space test"
description = "A constellation against a few flights, for the space study's tests."
sources = ["USEMB_EPAA"]

[assumptions]
launch_delay_s = { value = 0.0, source = "MODEL", estimate = true, note = "test value" }
rcs_m2 = { value = 0.1, source = "MODEL", estimate = true }
shoot_look_shoot_s = { value = 60.0, source = "MODEL", estimate = true, note = "test value" }
cueing = "remote"

[[phase]]
name = "Phase A"
date = 2015-01-01
source = "USEMB_EPAA"

  [[phase.site]]
  site = "Deveselu"
  interceptor = "SM-3 Block IB"
  sensors = ["AN/SPY-1 Deveselu"]
  cue_sensors = ["AN/TPY-2 Kurecik"]

[[threats]]
name = "Iran to the US"
purpose = "stated"
launch_areas = ["Semnan"]
missiles = ["Iran-ICBM (notional)"]
aim_points = ["Washington"]
trajectories = ["minimum-energy"]

[[threats]]
name = "Russia to the US"
purpose = "russian-concern"
launch_areas = ["Kozelsk", "Teykovo"]
missiles = ["Yars"]
aim_points = ["Washington"]
trajectories = ["minimum-energy"]

[[threats]]
name = "North Korea to the US"
purpose = "north-korean"
launch_areas = ["Pyongyang"]
missiles = ["Hwasong-18"]
aim_points = ["Washington"]
trajectories = ["minimum-energy"]
"""

# A small CBO-2026-like pattern (600 satellites, a 5 km/s carrier), to append to a scenario.
CONSTELLATION = """
[[constellation]]
name = "cbo 2026"
satellites = 600
source = "MODEL"
note = "a small pattern for the tests"

  [constellation.carrier]
  delta_v_km_s = 5.0
"""


def write(folder: Path, text: str, name: str = "scenario.toml") -> Path:
    """``text`` written as the scenario file ``folder/name``; its path."""
    path = Path(folder) / name
    path.write_text(text, encoding="utf-8")
    return path


def load(folder: Path, text: str, name: str = "scenario.toml") -> scenario.Scenario:
    """``text`` written as ``folder/name`` and loaded (an error in it raises InputError naming that file)."""
    return scenario.load(write(folder, text, name))
