"""Reports across the agreement register; included at "reports/"."""

from django.urls import path

from committee.agreements import reports

app_name = "reports"
urlpatterns = [
    path("implementation/", reports.implementation_report, name="implementation"),
    path("implementation.pdf", reports.implementation_report_pdf, name="implementation_pdf"),
]
