from django.urls import path

from committee.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.mail_settings, name="settings"),
    path("link/<str:token>/", views.settings_link, name="settings_link"),
    path("link/<str:token>/off", views.one_click_off, name="one_click_off"),
]
