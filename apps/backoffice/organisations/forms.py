"""Forms of the organisations area. Every choice is limited to what the signed-in person may use:
the current site's rows, within the person's establishment or host high school."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import Training
from apps.core.uploads import ImageUploadField
from apps.directories.models import SchoolDirectoryEntry
from apps.organisations import selectors, services
from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
from apps.organisations.services import check_agreement


def form_field(db_field, **kwargs):
    """Form fields of the model: web addresses without a scheme taken as https://; choices of
    related rows empty until the form limits them to the person's scope (no query at import)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if db_field.is_relation:
        kwargs.setdefault("queryset", db_field.related_model._base_manager.none())
    if isinstance(db_field, models.ImageField):
        kwargs.setdefault("form_class", ImageUploadField)  # decoded in full, within budgets
    return db_field.formfield(**kwargs)


class StyledForm(forms.ModelForm):
    """Bootstrap classes on every widget; ``actor`` and ``site`` kept for the choices."""

    def __init__(self, *args, actor, site, **kwargs):
        self.actor, self.site = actor, site
        super().__init__(*args, **kwargs)
        self.limit_choices()
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def limit_choices(self):
        pass

    def full_clean(self):
        super().full_clean()
        # Tie each field's errors (and its help) to its input, for screen readers.
        for name, field in self.fields.items():
            if name in self.errors:
                auto_id = self[name].auto_id
                described = [f"{auto_id}_error"] + ([f"{auto_id}_helptext"] if field.help_text else [])
                field.widget.attrs["aria-describedby"] = " ".join(described)
                field.widget.attrs["aria-invalid"] = "true"

    def _validate_unique(self):
        pass  # the services check uniqueness within the site, with clear messages

    def _post_clean(self):
        # The row as the form would leave it, built on a copy (the services get the stored row
        # and the changes), without the model's own validation: the services validate.
        exclude = self._get_validation_exclusions()
        self.instance = forms.models.construct_instance(self, copy.copy(self.instance), self._meta.fields, exclude)

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.fields if name in self.service_fields}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- Establishments and high schools ---------------------------------------------------------


class EstablishmentForm(StyledForm):
    service_fields = services.ESTABLISHMENT_FIELDS
    #: What an establishment referent may change on its own establishment.
    referent_fields = ("label", "address", "zip_code", "city", "email", "phone", "website")

    class Meta:
        model = Establishment
        formfield_callback = form_field
        fields = (
            "code",
            "label",
            "uai",
            "is_master",
            "address",
            "zip_code",
            "city",
            "email",
            "phone",
            "website",
            "is_active",
        )

    def limit_choices(self):
        self.fields["label"].required = False
        self.fields["label"].help_text = _("Filled from the national directory when left empty.")
        self.fields["uai"].help_text = _("Links the establishment to the national directory of institutions.")
        if self.instance.pk is None:
            del self.fields["is_master"]  # a new establishment is a host one
        elif not self.actor.is_master:
            for name in list(self.fields):
                if name not in self.referent_fields:
                    del self.fields[name]

    def clean(self):
        data = super().clean()
        if "label" in self.fields and not data.get("label") and not data.get("uai"):
            self.add_error("label", _("Give a name, or a UAI of the national directory."))
        return data


class HighSchoolForm(StyledForm):
    service_fields = services.HIGH_SCHOOL_FIELDS

    class Meta:
        model = HighSchool
        formfield_callback = form_field
        fields = (
            "uai",
            "label",
            "city",
            "address",
            "zip_code",
            "email",
            "phone",
            "agreement_start",
            "agreement_end",
            "hosts_post_bac_trainings",
            "accepts_individual_immersions",
            "is_active",
        )
        widgets = {"agreement_start": DateInput(), "agreement_end": DateInput()}

    def limit_choices(self):
        for name in ("label", "city"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Filled from the UAI directory when left empty.")

    def clean(self):
        data = super().clean()
        try:
            check_agreement(data.get("agreement_start"), data.get("agreement_end"))
        except ValidationError as error:
            self.add_error(None, error)
        if not data.get("uai"):
            return data
        in_directory = SchoolDirectoryEntry.objects.filter(uai=data["uai"]).exists()
        for name in ("label", "city"):
            if not data.get(name) and not in_directory:
                self.add_error(name, _("This UAI is not in the directory: type this field."))
        return data


# --- Structures and places --------------------------------------------------------------------


class StructureForm(StyledForm):
    service_fields = services.STRUCTURE_FIELDS

    class Meta:
        model = Structure
        formfield_callback = form_field
        fields = ("establishment", "code", "label", "email", "is_active")

    def limit_choices(self):
        include = self.instance.establishment if self.instance.establishment_id else None
        self.fields["establishment"].queryset = selectors.establishments_for(self.actor, self.site, include=include)


class CampusForm(StyledForm):
    service_fields = services.CAMPUS_FIELDS

    class Meta:
        model = Campus
        formfield_callback = form_field
        fields = ("establishment", "label", "address", "zip_code", "city", "is_active")

    def limit_choices(self):
        include = self.instance.establishment if self.instance.establishment_id else None
        self.fields["establishment"].queryset = selectors.establishments_for(self.actor, self.site, include=include)


class CampusChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} — {obj.establishment.label}"


class BuildingForm(StyledForm):
    service_fields = services.BUILDING_FIELDS
    campus = CampusChoiceField(label=_("campus"), queryset=Campus.objects.none())

    class Meta:
        model = Building
        formfield_callback = form_field
        fields = ("campus", "label", "map_url", "is_active")

    def limit_choices(self):
        include = self.instance.campus if self.instance.campus_id else None
        self.fields["campus"].queryset = selectors.campuses_for(self.actor, self.site, include=include)


# --- Trainings -----------------------------------------------------------------------------------


class StructureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} — {obj.establishment.label}"


class TrainingForm(StyledForm):
    service_fields = (*services.TRAINING_FIELDS, "subdomains")
    structure = StructureChoiceField(label=_("structure"), queryset=Structure.objects.none(), required=False)
    subdomains = forms.ModelMultipleChoiceField(
        label=_("subdomains"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Training
        formfield_callback = form_field
        fields = ("label", "structure", "high_school", "subdomains", "url", "is_active")

    def limit_choices(self):
        instance = self.instance
        structures = selectors.structures_for_trainings(
            self.actor, self.site, include=instance.structure if instance.structure_id else None
        )
        high_schools = selectors.host_high_schools_for(
            self.actor, self.site, include=instance.high_school if instance.high_school_id else None
        )
        self.fields["structure"].queryset = structures
        self.fields["high_school"].queryset = high_schools
        if not (self.actor.is_master or self.actor.managed_establishments):
            del self.fields["structure"]
        if not (self.actor.is_master or self.actor.host_high_schools):
            del self.fields["high_school"]
        self.fields["subdomains"].queryset = selectors.subdomains(self.site)

    def subdomain_groups(self):
        """[(domain, [checkbox, ...]), ...] to render the subdomains grouped by domain."""
        boxes = {str(box.data["value"]): box for box in self["subdomains"]}
        return [
            (domain, [boxes[str(s.pk)] for s in items if str(s.pk) in boxes])
            for domain, items in selectors.subdomain_groups(self.fields["subdomains"].queryset)
        ]

    def clean(self):
        data = super().clean()
        structure, high_school = data.get("structure"), data.get("high_school")
        if bool(structure) == bool(high_school) and not self.errors:
            self.add_error(None, _("Choose either a structure or a host high school."))
        data.setdefault("structure", None)
        data.setdefault("high_school", None)
        return data

    def changes(self):
        data = self.cleaned_data
        return {name: data.get(name) for name in self.service_fields}
