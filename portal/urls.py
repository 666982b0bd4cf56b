from django.contrib import admin
from django.urls import include, path

from committee.agreements import views as agreement_views
from committee.agreements.urls import agreement_patterns, pledge_patterns
from committee.meetings import calendar as meeting_calendar
from committee.meetings import verification
from committee.notifications import health as notification_health
from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("readyz", views.readyz, name="readyz"),
    path("healthz/worker", notification_health.worker_health, name="worker_health"),
    path("pledges/", include(pledge_patterns)),
    path("agreements/", include(agreement_patterns)),
    path(
        "meetings/<int:pk>/implementation-review",
        agreement_views.implementation_review,
        name="implementation_review",
    ),
    path("meetings.ics", meeting_calendar.calendar_feed, name="calendar_feed"),
    path("meetings/", include("committee.meetings.urls")),
    path("members/", include("committee.members.urls")),
    path("reports/", include("committee.agreements.report_urls")),
    path("verify/", verification.verify, name="verify"),
    path("accounts/mail/", include("committee.notifications.urls")),
    path("accounts/", include("committee.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

# Every 403 from PermissionDenied is logged as a security event before the usual page.
handler403 = "committee.core.security_log.permission_denied"
# A database that fails outside a view is a 503 to retry, not a 500 (portal/middleware.py).
handler400 = views.bad_request
handler500 = views.server_error
