from django import forms

from committee.notifications.models import MailSettings


class MailSettingsForm(forms.ModelForm):
    class Meta:
        model = MailSettings
        fields = ["reminders", "updates", "minutes", "digest"]
