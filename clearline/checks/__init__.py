"""The checking engine: wording and completeness checks for incident updates and reviews.

Pure Python with no Django import, so that the command line, the web application and the
benchmarks share one engine.

`clearline check` runs once per file from git hooks and editors, so what the package imports
is start-up time: its modules import `typing` only for type checkers (`TYPE_CHECKING`, with
annotations left unevaluated), as importing it cost more than a whole check of a short text.
"""

from clearline.checks.application import claimed_subjects, contradicting, statuses_stated
from clearline.checks.boilerplate import History
from clearline.checks.catalog import KINDS, RULES
from clearline.checks.config import CheckConfig, ConfigError
from clearline.checks.engine import KindError, check, forget
from clearline.checks.ledger import Entry, Ledger, LedgerError
from clearline.checks.report import Finding, ReaderTest, Report, Stats

__all__ = [
    "KINDS",
    "RULES",
    "CheckConfig",
    "ConfigError",
    "Entry",
    "Finding",
    "History",
    "KindError",
    "Ledger",
    "LedgerError",
    "ReaderTest",
    "Report",
    "Stats",
    "check",
    "claimed_subjects",
    "contradicting",
    "forget",
    "statuses_stated",
]
