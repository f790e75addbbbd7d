"""SAML metadata documents: the identity providers they describe (no model, no configuration)."""

from defusedxml import ElementTree

MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"


def entity_ids_in(xml):
    """Entity IDs of the identity providers described by a metadata document (ValueError if not XML)."""
    try:
        root = ElementTree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    except ElementTree.ParseError as error:
        raise ValueError(str(error)) from error
    except Exception as error:  # defusedxml refuses entities, DTDs...
        raise ValueError(str(error)) from error
    descriptors = [root] if root.tag == f"{{{MD_NS}}}EntityDescriptor" else root.iter(f"{{{MD_NS}}}EntityDescriptor")
    return [
        element.get("entityID")
        for element in descriptors
        if element.get("entityID") and element.find(f"{{{MD_NS}}}IDPSSODescriptor") is not None
    ]
