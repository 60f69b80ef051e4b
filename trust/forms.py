from django import forms

from .models import School

MAX_CSV_BYTES = 2 * 1024 * 1024


class StaffImportForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.all(), empty_label="Choose a school")
    file = forms.FileField(
        label="Staff list (CSV)",
        help_text="Columns: email, first_name, last_name, roles (staff, governor or designated teacher; "
        "separate several with ;), job_title. People of this school who are not in the file are treated as leavers.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB. Split it or remove unused columns.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not a UTF-8 CSV. Save it from Excel as 'CSV UTF-8'.") from exc
