"""Single-shot kill probability from the interceptors' test records, and the closed forms of leakage.

**The posterior.** An interceptor's single-shot kill probability Pk is given a Beta(a, b) prior
(:data:`DEFAULT_PRIOR`: the uniform Beta(1, 1), every Pk from 0 to 1 equally likely before the tests;
a scenario's ``[assumptions] pk_prior`` or ``assess --pk-prior A,B`` sets another) and updated by the
hits h and misses m of its records in ``catalog/data/intercept_tests.toml``: Beta(a + h, b + m), mean
(a + h) / (a + b + h + m), and a central interval (90 % unless stated) between its quantiles. Which
records count (:func:`counted`): intercept attempts by the test's own account, with an outcome of hit
or miss, against a ballistic target (a satellite, no target, or a test whose target or interceptor
never flew, ``no-test``, count for nothing). Each counted record is one Bernoulli trial of the same
Pk: the tests are treated as exchangeable, which scripted tests with cooperative targets and no
realistic decoys are not; the posterior describes the test record, not combat (NYT10).

**Closed forms** (Wilkening, Science & Global Security 8:2, 2000, as cited in the literature survey):
a warhead engaged by n interceptors of kill probability p, and tracked with probability t, is
destroyed with probability t (1 - (1 - p)^n) (:func:`warhead_kill_probability`). A raid of N such
warheads (:func:`raid_leakage`) leaks L of them; whether the tracking fails warhead by warhead
(``independent``: L ~ Binomial(N, 1 - t K), K = 1 - (1 - p)^n) or for the whole raid at once
(``correlated``: one tracking failure lets all N through; with probability t the warheads are
engaged and L ~ Binomial(N, 1 - K)) leaves the expected leakers N (1 - t K) unchanged and moves the
probability that none leaks from (t K)^N to t K^N: the assumption that drives the answer, so both
are given.

**The inverse question** (:func:`implied_pk`): n interceptors fired at w warheads, k got through.
The interceptors are spread as evenly as they go (n mod w warheads get one more than the others);
the Pk that makes the observed k the expected number of leakers, the maximum-likelihood Pk (the
number of leakers is a sum of independent Bernoulli trials, one per warhead), and the likelihood-
ratio interval {p : 2 [l(p_mle) - l(p)] <= chi2_1(level)}.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .catalog import BALLISTIC_TARGETS, InterceptTestRecord
from .errors import InputError

INTERVAL_LEVEL = 0.90  # the central interval every output gives
PERCENTILES = (5.0, 50.0, 95.0)  # the posterior percentiles every attrition output is also given at
TRACKING_FAILURES = ("independent", "correlated")
PRIOR_LIMITS = (1e-3, 1e6)  # a Beta parameter outside these is a typo, not a belief


def check_prior(alpha, beta, what: str = "pk_prior") -> tuple[float, float]:
    """The two parameters of a Beta prior, each a finite number above 0 (and at most 1e6); else InputError."""
    values = []
    for name, value in (("alpha", alpha), ("beta", beta)):
        label = f"{what} {'A' if name == 'alpha' else 'B'}" if what.startswith("--") else f"{what}.{name}"
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{label} = {value!r}: not a number; allowed: a Beta parameter above 0 "
                             "(1 and 1: the uniform prior)") from None
        if isinstance(value, bool) or not math.isfinite(number) or not PRIOR_LIMITS[0] <= number <= PRIOR_LIMITS[1]:
            raise InputError(f"{label} = {value!r}: a Beta prior's parameters must be positive; allowed: "
                             f"{PRIOR_LIMITS[0]:g} to {PRIOR_LIMITS[1]:g} (1 and 1: the uniform prior)")
        values.append(number)
    return values[0], values[1]


def parse_prior(text: str, what: str = "--pk-prior") -> tuple[float, float]:
    """``"A,B"`` -> (alpha, beta), each a number above 0 (:func:`check_prior`); else InputError."""
    parts = str(text).split(",")
    if len(parts) != 2:
        raise InputError(f"{what} {text!r}: expected two numbers A,B (the Beta prior's parameters, each above 0; "
                         "1,1: the uniform prior)")
    try:
        alpha, beta = (float(part) for part in parts)
    except ValueError:
        raise InputError(f"{what} {text!r}: A and B must be numbers, each above 0 (1,1: the uniform prior)") from None
    return check_prior(alpha, beta, what)


@dataclass(frozen=True)
class BetaPrior:
    """A Beta(alpha, beta) prior of the single-shot kill probability, with its source and reason."""

    alpha: float = 1.0
    beta: float = 1.0
    source: str = "MODEL"
    note: str = ("uniform prior Beta(1, 1): every Pk from 0 to 1 equally likely before the tests (shieldcheck's "
                 "default where the scenario states no pk_prior)")
    stated: bool = False

    def __post_init__(self):
        check_prior(self.alpha, self.beta)

    def as_dict(self) -> dict:
        return {"alpha": self.alpha, "beta": self.beta, "source": self.source, "note": self.note,
                "stated": self.stated}


DEFAULT_PRIOR = BetaPrior()


def why_not_counted(record: InterceptTestRecord) -> str | None:
    """Why a test record is not a trial of the single-shot kill probability; None when it is one."""
    if record.outcome == "no-test":
        return "no interceptor flew at a target (no-test)"
    if not record.intercept_attempt:
        return "not an intercept attempt by its own account"
    if record.target_class not in BALLISTIC_TARGETS:
        return f"target {record.target_class!r} is not a ballistic missile"
    return None


def counted(record: InterceptTestRecord) -> bool:
    """Whether a record is one trial: an intercept attempt, hit or miss, against a ballistic target."""
    return why_not_counted(record) is None


def beta_quantile(alpha: float, beta: float, q: float) -> float:
    """The q-quantile (0 <= q <= 1) of Beta(alpha, beta): the inverse regularized incomplete beta function."""
    from scipy.special import betaincinv

    if not 0.0 <= q <= 1.0:
        raise InputError(f"quantile {q!r}: allowed 0 to 1")
    return float(betaincinv(alpha, beta, q))


@dataclass(frozen=True)
class Posterior:
    """The Beta posterior of one interceptor's single-shot kill probability from its counted records."""

    interceptor: str
    prior: BetaPrior
    hits: int
    misses: int
    counted_tests: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]  # (test, why it does not count)

    @property
    def alpha(self) -> float:
        return self.prior.alpha + self.hits

    @property
    def beta(self) -> float:
        return self.prior.beta + self.misses

    @property
    def attempts(self) -> int:
        return self.hits + self.misses

    @property
    def mean(self) -> float:
        """(a + h) / (a + b + h + m)."""
        return self.alpha / (self.alpha + self.beta)

    def quantile(self, q: float) -> float:
        return beta_quantile(self.alpha, self.beta, q)

    def interval(self, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
        """The central interval holding ``level`` of the posterior (quantiles (1 - level)/2 and (1 + level)/2)."""
        if not 0.0 < level < 1.0:
            raise InputError(f"interval level {level!r}: allowed between 0 and 1 (0.9 for a central 90 % interval)")
        return self.quantile((1.0 - level) / 2.0), self.quantile((1.0 + level) / 2.0)

    def percentiles(self, percents=PERCENTILES) -> dict[str, float]:
        """``{"p05": ..., "p50": ..., "p95": ...}``: the posterior's Pk at each percentile."""
        return {percentile_key(p): self.quantile(p / 100.0) for p in percents}

    def as_dict(self, level: float = INTERVAL_LEVEL) -> dict:
        lo, hi = self.interval(level)
        return {"interceptor": self.interceptor, "prior": self.prior.as_dict(), "hits": self.hits,
                "misses": self.misses, "alpha": self.alpha, "beta": self.beta, "mean": self.mean,
                "interval": [lo, hi], "interval_level": level, "percentiles": self.percentiles(),
                "counted_tests": list(self.counted_tests),
                "left_out": [{"test": t, "why": why} for t, why in self.left_out]}

    def sentence(self, level: float = INTERVAL_LEVEL) -> str:
        lo, hi = self.interval(level)
        prior = f"Beta({self.prior.alpha:g}, {self.prior.beta:g}) prior"
        if not self.attempts:
            return (f"{self.interceptor}: no counted test record, so the {prior} alone: mean {self.mean:.2f}, "
                    f"{100 * level:.0f} % interval {lo:.2f}-{hi:.2f}.")
        hits = f"{self.hits} hit{'s' if self.hits != 1 else ''}"
        return (f"{self.interceptor}: {hits} in {self.attempts} counted intercept tests; with a {prior}, "
                f"Pk posterior Beta({self.alpha:g}, {self.beta:g}), mean {self.mean:.2f}, {100 * level:.0f} % "
                f"interval {lo:.2f}-{hi:.2f}.")


def percentile_key(percent: float) -> str:
    """``5`` -> ``"p05"``, ``50`` -> ``"p50"``: the JSON key of a posterior percentile."""
    return f"p{percent:02g}"


def records(interceptor: str, cat=None) -> list[InterceptTestRecord]:
    """The test records of one catalog interceptor (by name or alias), in file order."""
    from . import catalog

    cat = cat or catalog.load()
    name = cat.find("interceptor", interceptor)
    return [r for r in cat.intercept_tests if r.interceptor == name]


def posterior(interceptor: str, prior: BetaPrior = DEFAULT_PRIOR, *, cat=None) -> Posterior:
    """The Beta posterior of a catalog interceptor's Pk from its counted test records (module docstring)."""
    from . import catalog

    cat = cat or catalog.load()
    name = cat.find("interceptor", interceptor)
    hits = misses = 0
    used, left_out = [], []
    for r in records(name, cat):
        why = why_not_counted(r)
        if why is not None:
            left_out.append((f"{r.test} ({r.date})", why))
            continue
        hits += r.outcome == "hit"
        misses += r.outcome == "miss"
        used.append(f"{r.test} ({r.date}, {r.outcome})")
    return Posterior(name, prior, hits, misses, tuple(used), tuple(left_out))


def tallies(interceptor: str, cat=None) -> list:
    """The published tallies (catalog ``[[tally]]``) that count an interceptor's tests, in file order."""
    from . import catalog

    cat = cat or catalog.load()
    name = cat.find("interceptor", interceptor)
    return [t for t in cat.intercept_tallies if name in t.interceptors]


# ---------------------------------------------------------------------------------------------
# Closed forms of leakage
# ---------------------------------------------------------------------------------------------

def _probability(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} = {value!r}: not a number; allowed: a probability from 0 to 1") from None
    if isinstance(value, bool) or not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise InputError(f"{what} = {value!r}: allowed a probability from 0 to 1")
    return number


def _count(value, what: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise InputError(f"{what} = {value!r}: allowed a whole number, {low} or more")
    return int(value)


def warhead_kill_probability(pk: float, shots: int, tracking: float = 1.0) -> float:
    """P(a warhead is destroyed) = t (1 - (1 - p)^n): n interceptors of Pk p, tracked with probability t."""
    pk, tracking = _probability(pk, "single_shot_pk"), _probability(tracking, "tracking probability")
    shots = _count(shots, "interceptors per warhead")
    return tracking * (1.0 - (1.0 - pk) ** shots)


def _binomial(n: int, p: float) -> np.ndarray:
    from scipy.stats import binom

    return binom.pmf(np.arange(n + 1), n, p)


@dataclass(frozen=True)
class RaidLeak:
    """The leakers of a raid of ``warheads`` warheads, each engaged by ``shots`` interceptors of Pk ``pk``,
    the raid tracked with probability ``tracking``, tracking failures ``independent`` or ``correlated``."""

    pk: float
    shots: int
    warheads: int
    tracking: float
    tracking_failures: Literal["independent", "correlated"]

    @property
    def engaged_kill(self) -> float:
        """K = 1 - (1 - p)^n: a tracked warhead's kill probability."""
        return 1.0 - (1.0 - self.pk) ** self.shots

    def distribution(self) -> np.ndarray:
        """P(L = j leakers), j = 0..N."""
        k, t, n = self.engaged_kill, self.tracking, self.warheads
        if self.tracking_failures == "independent":
            return _binomial(n, 1.0 - t * k)
        out = t * _binomial(n, 1.0 - k)
        out[n] += 1.0 - t
        return out

    @property
    def expected_leakers(self) -> float:
        """N (1 - t K), whichever the tracking failures."""
        return self.warheads * (1.0 - self.tracking * self.engaged_kill)

    @property
    def p_no_leaker(self) -> float:
        """(t K)^N independent, t K^N correlated."""
        k, t, n = self.engaged_kill, self.tracking, self.warheads
        return (t * k) ** n if self.tracking_failures == "independent" else t * k ** n

    @property
    def p_any_leaker(self) -> float:
        return 1.0 - self.p_no_leaker

    def as_dict(self) -> dict:
        return {"single_shot_pk": self.pk, "interceptors_per_warhead": self.shots, "warheads": self.warheads,
                "tracking_probability": self.tracking, "tracking_failures": self.tracking_failures,
                "warhead_kill_probability": self.tracking * self.engaged_kill,
                "expected_leakers": self.expected_leakers, "p_no_leaker": self.p_no_leaker,
                "p_any_leaker": self.p_any_leaker}


def raid_leakage(pk: float, shots: int, warheads: int, tracking: float = 1.0, *,
                 tracking_failures: str = "independent") -> RaidLeak:
    """The leakers of a raid of N warheads (module docstring); ``tracking_failures`` independent or correlated."""
    if tracking_failures not in TRACKING_FAILURES:
        raise InputError(f"tracking_failures = {tracking_failures!r}: allowed {' or '.join(TRACKING_FAILURES)}")
    return RaidLeak(_probability(pk, "single_shot_pk"), _count(shots, "interceptors per warhead"),
                    _count(warheads, "warheads", 1), _probability(tracking, "tracking probability"),
                    tracking_failures)


def raid_leakage_both(pk: float, shots: int, warheads: int, tracking: float = 1.0) -> dict[str, RaidLeak]:
    """:func:`raid_leakage` under both tracking assumptions, ``{"independent": ..., "correlated": ...}``."""
    return {mode: raid_leakage(pk, shots, warheads, tracking, tracking_failures=mode) for mode in TRACKING_FAILURES}


# ---------------------------------------------------------------------------------------------
# The inverse question: the Pk implied by an observed outcome
# ---------------------------------------------------------------------------------------------

def shots_per_warhead(fired: int, warheads: int) -> tuple[int, ...]:
    """``fired`` interceptors spread as evenly as they go over ``warheads`` (the first ``fired mod warheads``
    warheads get one more)."""
    fired, warheads = _count(fired, "interceptors fired"), _count(warheads, "warheads", 1)
    base, extra = divmod(fired, warheads)
    return tuple(base + 1 if i < extra else base for i in range(warheads))


def _leak_probabilities(pk: float, shots: tuple[int, ...], tracking: float) -> np.ndarray:
    s = np.asarray(shots, dtype=float)
    return 1.0 - tracking * (1.0 - (1.0 - pk) ** s)


def _leak_count_distribution(pk: float, shots: tuple[int, ...], tracking: float) -> np.ndarray:
    """P(L = j), j = 0..w: the sum of one Bernoulli leak per warhead (exact, by convolution)."""
    out = np.array([1.0])
    for q in _leak_probabilities(pk, shots, tracking):
        out = np.convolve(out, [1.0 - q, q])
    return out


@dataclass(frozen=True)
class ImpliedPk:
    """The single-shot kill probability implied by ``through`` of ``warheads`` warheads getting through
    ``fired`` interceptors: the moment estimate, the maximum-likelihood estimate and its likelihood-ratio
    interval at ``level``."""

    fired: int
    warheads: int
    through: int
    tracking: float
    shots: tuple[int, ...]
    moment_pk: float
    mle_pk: float
    interval: tuple[float, float]
    level: float
    note: str

    def as_dict(self) -> dict:
        return {"interceptors_fired": self.fired, "warheads": self.warheads, "warheads_through": self.through,
                "tracking_probability": self.tracking, "interceptors_per_warhead": list(self.shots),
                "moment_pk": self.moment_pk, "mle_pk": self.mle_pk, "interval": list(self.interval),
                "interval_level": self.level, "note": self.note}

    def sentence(self) -> str:
        lo, hi = self.interval
        return (f"{self.fired} interceptors at {self.warheads} warheads, {self.through} through: the Pk that makes "
                f"that the expected leak is {self.moment_pk:.3f}; maximum likelihood {self.mle_pk:.3f}, "
                f"{100 * self.level:.0f} % likelihood-ratio interval {lo:.3f}-{hi:.3f}. {self.note}")


def implied_pk(fired: int, warheads: int, through: int, *, tracking: float = 1.0,
               level: float = INTERVAL_LEVEL) -> ImpliedPk:
    """The single-shot kill probability implied by an observed outcome (module docstring).

    Raises InputError for counts that cannot be (more warheads through than flew, fewer through than
    were left unengaged) or a tracking probability or level outside (0, 1].
    """
    from scipy.optimize import brentq, minimize_scalar
    from scipy.stats import chi2

    shots = shots_per_warhead(fired, warheads)
    through = _count(through, "warheads through")
    tracking = _probability(tracking, "tracking probability")
    if tracking == 0.0:
        raise InputError("tracking probability = 0: no interceptor could engage, so the outcome says nothing of Pk; "
                         "allowed above 0 to 1")
    if not 0.0 < level < 1.0:
        raise InputError(f"interval level {level!r}: allowed between 0 and 1")
    unengaged = sum(1 for s in shots if s == 0)
    if through > warheads:
        raise InputError(f"warheads through = {through}: more than the {warheads} warheads that flew")
    if through < unengaged:
        raise InputError(f"warheads through = {through}: {fired} interceptors at {warheads} warheads leave {unengaged} "
                         f"unengaged, which all get through; allowed {unengaged} to {warheads}")

    def expected(p: float) -> float:
        return float(_leak_probabilities(p, shots, tracking).sum())

    notes = []
    low_end, high_end = expected(1.0), expected(0.0)  # expected leakers fall as Pk rises
    if through >= high_end:
        moment = 0.0
    elif through <= low_end:
        moment = 1.0
        if through < low_end:
            notes.append(f"fewer got through than even Pk 1 leaves at tracking {tracking:g} ({low_end:.2f}): the "
                         "moment estimate is held at 1")
    else:
        moment = float(brentq(lambda p: expected(p) - through, 0.0, 1.0, xtol=1e-12))

    def loglik(p: float) -> float:
        return math.log(max(float(_leak_count_distribution(p, shots, tracking)[through]), 1e-300))

    best = minimize_scalar(lambda p: -loglik(p), bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-10})
    candidates = [float(best.x), 0.0, 1.0, moment]
    mle = max(candidates, key=loglik)
    drop = 0.5 * float(chi2.ppf(level, 1))
    floor = loglik(mle) - drop

    def crossing(a: float, b: float) -> float:
        return float(brentq(lambda p: loglik(p) - floor, a, b, xtol=1e-12))

    lo = 0.0 if loglik(0.0) >= floor else crossing(0.0, mle)
    hi = 1.0 if loglik(1.0) >= floor else crossing(mle, 1.0)
    if len(set(shots)) > 1:
        notes.append(f"interceptors spread {min(shots)} to {max(shots)} per warhead")
    notes.append("each warhead's leak independent of the others'")
    return ImpliedPk(int(fired), int(warheads), through, tracking, shots, moment, mle, (lo, hi), level,
                     "; ".join(notes) + ".")
