"""How every form of the project renders: one field template, one form template (FORM_RENDERER).

``{{ field.as_field_group }}`` renders ``templates/forms/field.html`` and ``{{ form }}`` renders
``templates/forms/form.html`` (the form's errors, then each field); a form's errors alone are
``{% include "forms/errors.html" %}``. TemplatesSetting renders them with the project's template
settings (so ``templates/`` is searched; Django's widget templates come from ``django.forms``).
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
