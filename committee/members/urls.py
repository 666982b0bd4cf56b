from django.urls import path

from committee.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
]
