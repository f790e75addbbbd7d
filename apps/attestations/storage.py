"""Where attestation files live: the private storage (see apps.core.storage)."""

from apps.core.storage import PrivateStorage


def attestation_storage():
    return PrivateStorage()
