"""Clocks that freezegun cannot stop.

The acceptance suite freezes time (freezegun) so that one-time codes are
predictable. freezegun replaces ``time.perf_counter``, ``time.monotonic``,
``time.time`` and their ``*_ns`` twins, both on the ``time`` module and on any
module attribute that holds the real function. A step duration measured with
those clocks reads 0 (or nonsense) in a report.

``time.clock_gettime_ns`` is not patched by freezegun, so on POSIX we read the
monotonic and real-time clocks through it. Elsewhere we keep the real
functions captured at import, hidden inside a tuple so that freezegun's scan of
module attributes does not swap them for fakes.
"""

from __future__ import annotations

import time

if hasattr(time, "clock_gettime_ns"):

    def monotonic_ns() -> int:
        """Nanoseconds from a monotonic clock, for durations."""
        return time.clock_gettime_ns(time.CLOCK_MONOTONIC)

    def wall_ns() -> int:
        """Nanoseconds since the Unix epoch, for timestamps."""
        return time.clock_gettime_ns(time.CLOCK_REALTIME)

else:  # pragma: no cover - Windows
    # A tuple is not scanned by freezegun, a module attribute would be.
    _REAL = (time.perf_counter_ns, time.time_ns)

    def monotonic_ns() -> int:
        return _REAL[0]()

    def wall_ns() -> int:
        return _REAL[1]()
