"""Failed-login throttling: django-axes' database handler with two adjustments."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class LoginThrottleHandler(AxesDatabaseHandler):
    """Per-username and looser per-address limits; a success clears that username only."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes compares the worst per-parameter count with one limit; the per-address count is
        # scaled so that LOGIN_RATE_LIMIT_PER_ADDRESS failures reach it.
        by_username, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = get_failure_limit(request, credentials)
        scaled = by_address * limit // settings.LOGIN_RATE_LIMIT_PER_ADDRESS
        return max(by_username, scaled)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        # Only this username's failures: clearing the address's as well would let anyone wipe
        # the failures against a victim by signing in to their own account.
        self.reset_attempts(username=user.get_username())
