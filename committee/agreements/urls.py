from django.urls import path

from committee.agreements import views

pledge_patterns = (
    [
        path("", views.pledge_list, name="list"),
        path("export.csv", views.pledge_export, {"extension": "csv"}, name="export_csv"),
        path("export.xlsx", views.pledge_export, {"extension": "xlsx"}, name="export_xlsx"),
        path("<int:pk>/", views.pledge_detail, name="detail"),
        path("updates/<int:pk>/evidence", views.evidence_download, name="evidence"),
    ],
    "pledges",
)

agreement_patterns = (
    [
        path("", views.agreement_list, name="list"),
        path("<int:pk>/", views.agreement_detail, name="detail"),
        path("<int:pk>/document", views.agreement_document, name="document"),
    ],
    "agreements",
)
