from django.urls import path

from committee.meetings import calendar, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    *(
        path(
            f"<int:pk>/minutes/{action}",
            views.minutes_transition,
            {"action": action},
            name=f"minutes_{action}",
        )
        for action in ("circulate", "approve", "reopen")
    ),
]
