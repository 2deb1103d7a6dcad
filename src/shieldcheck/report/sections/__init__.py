"""The report's sections, one module per group; each section is a function of a
:class:`shieldcheck.report.context.Context` that returns its HTML. :mod:`shieldcheck.report.html`
lists them in order."""
