"""The CUDA kernel's glide (lift after thrust ends) under numba-cuda's simulator, against the CPU kernel.

Reference: the CPU kernel compiled from the same source (engine/physics.py). The simulator runs
the device functions as Python in float64, so the summaries agree to rounding (1e-9 relative,
1e-6 absolute), as in tests/test_cuda_kernel_simulator.py; run in a subprocess because the
simulator must be enabled before numba.cuda loads.
"""

import json
import os
import subprocess
import sys

import numpy as np

SCRIPT = r"""
import json
from shieldcheck import catalog, flight
from shieldcheck.vehicles import DragTable, GlideModel, Missile
t = catalog.load().drag["rv-slender-cone"]
table = DragTable(t.name, tuple(t.mach), tuple(t.cd))
glider = Missile("test glider", (), 0.0, 1000.0, 0.6, table, table, 0.0, 1.0,
                 glide=GlideModel("constant-lift-to-drag", 2.6))
results = {}
for device in ("cpu", "gpu"):
    b = flight.fly_burnout([50.0, 55.0], [60.0, 40.0], [100e3, 60e3], [6500.0, 5000.0], [-5.0, 0.0], [60.0, 300.0],
                           glider, device=device)
    results[device] = b.summary.tolist()
print(json.dumps(results))
"""


def test_cuda_glide_matches_cpu_kernel_under_the_simulator(tmp_path):
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", SHIELDCHECK_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    cpu, gpu = np.array(results["cpu"]), np.array(results["gpu"])
    assert cpu[:, 0].tolist() == [1.0, 1.0]  # both landed (STATUS_IMPACT)
    np.testing.assert_allclose(gpu, cpu, rtol=1e-9, atol=1e-6)
