"""Reports across the agreement register; included at "reports/"."""

from django.urls import path

from committee.agreements import reports

app_name = "reports"
urlpatterns = [
    path("implementation/", reports.implementation_report, name="implementation"),
    path("implementation.pdf", reports.implementation_report_pdf, name="implementation_pdf"),
    path(
        "implementation/pdf/<uuid:pk>/",
        reports.implementation_report_pdf_status,
        name="implementation_pdf_status",
    ),
    path(
        "implementation/pdf/<uuid:pk>/status",
        reports.implementation_report_pdf_progress,
        name="implementation_pdf_progress",
    ),
    path(
        "implementation/pdf/<uuid:pk>/file",
        reports.implementation_report_pdf_file,
        name="implementation_pdf_file",
    ),
]
