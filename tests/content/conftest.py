from tests.backoffice.reference_support import client, private_media  # noqa: F401 (fixtures)
