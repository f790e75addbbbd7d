"""EduConnect as it really answers: attributes named by OID, pupils and legal guardians alike.

The identity provider here names every attribute by its OID with the "uri" name format and
no friendly name, as EduConnect does; the OIDs are written out below, independently of the
project's attribute map.
"""

import base64
import datetime as dt

import pytest
from saml2.attribute_converter import AttributeConverter
from saml2.saml import NAME_FORMAT_URI

from apps.accounts.models import User
from apps.federation.models import FederatedIdentity
from apps.records.models import PupilRecord
from apps.referentials.models import HighSchoolLevel
from apps.tenancy.scoping import for_site

from .conftest import configure

pytestmark = pytest.mark.filterwarnings("ignore:.*CFB has been moved.*", "ignore::ResourceWarning")

FR_EDU = "urn:oid:1.3.6.1.4.1.20326.10.999.1."
PERSISTENT_ID = FR_EDU + "57"
AFFILIATION = FR_EDU + "7"
SCHOOL_UAI = FR_EDU + "72"
LEVEL = FR_EDU + "73"
BIRTH_DATE = FR_EDU + "67"
INE_HASH = FR_EDU + "64"
LAST_NAME = "urn:oid:2.5.4.4"
FIRST_NAME = "urn:oid:2.5.4.42"
ALL_OIDS = (PERSISTENT_ID, AFFILIATION, SCHOOL_UAI, LEVEL, BIRTH_DATE, INE_HASH, LAST_NAME, FIRST_NAME)


def pupil(**overrides):
    identity = {
        PERSISTENT_ID: ["16c1f69261c389bdf4b8c09d5aaba904008e0d503b30dea551d18aae04a6224354dec1a65c461d59"],
        AFFILIATION: ["eleve2d"],
        SCHOOL_UAI: ["0670001A"],
        LEVEL: ["2212"],
        BIRTH_DATE: ["2009-03-14"],
        INE_HASH: ["0278dd38a2de195c7f0598fca359033e"],
        LAST_NAME: ["Martin"],
        FIRST_NAME: ["Zoé"],
    }
    identity.update(overrides)
    return {name: values for name, values in identity.items() if values is not None}


@pytest.fixture
def oid_idp(educonnect):
    """The test identity provider, sending names as given (OIDs), "uri" format, no friendly name."""
    converter = AttributeConverter(NAME_FORMAT_URI)
    converter.from_dict({"identifier": NAME_FORMAT_URI, "to": {oid: oid for oid in ALL_OIDS}})
    educonnect.server.config.attribute_converters = [converter]
    return educonnect


@pytest.fixture
def levels(world):
    with for_site(world.site):
        return {
            "seconde": HighSchoolLevel.objects.create(site=world.site, label="Seconde", mefstat4_codes="2211,2381"),
            "premiere": HighSchoolLevel.objects.create(site=world.site, label="Première", mefstat4_codes="2212,2371"),
        }


def sign_in(idp, identity):
    """Post a signed answer to the ACS; returns (response, the answer's XML)."""
    request_id = idp.start("educonnect")
    answer = idp.response(identity, in_response_to=request_id)
    return idp.post(answer), base64.b64decode(answer).decode()


def record_of(world, user):
    with for_site(world.site):
        return PupilRecord.objects.select_related("high_school", "level").get(user=user)


def test_a_pupil_named_by_oids_is_created_with_school_level_birth_date_and_names(oid_idp, client, world, levels):
    response, xml = sign_in(oid_idp, pupil())
    # What was sent: OIDs only, in the "uri" name format.
    assert f'Name="{SCHOOL_UAI}"' in xml and f'NameFormat="{NAME_FORMAT_URI}"' in xml
    assert "FrEduCtEleveUAI" not in xml and "givenName" not in xml

    assert response.status_code == 302 and response["Location"] == "/sign-in/email/"  # no e-mail from EduConnect
    user = User.objects.get(first_name="Zoé", last_name="Martin")
    record = record_of(world, user)
    assert record.high_school == world.high_school
    assert record.level == levels["premiere"]
    assert record.birth_date == dt.date(2009, 3, 14) and record.identity_locked
    assert FederatedIdentity.objects.get(user=user).subject == pupil()[PERSISTENT_ID][0]
    assert int(client.session["_auth_user_id"]) == user.pk

    client.logout()  # found again by the persistent id, not duplicated
    response, _xml = sign_in(oid_idp, pupil(**{LAST_NAME: ["Martin-Durand"]}))
    assert response.status_code == 302
    assert User.objects.filter(first_name="Zoé").count() == 1
    assert User.objects.get(first_name="Zoé").last_name == "Martin-Durand"


@pytest.mark.parametrize("affiliation", ["resp2d", "resp1d"])
def test_a_legal_guardian_is_refused_and_nothing_is_created(oid_idp, client, world, levels, affiliation):
    users = User.objects.count()
    guardian = pupil(**{AFFILIATION: [affiliation], SCHOOL_UAI: None, LEVEL: None, INE_HASH: None})
    response, _xml = sign_in(oid_idp, guardian)
    assert response.status_code == 403 and response.context["reason"] == "guardian"
    page = response.content.decode()
    assert "parent (legal guardian) account" in page and "no account was created" in page
    assert User.objects.count() == users
    assert not FederatedIdentity.objects.exists()
    with for_site(world.site):
        assert not PupilRecord.objects.filter(user__first_name="Zoé").exists()
    assert "_auth_user_id" not in client.session


def test_someone_else_than_a_pupil_or_no_affiliation_is_refused(oid_idp, world, levels):
    response, _xml = sign_in(oid_idp, pupil(**{AFFILIATION: ["enseignant"]}))
    assert response.status_code == 403 and response.context["reason"] == "not_pupil"
    response, _xml = sign_in(oid_idp, pupil(**{AFFILIATION: None}))
    assert response.status_code == 403 and response.context["reason"] == "missing_attributes"
    assert not User.objects.filter(first_name="Zoé").exists()


def test_without_the_affiliation_setting_the_check_is_skipped(oid_idp, world, levels):
    configure(world.site, educonnect_attr_affiliation="")
    response, _xml = sign_in(oid_idp, pupil(**{AFFILIATION: None}))
    assert response.status_code == 302 and User.objects.filter(first_name="Zoé").exists()


@pytest.mark.parametrize(
    "value, expected",
    # "TLE" is a level word, but this site has no Terminale level.
    [("2381", "seconde"), ("2NDE", "seconde"), ("1ère", "premiere"), ("TLE", None), ("9999", None), (None, None)],
)
def test_the_level_follows_educonnect_or_is_left_to_the_pupil(oid_idp, world, levels, value, expected):
    response, _xml = sign_in(oid_idp, pupil(**{LEVEL: [value] if value else None}))
    assert response.status_code == 302  # an unknown level is no reason to refuse
    record = record_of(world, User.objects.get(first_name="Zoé"))
    assert record.level == (levels[expected] if expected else None)  # None: the pupil chooses it in the record


def test_settings_may_name_attributes_by_oid_too(oid_idp, world, levels):
    configure(
        world.site,
        educonnect_attr_persistent_id=PERSISTENT_ID,
        educonnect_attr_uai=SCHOOL_UAI,
        educonnect_attr_mefstat4=LEVEL,
        educonnect_attr_birth_date=BIRTH_DATE,
        educonnect_attr_first_name=FIRST_NAME,
        educonnect_attr_last_name=LAST_NAME,
        educonnect_attr_affiliation=AFFILIATION,
    )
    response, _xml = sign_in(oid_idp, pupil())
    assert response.status_code == 302
    record = record_of(world, User.objects.get(first_name="Zoé"))
    assert record.high_school == world.high_school and record.level == levels["premiere"]


def test_the_attribute_map_gives_friendly_names_and_keeps_pysaml2s_own():
    from saml2.attribute_converter import list_to_local
    from saml2.saml import Attribute, AttributeValue

    from apps.federation.attribute_maps import attribute_converters

    def sent(name, value):
        return Attribute(name=name, name_format=NAME_FORMAT_URI, attribute_value=[AttributeValue(text=value)])

    eppn = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"  # RENATER's eduPersonPrincipalName, from pysaml2's map
    attributes = [sent(SCHOOL_UAI, "0670001A"), sent(LEVEL, "2212"), sent(FIRST_NAME, "Zoé"), sent(eppn, "z@u.fr")]
    ava = list_to_local(attribute_converters(), attributes, allow_unknown_attributes=True)
    assert ava == {
        "FrEduCtEleveUAI": ["0670001A"],
        "FrEduCtEleveNiveau": ["2212"],
        "givenName": ["Zoé"],
        "eduPersonPrincipalName": ["z@u.fr"],
    }
