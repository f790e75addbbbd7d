from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

#: UAI (unité administrative immatriculée): seven digits and a check letter, e.g. 0673021V.
uai_validator = RegexValidator(r"^[0-9]{7}[A-Z]$", _("A UAI is seven digits followed by a capital letter."))
