"""How the service provider names the attributes identity providers send: OIDs to friendly names.

EduConnect (like RENATER) names its attributes by OID, with the SAML "uri" name format:
``urn:oid:1.3.6.1.4.1.20326.10.999.1.72`` is the pupil's school (``FrEduCtEleveUAI``). The
settings of a site, and the code, use the friendly names. pysaml2 translates the names with
attribute maps: :data:`MAP` is pysaml2's own map of the "uri" format (``sn``, ``givenName``,
``mail``, the eduPerson and SupAnn attributes...) with EduConnect's attributes added.

pysaml2 keeps one map per name format, so the EduConnect names extend its "uri" map rather
than come as a second one. Attributes without a name format (or of a format no map knows)
keep the name they were sent with: friendly names go on working. :func:`aliases` gives the
other name of an attribute, so a site may name it either way in its settings.
"""

from saml2.attribute_converter import AttributeConverter, ac_factory
from saml2.attributemaps import saml_uri
from saml2.saml import NAME_FORMAT_URI

#: The national education's arc of EduConnect attributes.
EDUCONNECT_OID = "urn:oid:1.3.6.1.4.1.20326.10.999.1."
#: EduConnect's attributes, by OID (as EduConnect's service providers read them; see STACK-NOTES.md).
EDUCONNECT = {
    f"{EDUCONNECT_OID}5": "FrEduUrlRetour",
    f"{EDUCONNECT_OID}6": "FrEduCtDateConnexion",
    f"{EDUCONNECT_OID}7": "FrEduCtPersonAffiliation",
    f"{EDUCONNECT_OID}57": "FrEduCtId",
    f"{EDUCONNECT_OID}64": "FrEduCtEleveINEHash",
    f"{EDUCONNECT_OID}67": "FrEduCtDateNaissance",
    f"{EDUCONNECT_OID}72": "FrEduCtEleveUAI",
    f"{EDUCONNECT_OID}73": "FrEduCtEleveNiveau",
}

#: pysaml2's "uri" map, EduConnect's attributes included (the format pysaml2's attribute maps have).
MAP = {
    "identifier": NAME_FORMAT_URI,
    "fro": {**saml_uri.MAP["fro"], **EDUCONNECT},
    "to": {**saml_uri.MAP["to"], **{friendly: oid for oid, friendly in EDUCONNECT.items()}},
}

_BY_NAME = {}
for _oid, _friendly in MAP["fro"].items():
    _BY_NAME.setdefault(_oid.lower(), _friendly)
    _BY_NAME.setdefault(_friendly.lower(), _oid)


def attribute_converters():
    """pysaml2's converters for every name format, the "uri" one replaced by :data:`MAP`."""
    uri = AttributeConverter(NAME_FORMAT_URI)
    uri.from_dict(MAP)
    return [converter for converter in ac_factory() if converter.name_format != NAME_FORMAT_URI] + [uri]


def aliases(name):
    """The names an attribute may come under: as given, then its OID or friendly name (if known)."""
    other = _BY_NAME.get((name or "").lower())
    return [name, other] if other else [name]
