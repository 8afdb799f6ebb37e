"""The one place time enters the app, so that one freeze of the clock controls every window."""

import datetime as dt


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)
