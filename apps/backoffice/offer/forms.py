"""Forms for courses, events and their speakers. Every choice is limited to what the person may use."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.policy import Action, can
from apps.catalogue import offer_selectors
from apps.catalogue.models import Course, Event
from apps.staff.services import InvitationMethod


class BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TrainingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        owner = obj.structure or obj.high_school
        return f"{obj.label} — {owner.label}"


class StructureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} — {obj.establishment.label}"


class PublicationMixin(forms.Form):
    published = forms.BooleanField(label=_("Published"), required=False)
    publication_start = forms.DateField(label=_("Published from"), required=False, widget=DateInput())
    publication_end = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave both dates empty to publish without limit."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("publication_start"), data.get("publication_end")
        if start and end and end < start:
            self.add_error("publication_end", _("The end of publication comes before its start."))
        return data


class CourseForm(BootstrapMixin, PublicationMixin):
    training = TrainingChoiceField(label=_("Training"), queryset=None)
    label = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    field_order = ["training", "label", "description", "url", "published", "publication_start", "publication_end"]

    def __init__(self, *args, actor, site, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in self.field_order})
        super().__init__(*args, **kwargs)
        self.actor, self.site, self.instance = actor, site, instance
        self.fields["training"].queryset = offer_selectors.course_trainings(actor, site)
        self._style()

    def clean_training(self):
        training = self.cleaned_data["training"]
        if not can(self.actor, Action.ADD, Course(site=self.site, training=training), self.site):
            raise forms.ValidationError(_("You may not add courses to this training."))
        return training


class EventForm(BootstrapMixin, PublicationMixin):
    event_type = forms.ModelChoiceField(label=_("Type"), queryset=None)
    label = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    establishment = forms.ModelChoiceField(
        label=_("Establishment"), queryset=None, required=False, help_text=_("Or a host high school below.")
    )
    structure = StructureChoiceField(
        label=_("Structure"), queryset=None, required=False, help_text=_("Optional: a structure of the establishment.")
    )
    high_school = forms.ModelChoiceField(
        label=_("Host high school"),
        queryset=None,
        required=False,
        help_text=_("For an event of a high school hosting post-bac trainings."),
    )

    field_order = [
        "event_type",
        "label",
        "description",
        "establishment",
        "structure",
        "high_school",
        "published",
        "publication_start",
        "publication_end",
    ]

    def __init__(self, *args, actor, site, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {name: getattr(instance, name) for name in self.field_order})
        super().__init__(*args, **kwargs)
        self.actor, self.site, self.instance = actor, site, instance
        establishments, structures, high_schools = offer_selectors.event_owner_choices(actor, site)
        self.fields["event_type"].queryset = offer_selectors.event_types(site)
        self.fields["establishment"].queryset = establishments
        self.fields["structure"].queryset = structures
        self.fields["high_school"].queryset = high_schools
        self._style()

    def clean(self):
        data = super().clean()
        establishment, structure, high_school = (data.get(n) for n in ("establishment", "structure", "high_school"))
        if "establishment" in self.errors or "structure" in self.errors or "high_school" in self.errors:
            return data
        if (establishment is None) == (high_school is None):
            raise forms.ValidationError(_("Choose either an establishment or a host high school."))
        if structure is not None and structure.establishment_id != getattr(establishment, "pk", None):
            self.add_error("structure", _("This structure belongs to another establishment."))
            return data
        event = Event(site=self.site, establishment=establishment, structure=structure, high_school=high_school)
        if not can(self.actor, Action.ADD, event, self.site):
            raise forms.ValidationError(_("You may not add events there."))
        return data


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} <{obj.email}>"


class SpeakersForm(BootstrapMixin, forms.Form):
    speakers = PersonChoiceField(
        label=_("Speakers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Speakers of the establishment (or high school). Someone unticked keeps their past slots."),
    )

    def __init__(self, *args, site, obj, **kwargs):
        kwargs.setdefault("initial", {"speakers": list(obj.speakers.values_list("pk", flat=True))})
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = offer_selectors.eligible_speakers(site, obj)
        self._style()


class InviteSpeakerForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    method = forms.ChoiceField(
        label=_("How will they sign in?"),
        choices=InvitationMethod.choices,
        initial=InvitationMethod.LOCAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        self._style()


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
