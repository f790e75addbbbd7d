"""Forms of the record pages. They read and check the input; the rules live in ``services``.

Every choice among the site's rows is looked up in querysets of the current site, so an id
of another site is an invalid choice like any unknown id.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry
from apps.organisations.models import HighSchool
from apps.referentials.models import (
    BachelorType,
    GeneralSpeciality,
    HighSchoolLevel,
    PostBachelorLevel,
    PublicType,
    StudentLevel,
    TechnologicalSeries,
)

from . import services
from .models import RecordStatus

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _active(model, site):
    return model.objects.filter(site=site, is_active=True)


def style_fields(form):
    """Bootstrap classes on the widgets (the template renders labels, help and errors)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class RecordForm(forms.Form):
    """Common fields and the hand-over to ``services.record_problems``."""

    kind = None

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput(), input_formats=DATE_FORMATS)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional. So that the host can reach you on the day."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, site, record, **kwargs):
        self.site = site
        self.record = record
        super().__init__(*args, **kwargs)
        self.identity_locked = getattr(record, "identity_locked", False)
        for name, autocomplete in (("first_name", "given-name"), ("last_name", "family-name"), ("birth_date", "bday")):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = autocomplete
        if self.identity_locked:
            for name in services.IDENTITY_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Comes from EduConnect: it cannot be changed here.")

    def service_data(self):
        """The cleaned data as ``services.save_record`` expects it (model field names)."""
        return dict(self.cleaned_data)

    def clean(self):
        cleaned = super().clean()
        problems = services.record_problems(self.kind, self.service_data(), identity_locked=self.identity_locked)
        for name, message in problems.items():
            target = name if name in self.fields else None
            if target and target in self.errors:
                continue
            self.add_error(target, message)
        return cleaned


class PupilRecordForm(RecordForm):
    kind = "pupil"

    school_choice = forms.CharField(required=False, max_length=30)  # radio buttons of the search results
    high_school = forms.ModelChoiceField(
        label=_("Partner high school"),
        queryset=HighSchool.objects.none(),
        required=False,
        empty_label=_("— Not in this list —"),
    )
    school_uai = forms.CharField(
        label=_("UAI of your high school"),
        max_length=8,
        required=False,
        help_text=_("If your high school is not a partner: its UAI code (7 digits and a letter), e.g. 0670001A."),
    )
    level = forms.ModelChoiceField(label=_("Level"), queryset=HighSchoolLevel.objects.none())
    class_name = forms.CharField(label=_("Class"), max_length=40, required=False, help_text=_("For example: 1re 3."))
    bachelor_type = forms.ModelChoiceField(
        label=_("Baccalaureate type"),
        queryset=BachelorType.objects.none(),
        help_text=_("The baccalaureate you are preparing (or have obtained, after the bac)."),
    )
    series = forms.ModelChoiceField(
        label=_("Technological series"),
        queryset=TechnologicalSeries.objects.none(),
        required=False,
        help_text=_("Only for a technological baccalaureate."),
    )
    specialities = forms.ModelMultipleChoiceField(
        label=_("Specialities"),
        queryset=GeneralSpeciality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a general baccalaureate, in Première and Terminale (up to three)."),
    )
    post_bachelor_level = forms.ModelChoiceField(
        label=_("Post-bac level"),
        queryset=PostBachelorLevel.objects.none(),
        required=False,
        help_text=_("Only if you are in a post-bac class of a high school."),
    )
    has_disability = forms.BooleanField(
        label=_("I have a disability and would like the host to prepare my visit"),
        required=False,
        help_text=_("Seen only by the person who validates your record and the site's team."),
    )
    consent_high_school_sees_immersions = forms.BooleanField(
        label=_("My high school may see my immersions"), required=False
    )
    consent_name_visible_to_registrants = forms.BooleanField(
        label=_("Other registrants of a slot may see my name"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = self.site
        self.fields["high_school"].queryset = _active(HighSchool, site).order_by("label", "city")
        self.fields["level"].queryset = _active(HighSchoolLevel, site)
        self.fields["bachelor_type"].queryset = _active(BachelorType, site)
        self.fields["series"].queryset = _active(TechnologicalSeries, site)
        self.fields["specialities"].queryset = _active(GeneralSpeciality, site)
        self.fields["post_bachelor_level"].queryset = _active(PostBachelorLevel, site)
        self.fields["school_uai"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        style_fields(self)

    def clean_school_uai(self):
        return (self.cleaned_data.get("school_uai") or "").strip().upper()

    def clean(self):
        cleaned = self.cleaned_data
        school, entry = self._resolve_school(cleaned)
        cleaned["resolved_high_school"], cleaned["resolved_school_entry"] = school, entry
        return super().clean()

    def _resolve_school(self, cleaned):
        """(partner high school, directory entry): the search choice first, then the list, then the UAI."""
        choice = (cleaned.get("school_choice") or "").strip()
        if choice.startswith("hs:") and choice[3:].isdigit():
            school = self.fields["high_school"].queryset.filter(pk=int(choice[3:])).first()
            if school is None:
                self.add_error("high_school", _("This high school is not one of the site's partners."))
            return school, None
        uai = choice[4:].upper() if choice.startswith("uai:") else ""
        if choice and not uai:
            self.add_error("high_school", _("Choose a high school among the results."))
            return None, None
        if not uai:
            if cleaned.get("high_school") is not None:
                if cleaned.get("school_uai") and cleaned["school_uai"] != cleaned["high_school"].uai:
                    self.add_error("school_uai", _("Choose a partner high school or give a UAI, not both."))
                return cleaned["high_school"], None
            uai = cleaned.get("school_uai") or ""
        if not uai:
            if "high_school" not in self.errors:
                self.add_error("high_school", _("Choose your high school."))
            return None, None
        partner = self.fields["high_school"].queryset.filter(uai=uai).first()
        if partner is not None:
            return partner, None
        entry = SchoolDirectoryEntry.objects.filter(uai=uai).first()
        if entry is None:
            self.add_error("school_uai", _("No high school has this UAI in the national directory."))
        return None, entry

    def service_data(self):
        data = dict(self.cleaned_data)
        data["high_school"] = data.pop("resolved_high_school", None)
        data["school_entry"] = data.pop("resolved_school_entry", None)
        return data


class StudentRecordForm(RecordForm):
    kind = "student"

    institution_choice = forms.CharField(required=False, max_length=30)
    institution_uai = forms.CharField(
        label=_("UAI of your home institution"),
        max_length=8,
        required=False,
        help_text=_("Filled in when you choose your institution in the search; you may also type its UAI code."),
    )
    level = forms.ModelChoiceField(label=_("Level"), queryset=StudentLevel.objects.none())
    origin_bachelor_type = forms.ModelChoiceField(
        label=_("Baccalaureate of origin"), queryset=BachelorType.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A student's identity comes from their institution's sign-in.
        for name in ("first_name", "last_name"):
            self.fields[name].disabled = True
            self.fields[name].required = False
            self.fields[name].help_text = _("Comes from your institution: it cannot be changed here.")
        self.fields["level"].queryset = _active(StudentLevel, self.site)
        self.fields["origin_bachelor_type"].queryset = _active(BachelorType, self.site)
        style_fields(self)

    def clean(self):
        cleaned = self.cleaned_data
        choice = (cleaned.get("institution_choice") or "").strip()
        uai = choice[4:] if choice.startswith("uai:") else (cleaned.get("institution_uai") or "")
        uai = uai.strip().upper()
        institution = HigherEducationInstitution.objects.filter(uai=uai).first() if uai else None
        if uai and institution is None:
            self.add_error("institution_uai", _("No institution has this UAI in the national directory."))
        elif institution is None:
            self.add_error("institution_uai", _("Choose your home institution."))
        cleaned["institution"] = institution
        return super().clean()


class VisitorRecordForm(RecordForm):
    kind = "visitor"

    visitor_type = forms.ModelChoiceField(label=_("You are"), queryset=PublicType.objects.none())
    motivation = forms.CharField(
        label=_("Why do you want to take part?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor_type"].queryset = _active(PublicType, self.site)
        style_fields(self)


FORMS = {"pupil": PupilRecordForm, "student": StudentRecordForm, "visitor": VisitorRecordForm}


def initial_for(record):
    """The form's initial values from a stored record."""
    kind = services.kind_of(record)
    initial = {
        "first_name": record.user.first_name,
        "last_name": record.user.last_name,
        "birth_date": record.birth_date,
        "phone": record.phone,
    }
    if kind == "pupil":
        initial |= {
            "high_school": record.high_school_id,
            "school_uai": record.school_entry.uai if record.school_entry_id else "",
            "level": record.level_id,
            "class_name": record.class_name,
            "bachelor_type": record.bachelor_type_id,
            "series": record.series_id,
            "specialities": [s.pk for s in record.specialities.all()],
            "post_bachelor_level": record.post_bachelor_level_id,
            "has_disability": record.has_disability,
            "consent_high_school_sees_immersions": record.consent_high_school_sees_immersions,
            "consent_name_visible_to_registrants": record.consent_name_visible_to_registrants,
        }
    elif kind == "student":
        initial |= {
            "institution_uai": record.institution.uai if record.institution_id else "",
            "level": record.level_id,
            "origin_bachelor_type": record.origin_bachelor_type_id,
        }
    else:
        initial |= {"visitor_type": record.visitor_type_id, "motivation": record.motivation}
    return initial


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the person"),
        max_length=services.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what is wrong and what to do: the person reads this text."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class PendingFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("All")), ("pending", _("Waiting for a decision")), *RecordStatus.choices]
    KIND_CHOICES = [("", _("All")), ("pupil", _("Pupils")), ("student", _("Students")), ("visitor", _("Visitors"))]

    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Profile"), choices=KIND_CHOICES, required=False)
    high_school = forms.ModelChoiceField(
        label=_("High school"), queryset=HighSchool.objects.none(), required=False, empty_label=_("All")
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=HighSchoolLevel.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, site, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["high_school"].queryset = HighSchool.objects.filter(site=site).order_by("label", "city")
        self.fields["level"].queryset = HighSchoolLevel.objects.filter(site=site)
        self.fields["kind"].choices = [c for c in self.KIND_CHOICES if not c[0] or c[0] in kinds]
        style_fields(self)

    def values(self):
        """The valid filters only: a wrong value is dropped, never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "high_school": data.get("high_school"),
            "level": data.get("level"),
        }
