"""Could the other side verify the limit? The paragraph the guarantee answer carries for each verified test:
"verifiable by ... with ... precision" or "not observable by the other side's radars from ...; verification
would rest on declarations and telemetry" (computed by :mod:`shieldcheck.verify` and handed in)."""

from __future__ import annotations

import html


def verification_paragraph(verifications) -> str:
    """One HTML paragraph on a list of :class:`shieldcheck.verify.Verification`: per test (interceptor, range,
    azimuth), who of the other side watches it and how precisely, in the words of ``conclusion()``; empty
    for an empty list or None (not computed)."""
    if not verifications:
        return ""
    items = []
    for v in verifications:
        trial = v.trial
        items.append(f"<li><strong>{html.escape(v.interceptor)}</strong> from {html.escape(v.place.name)} on "
                     f"{trial.azimuth_deg:g}° (burnout {trial.burnout_speed_m_s / 1e3:.2f} km/s, limit "
                     f"{v.limit_m_s / 1e3:g} km/s): {html.escape(v.conclusion())}.</li>")
    return ("<p>Could the other side verify it? A test of each interceptor, flown from its range, watched by the "
            "other side's radars (their horizon, field of view and range; their measurement noise and their per-track "
            "biases in range, angle and range rate, as the catalog estimates them), with the burnout speed fitted "
            "to the tracks they would get, the biases carried as unknowns (<code>shieldcheck verify</code>):</p><ul>" + "".join(items) + "</ul>")
