import filetype
from django import forms
from django.contrib.auth import get_user_model

from trust.models import Membership, School

ALLOWED_CERTIFICATE_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}
MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024


def check_certificate(upload):
    """The file's type judged by its content (not its name or the browser's claim). Returns (mime, extension)."""
    if upload.size > MAX_CERTIFICATE_BYTES:
        raise forms.ValidationError("The certificate must be smaller than 10 MB.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_CERTIFICATE_TYPES:
        raise forms.ValidationError("The certificate must be a PDF or an image (PNG, JPEG or WebP).")
    return kind.mime, ALLOWED_CERTIFICATE_TYPES[kind.mime]


class LocalAuthorityTrainingForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    attendee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), label="Who attended", empty_label="Choose a person"
    )
    course = forms.CharField(max_length=200)
    provider = forms.CharField(max_length=200, help_text="For example: Leicestershire Virtual School.")
    attended_on = forms.DateField(label="Date attended", widget=forms.DateInput(attrs={"type": "date"}))
    certificate = forms.FileField(
        required=False, help_text="Optional. A PDF or an image (PNG, JPEG or WebP), up to 10 MB."
    )

    def __init__(self, *args, school_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.all() if school_ids is None else School.objects.filter(pk__in=school_ids)
        self.fields["school"].queryset = schools
        people = Membership.objects.current().filter(user__is_active=True)
        if school_ids is not None:
            people = people.filter(school_id__in=school_ids)
        self.fields["attendee"].queryset = (
            get_user_model().objects.filter(pk__in=people.values("user_id")).order_by("last_name", "first_name")
        )
        self.fields["attendee"].label_from_instance = lambda u: f"{u.get_full_name() or u.email} ({u.email})"
        self.certificate_type = None

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload:
            mime, extension = check_certificate(upload)
            self.certificate_type = mime
            upload.name = f"certificate.{extension}"
        return upload

    def clean(self):
        cleaned = super().clean()
        school, attendee = cleaned.get("school"), cleaned.get("attendee")
        if school and attendee and not Membership.objects.current().filter(user=attendee, school=school).exists():
            self.add_error("attendee", f"{attendee.get_full_name() or attendee.email} has no current role at {school}.")
        return cleaned
