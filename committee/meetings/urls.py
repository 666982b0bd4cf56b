from django.urls import path

from committee.meetings import calendar, comment_views, printing_views, views, workflow_views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/minutes/", printing_views.minutes_page, name="minutes"),
    path("<int:pk>/minutes.pdf", printing_views.minutes_pdf, name="minutes_pdf"),
    path(
        "<int:pk>/minutes/reopenings/<int:reopening_pk>/superseded.pdf",
        printing_views.minutes_superseded_pdf,
        name="minutes_superseded_pdf",
    ),
    path(
        "<int:pk>/minutes/record/status",
        printing_views.minutes_record_status,
        name="minutes_record_status",
    ),
    path(
        "<int:pk>/minutes/record/prepare/",
        printing_views.minutes_record_prepare,
        name="minutes_record_prepare",
    ),
    path("<int:pk>/minutes/comments/", comment_views.minutes_comments, name="minutes_comments"),
    path(
        "<int:pk>/minutes/comments/<int:comment_pk>/answer/",
        comment_views.minutes_comment_answer,
        name="minutes_comment_answer",
    ),
    path("<int:pk>/minutes/changes/", comment_views.minutes_changes, name="minutes_changes"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    *(
        path(
            f"<int:pk>/minutes/{step}/",
            getattr(workflow_views, f"minutes_{step}"),
            name=f"minutes_{step}",
        )
        for step in ("circulate", "approve", "sign", "reopen")
    ),
    path(
        "<int:pk>/minutes/signatures/<int:approval_pk>/scan",
        workflow_views.minutes_scan,
        name="minutes_scan",
    ),
    path(
        "<int:pk>/minutes/approvals/<int:approval_pk>/withdraw/",
        workflow_views.approval_withdraw,
        name="approval_withdraw",
    ),
]
