"""The public library: each command of the command line as a function a notebook can call.

    >>> import shieldcheck as sc
    >>> result = sc.engage("Yars", "Teykovo", "New York", interceptor="SM-3 Block IIA", site="Redzikowo")
    >>> result.verdict, result.margin_s
    >>> result.explain()            # what `shieldcheck engage` prints
    >>> sc.assess("epaa").write("epaa-report")   # what `shieldcheck assess epaa --out epaa-report` writes

Each function takes names (catalog names, built-in scenarios or TOML files) and options in display
units, with the options and defaults of its command, checks them all before any work (one
:class:`~shieldcheck.errors.InputError` line on bad input), and returns a result: its tables as pyarrow
Tables (``result.tables``; ``to_pandas()``), ``explain()`` (what the command prints) and
``write(folder)`` (what the command writes into ``--out``, byte for byte). docs/api.md documents each.

The functions are also the package's own names: ``sc.engage``, ``sc.assess``, ``sc.compare``,
``sc.guarantee``, ``sc.footprint``, ``sc.sweep`` and ``sc.verify``.
"""

from __future__ import annotations

from .assessment import ASSESS_UNCERTAINTY_CASES, AssessResult, CompareResult, assess, compare, numbers_table, \
    summary_table
from .folders import exclusive, output_folder
from .pair import EngageResult, default_route, engage, own_radar
from .result import Result
from .studies import FootprintResult, GuaranteeResult, SweepResult, footprint, guarantee, sweep
from .verification import VerifyResult, verify

__all__ = ["engage", "assess", "compare", "guarantee", "footprint", "sweep", "verify", "EngageResult", "AssessResult",
           "CompareResult", "GuaranteeResult", "FootprintResult", "SweepResult", "VerifyResult", "Result", "default_route",
           "own_radar", "summary_table", "numbers_table", "output_folder", "exclusive", "ASSESS_UNCERTAINTY_CASES"]
