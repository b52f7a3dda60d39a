"""Failed-login throttling by username and by client address."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from recolte.access.models import LoginAttempt


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR; X-Forwarded-For is not trusted.
    return request.META.get("REMOTE_ADDR") or None


def is_locked(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_RATE_WINDOW)
    recent = LoginAttempt.objects.filter(at__gte=since)
    by_user = recent.filter(username__iexact=username).count() if username else 0
    by_ip = recent.filter(ip=ip).count() if ip else 0
    # An address may try a few accounts (a shared office), a username only a few times.
    return by_user >= settings.LOGIN_RATE_LIMIT or by_ip >= 4 * settings.LOGIN_RATE_LIMIT


def record_failure(*, username: str, ip: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip=ip)
    # Keep the table small: attempts older than the window no longer matter.
    old = timezone.now() - timedelta(seconds=settings.LOGIN_RATE_WINDOW)
    LoginAttempt.objects.filter(at__lt=old).delete()


def clear(*, username: str, ip: str | None) -> None:
    LoginAttempt.objects.filter(Q(username__iexact=username) | Q(ip=ip)).delete()
