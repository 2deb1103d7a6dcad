"""The CUDA kernel's logic, run on the CPU by numba-cuda's simulator (no GPU needed).

Reference: the CPU kernel compiled from the same source. The simulator executes the device
functions as Python with float64 arithmetic, so the summaries agree to rounding (1e-9
relative); run in a subprocess because the simulator must be enabled before numba.cuda loads.
"""

import json
import os
import subprocess
import sys

import numpy as np

SCRIPT = r"""
import json, numpy as np
from shieldcheck import catalog, flight
topol = catalog.missile("Topol-M")
site = catalog.site("Teykovo")
results = {}
for device in ("cpu", "gpu"):
    f = flight.fly_launch(topol, site, [300.0, 20.0, 120.0], [40.0, 55.0, 10.0], [180.0, 150.0, 170.0], device=device)
    b = flight.fly_burnout([10.0, -40.0], [20.0, 100.0], 200e3, [7000.0, 3000.0], [25.0, 40.0], [45.0, 200.0], topol,
                           device=device)
    results[device] = [f.summary.tolist(), b.summary.tolist()]
print(json.dumps(results))
"""


def test_cuda_kernel_matches_cpu_kernel_under_the_simulator():
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for cpu, gpu in zip(results["cpu"], results["gpu"]):
        np.testing.assert_allclose(np.array(gpu), np.array(cpu), rtol=1e-9, atol=1e-6)
